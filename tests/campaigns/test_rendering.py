"""A template made into one recipient's message: language, merge fields and their escaping, links
wrapped for click tracking, the footer, recommendations from the CRM, products and designs."""

import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image, ImageChops

from apps.campaigns.blocks import blocks_clean
from apps.campaigns.rendering import Links, language_pick, merge, message_render
from apps.campaigns.templates_services import template_create
from apps.crm.models import Customer
from apps.designs.models import DesignAsset
from apps.designs.signing import asset_url, asset_urls
from apps.products.models import Product, View
from apps.storefront import media
from apps.storefront.reorder import reorder_design
from tests.support.crm_pages import customer_make, item_make, recommendation_make, widget_order
from tests.support.factories.products import product_make
from tests.support.workspaces import host


def version(subject: str, *blocks: dict, preheader: str = "") -> dict:
    return {"subject": subject, "preheader": preheader, "blocks": list(blocks)}


def links(clicked: list | None = None) -> Links:
    def click(url: str) -> str:
        if clicked is not None:
            clicked.append(url)
        return f"https://track.example/c?u={url}"

    return Links(
        click=click, unsubscribe="https://alpha.example/u/tok", preferences="https://alpha.example/p/tok"
    )


def test_merge_fields_take_the_value_or_the_fallback_and_unknown_fields_render_empty():
    values = {"first_name": "Loïc", "last_name": "", "email": "l@example.fr", "city": "", "brand": "Alpha"}

    assert merge("Hi {{ first_name }}!", values) == "Hi Loïc!"
    assert merge('Hi {{last_name | "there"}}, {{ city|"your town" }}', values) == "Hi there, your town"
    assert merge("{{ brand }} · {{ nickname }} · {{ email }}", values) == "Alpha ·  · l@example.fr"
    assert merge('{{ favourite | "friend" }} {{ unclosed', values) == "friend {{ unclosed"


def test_a_customer_named_script_is_escaped_in_html_and_plain_in_text(tenant):
    template = template_create(
        name="Welcome",
        content={
            "en": version(
                "Hello {{ first_name }}",
                {"kind": "heading", "text": "Dear {{ first_name }} {{ last_name }}"},
                {"kind": "text", "text": 'From {{ city | "somewhere" }}\nSee you <b>soon</b>'},
            )
        },
    )
    customer = customer_make(first_name="<script>alert(1)</script>", last_name='"&', city="")

    rendered = message_render(template, customer=customer, links=links())

    assert "<script>alert(1)</script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<b>soon</b>" not in rendered.html
    assert "&lt;b&gt;soon&lt;/b&gt;" in rendered.html
    assert rendered.subject == "Hello <script>alert(1)</script>"
    assert 'Dear <script>alert(1)</script> "&' in rendered.text
    assert "From somewhere\nSee you <b>soon</b>" in rendered.text


def test_every_outbound_link_is_wrapped_and_the_footer_links_are_the_recipients(tenant):
    template = template_create(
        name="Links",
        content={
            "en": version(
                "Links",
                {"kind": "button", "label": "Shop", "url": "https://shop.example/new?a=1&b=2"},
                {
                    "kind": "image",
                    "src": "https://cdn.example/a.png",
                    "alt": "A mug",
                    "url": "https://shop.example/mug",
                },
                {"kind": "divider"},
            )
        },
    )
    clicked: list[str] = []

    rendered = message_render(template, customer=customer_make(), links=links(clicked))

    assert clicked == ["https://shop.example/new?a=1&b=2", "https://shop.example/mug"]  # once each
    assert "https://track.example/c?u=https://shop.example/new?a=1&amp;b=2" in rendered.html
    assert "Shop: https://track.example/c?u=https://shop.example/new?a=1&b=2" in rendered.text
    assert 'href="https://track.example/c?u=https://shop.example/mug"' in rendered.html
    assert "A mug (https://track.example/c?u=https://shop.example/mug)" in rendered.text
    assert 'href="https://alpha.example/u/tok"' in rendered.html
    assert "Unsubscribe: https://alpha.example/u/tok" in rendered.text
    assert "E-mail preferences: https://alpha.example/p/tok" in rendered.text


