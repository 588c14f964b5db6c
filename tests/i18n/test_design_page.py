"""The design page speaks the reader's language: the style's label, the step, who made it, and
why moderation refused it (with the word, for the brand's staff; what the shopper read beside)."""

import pytest

from apps.designs.services import design_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import pipeline_run, ready_design
from tests.support.factories.products import product_make
from tests.support.workspaces import member


@pytest.fixture
def french(tenant):
    client = dashboard_client(tenant, member(tenant, Role.EDITOR))
    client.post("/i18n/language/", {"language": "fr", "next": "/"})
    return client


@pytest.fixture
def chinese(tenant):
    client = dashboard_client(tenant, member(tenant, Role.VIEWER))
    client.post("/i18n/language/", {"language": "zh-hans", "next": "/"})
    return client


def test_a_ready_design_shows_its_style_step_and_maker_in_french(french, tenant):
    design = ready_design(product_make(), style="watercolor")

    page = french.get(f"/designs/{design.public_id}/").content.decode()

    assert "Aquarelle" in page
    assert "watercolor" not in page
    assert "réalisée par générateur hors ligne" in page
    assert "made by" not in page
    assert "réalisée par offline" not in page
    assert (
        '<span data-design-field="step">Terminée</span> · <span data-design-field="percent">100</span>%'
        in page
    )
    assert ">done<" not in page
    # the words the page's script shows for what the socket reports
    assert '<li data-step="generate">Dessin du visuel</li>' in page
    assert '<li data-status="generating">' in page


def test_a_refused_design_shows_staff_the_word_and_what_the_shopper_read(chinese, french, tenant):
    product = product_make(brand=brand_make(blocked_words=["licorne"]))
    design = pipeline_run(design_create(product=product.pk, prompt="Une licorne", style="pop-art"))

    in_chinese = chinese.get(f"/designs/{design.public_id}/").content.decode()
    in_french = french.get(f"/designs/{design.public_id}/").content.decode()

    assert design.status == "rejected"
    assert "licorne" in in_french  # the staff see which word
    assert "Votre texte contient un mot que cette marque n’autorise pas." in in_french
    assert "您的文字包含该品牌不允许使用的词语。" in in_chinese
    assert "未通过审核" in in_chinese  # the step
    assert "波普艺术" in in_chinese
    assert "pop-art" not in in_chinese
