"""The PDF report shows Chinese and Latin-extended text in every language, with its fonts embedded."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from apps.analytics.services import rollup_catch_up
from tests.support.factories.analytics import days_ago, order_on
from tests.support.factories.products import ProductFactory

TITLE = "陶瓷马克杯 Zoë Łódź"


def page_fonts(page) -> list:
    return [ref.get_object() for ref in page["/Resources"]["/Font"].values()]


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_a_chinese_product_title_extracts_and_the_fonts_are_embedded(tenant, owner_client, language):
    # Given a product with a Chinese and Polish title sold this week, and a reader of `language`
    order_on(days_ago(1), total="30.00", email="wei@example.com", product=ProductFactory(name=TITLE))
    rollup_catch_up()
    with translation.override(language):  # the requests switch this thread's language: restored after
        owner_client.post("/i18n/language/", {"language": language, "next": "/"})

        # When the report is made
        response = owner_client.get("/analytics/report.pdf?period=7")
        heading = translation.gettext("Top products")

    # Then the title and the translated headings read back as written
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    text = page.extract_text()
    assert TITLE in text
    assert heading in text
    # and the fonts are embedded TrueType (the fallback among them), not an unembedded CJK CID font
    embedded = {
        font["/BaseFont"].split("+")[-1]: "/FontFile2" in font["/FontDescriptor"]
        for font in page_fonts(page)
        if font["/Subtype"] == "/TrueType"
    }
    assert embedded == {"DejaVuSans": True, "DejaVuSans-Bold": True, "DroidSansFallback": True}
    assert all(font["/Subtype"] in ("/TrueType", "/Type1") for font in page_fonts(page))