def test_the_recipients_language_is_chosen_when_written_else_the_default(tenant):
    template = template_create(
        name="Three languages",
        default_language="fr",
        content={
            "en": version("Hello", {"kind": "text", "text": "In English"}),
            "fr": version("Bonjour", {"kind": "text", "text": "En français"}, preheader="Le mot"),
            "zh-hans": version("你好", {"kind": "text", "text": "中文"}),
        },
    )
    for language, expected in [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("zh_Hans", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-hans", "zh-hans"),
        ("EN", "en"),
        ("de", "fr"),
        ("", "fr"),
    ]:
        assert language_pick(template, language) == expected, language

    french = message_render(template, customer=customer_make(language="fr"), links=links())
    chinese = message_render(template, customer=customer_make(language="zh_Hans"), links=links())
    german = message_render(template, customer=customer_make(language="de"), links=links())

    assert (french.subject, french.preheader, french.language) == ("Bonjour", "Le mot", "fr")
    assert "En français" in french.html
    assert 'lang="fr"' in french.html
    assert "Le mot" in french.html  # the preheader, hidden at the top
    assert chinese.subject == "你好"
    assert "中文" in chinese.text
    assert german.subject == "Bonjour"


def test_without_a_customer_the_preview_uses_sample_data_and_the_workspace_name(tenant):
    template = template_create(
        name="Sample",
        content={"en": version("Hi {{ first_name }} from {{ brand }}", {"kind": "text", "text": "x"})},
    )

    rendered = message_render(template, customer=None, links=Links())

    assert rendered.subject == f"Hi Alex from {tenant.name}"


def test_the_recommendations_block_shows_the_customers_crm_recommendations(tenant):
    mug = product_make()
    riesling = item_make("RIES", "Riesling", vintage="2022", price=Decimal("12.50"), product=mug)
    cremant = item_make("CREM", "Crémant <brut>", price=Decimal("9.00"))
    gewurz = item_make("GEWU", "Gewurztraminer", price=Decimal("15.00"))
    customer = customer_make(first_name="Loïc")
    recommendation_make(customer, cremant, "cross_sell", {"code": "unknown"}, score=0.95)
    recommendation_make(
        customer,
        riesling,
        "rebuy",
        {"code": "rebuy", "label": "Riesling", "times": 3, "every_days": 60, "last_days": 70},
        score=0.9,
    )
    recommendation_make(customer, gewurz, "diversity", {"code": "unknown"}, score=0.1)
    block = {"kind": "recommendations", "title": "For you", "count": 2, "url": "https://shop.example/wine"}
    template = template_create(name="Reco", content={"en": version("Reco", block)})

    rendered = message_render(template, customer=customer, links=links())

    assert "Crémant &lt;brut&gt;" in rendered.html
    assert "Riesling 2022" in rendered.html
    assert "Gewurztraminer" not in rendered.html  # the block's count
    assert rendered.html.index("Crémant") < rendered.html.index("Riesling")  # best first
    assert "12.50 EUR" in rendered.text
    assert "9.00" in rendered.text
    assert "bought Riesling 3× about every 60 days, last 70 days ago" in rendered.text
    assert "://alpha.localhost/" in rendered.html  # the mockups, from the workspace's own host
    assert "products/mockups" not in rendered.html  # a signed link, never the storage path
    assert "For you" in rendered.text


def test_a_customer_without_recommendations_gets_no_block(tenant):
    block = {"kind": "recommendations", "title": "For you", "count": 3, "url": "https://shop.example/wine"}
    template = template_create(
        name="Reco", content={"en": version("Reco", {"kind": "text", "text": "Hello"}, block)}
    )

    rendered = message_render(template, customer=customer_make(), links=links())

    assert "For you" not in rendered.html
    assert "For you" not in rendered.text
    assert "Hello" in rendered.text


def test_the_products_block_shows_chosen_products_and_catalogue_items(tenant):
    mug = product_make()
    item = item_make("TOTE", "Tote & bag", price=Decimal("7.00"))
    block = {
        "kind": "products",
        "title": "New",
        "items": [
            {"ref": f"item:{item.pk}", "url": "https://shop.example/tote"},
            {"ref": f"product:{mug.pk}", "url": "https://shop.example/mug"},
            {"ref": "product:999999", "url": "https://shop.example/gone"},
        ],
    }
    template = template_create(name="Products", content={"en": version("New", block)})

    rendered = message_render(template, customer=None, links=Links())

    assert "Tote &amp; bag" in rendered.html
    assert "Mug" in rendered.html
    assert "12.00 EUR" in rendered.text
    assert "7.00" in rendered.text
    assert "shop.example/gone" not in rendered.html


def test_the_rebuy_design_block_shows_the_customers_ready_designs_from_the_workspace_host(tenant):
    mug = product_make()
    widget_order(mug, email="anna@example.com", name="Anna Weber", session="s-anna")
    customer = customer_make(email="someone@example.com")
    anna = Customer.objects.get(email="anna@example.com")  # the CRM attached the order to her
    block = {
        "kind": "rebuy_design",
        "title": "Your designs",
        "text": "Loved it, {{ first_name }}?",
        "count": 3,
        "label": "Order it again",
        "url": "https://shop.example/mug",
    }
    template = template_create(name="Rebuy", content={"en": version("Again", block)})

    rendered = message_render(template, customer=anna, links=links())
    nothing = message_render(template, customer=customer, links=links())

    assert "Your designs" in rendered.html
    assert "Loved it, Anna?" in rendered.text
    assert "alpha.localhost" in rendered.html
    assert "/designs/assets/" in rendered.html
    assert "Order it again: https://track.example/c?u=https://shop.example/mug" in rendered.text
    assert "Your designs" not in nothing.html


def test_attributes_cannot_be_broken_out_of(tenant):
    block = {
        "kind": "image",
        "src": 'https://cdn.example/a.png?x="1',
        "alt": '" onerror="alert(1)',
        "url": "",
    }
    template = template_create(name="Attributes", content={"en": version("x", block)})

    rendered = message_render(template, customer=None, links=Links())

    assert 'onerror="alert(1)' not in rendered.html
    assert 'alt="&quot; onerror=&quot;alert(1)"' in rendered.html


def test_blocks_written_without_the_services_are_left_out_when_invalid(tenant):
    template = template_create(name="Raw", subject="Raw")
    template.content = {
        "en": {
            "subject": "Raw",
            "blocks": [
                {"kind": "button"},
                {"kind": "text", "text": "Kept"},
                "junk",
                {"kind": "heading", "text": 3},
            ],
        }
    }
    template.save()

    rendered = message_render(template, customer=None, links=Links())

    assert "Kept" in rendered.text
    assert rendered.preheader == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hello {{ frist_name }}", "unknown merge field {{ frist_name }}"),
        ("Hello {{ first_name", "a merge field is not closed"),
        ('Hello {{ first_name | "there }}', "a merge field is not closed"),
    ],
)
def test_a_wrong_merge_field_is_caught_when_the_template_is_saved(tenant, text, message):
    with pytest.raises(ValidationError) as error:
        blocks_clean([{"kind": "heading", "text": "Fine {{ first_name }}"}, {"kind": "text", "text": text}])

    assert any("Block 2 (Text)" in problem and message in problem for problem in error.value.messages)


def test_images_in_a_message_still_load_long_after_the_widgets_links_expire(tenant, settings, monkeypatch):
    mug = product_make()
    widget_order(mug, email="anna@example.com", name="Anna Weber", session="s-anna")
    anna = Customer.objects.get(email="anna@example.com")
    blocks = [
        {
            "kind": "rebuy_design",
            "title": "Yours",
            "text": "",
            "count": 1,
            "label": "Again",
            "url": "https://s.example/",
        },
        {
            "kind": "products",
            "title": "New",
            "items": [{"ref": f"product:{mug.pk}", "url": "https://s.example/mug"}],
        },
    ]
    template = template_create(
        name="Images", content={"en": {"subject": "x", "preheader": "", "blocks": blocks}}
    )
    html = message_render(template, customer=anna, links=links()).html
    images = re.findall(r'src="https?://[^/"]+(/[^"]+)"', html)
    settings.ASSET_URL_MAX_AGE = -1  # every short-lived link is now expired
    monkeypatch.setattr(media, "MEDIA_URL_MAX_AGE", -1)
    client = Client(HTTP_HOST=host(tenant))

    assert {path.split("/")[1] for path in images} == {"designs", "widget"}
    assert [client.get(path).status_code for path in images] == [200] * len(images)
    assert client.get(asset_url(DesignAsset.objects.first())).status_code == 404  # the widget's own link


def test_the_rebuy_design_block_draws_each_design_on_the_chosen_product_once(tenant):
    mug, tote = product_make(), product_make(views=("side",))
    Product.objects.filter(pk=tote.pk).update(name="Tote bag", price=Decimal("19.50"))
    _order, design = widget_order(mug, email="anna@example.com", name="Anna Weber", session="s-anna")
    anna = Customer.objects.get(email="anna@example.com")
    block = {
        "kind": "rebuy_design",
        "title": "Yours, on a tote",
        "text": "",
        "count": 2,
        "product": f"product:{tote.pk}",
        "label": "Shop totes",
        "url": "https://shop.example/tote",
    }
    template = template_create(name="Elsewhere", content={"en": version("Again", block)})

    first = message_render(template, customer=anna, links=links())
    drawn = DesignAsset.objects.get(kind=DesignAsset.Kind.ELSEWHERE)
    with drawn.file.open("rb") as file:
        image = Image.open(file).convert("RGB")
    again = message_render(template, customer=anna, links=links())
    kept = DesignAsset.objects.get(kind=DesignAsset.Kind.ELSEWHERE)
    side = tote.views.get()
    side.save()  # the side changed: what was drawn from it is stale
    message_render(template, customer=anna, links=links())
    redrawn = DesignAsset.objects.get(kind=DesignAsset.Kind.ELSEWHERE)

    assert (drawn.design_id, drawn.view_id) == (design.pk, side.pk)
    bare = Image.new("RGB", image.size, (230, 230, 235))  # the tote's plain mockup
    assert max(image.size) <= 600
    assert ImageChops.difference(image, bare).getbbox() is not None  # the design is on it
    assert "- Tote bag — 19.50 EUR" in first.text
    link = re.search(r"https://shop\.example/tote\?luneo_reorder=(\S+)", first.text)
    assert link is not None  # reopens the widget with this design
    assert reorder_design(unquote(link.group(1)), brand=design.product.brand) == design
    assert first.html.count("/designs/assets/") == 1
    assert kept.file.name == drawn.file.name
    assert again.text == first.text
    assert redrawn.file.name != drawn.file.name
    assert not any("elsewhere" in key for key in asset_urls(design))  # not one of the design's files


def test_a_design_that_cannot_be_drawn_on_the_chosen_product_shows_as_made(tenant):
    mug, broken = product_make(), product_make()
    View.objects.filter(product=broken).update(mockup="products/mockups/missing.png")
    widget_order(mug, email="anna@example.com", name="Anna Weber", session="s-anna")
    anna = Customer.objects.get(email="anna@example.com")
    block = {
        "kind": "rebuy_design",
        "title": "Yours",
        "text": "",
        "count": 1,
        "product": f"product:{broken.pk}",
        "label": "Again",
        "url": "https://shop.example/",
    }
    template = template_create(name="Broken", content={"en": version("Again", block)})

    rendered = message_render(template, customer=anna, links=links())

    assert rendered.html.count("/designs/assets/") == 1  # its own thumbnail
    assert not DesignAsset.objects.filter(kind=DesignAsset.Kind.ELSEWHERE).exists()
