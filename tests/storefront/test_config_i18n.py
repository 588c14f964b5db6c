"""The widget in the shopper's language: the catalog's translated names in its configuration and
design states, and a refused design's reason without the blocked word."""

import pytest

from apps.brands.services import brand_update
from apps.designs.models import Design
from apps.products.services import option_create, product_update, variant_create, view_update
from tests.support.clients import api_client
from tests.support.factories.designs import pipeline_run
from tests.support.widget import Widget, widget_ready_design


@pytest.fixture
def translated(product):
    """The widget's product named in French and Chinese (its view, a variant and an option too)."""
    product_update(product=product, name_translations={"fr": "Tasse", "zh-hans": "马克杯"})
    view_update(view=product.views.get(), name_translations={"fr": "devant", "zh_Hans": " 正面 "})
    variant_create(product=product, name="Black", sku_suffix="BLK", name_translations={"fr": "Noir"})
    option_create(product=product, name="Gift box", name_translations={"zh-hans": "礼盒"})
    return product


def _names(body: dict) -> tuple:
    return (
        body["product"]["name"],
        [view["name"] for view in body["views"]],
        [variant["name"] for variant in body["variants"]],
        [option["name"] for option in body["options"]],
    )


def test_the_french_config_names_the_product_in_french(widget, translated):
    body = widget.get("config", product=translated.sku, locale="fr").json()

    assert _names(body) == ("Tasse", ["devant"], ["Noir"], ["Gift box"])  # no French: the default name


def test_the_chinese_config_names_the_product_in_chinese(widget, translated):
    body = widget.get("config", product=translated.sku, locale="zh-Hans").json()

    assert _names(body) == ("马克杯", ["正面"], ["Black"], ["礼盒"])


def test_english_and_untranslated_products_keep_their_default_name(widget, translated, product):
    english = widget.get("config", product=translated.sku, locale="en").json()

    assert _names(english) == ("Mug", ["front"], ["Black"], ["Gift box"])


def test_the_design_previews_are_keyed_by_the_views_name_in_the_shoppers_language(widget, translated):
    design = widget_ready_design(widget, translated)

    french = widget.get(f"designs/{design.public_id}", locale="fr").json()
    chinese = widget.get(f"designs/{design.public_id}", locale="zh-hans").json()

    assert list(french["previews"]) == ["devant"]
    assert list(chinese["previews"]) == ["正面"]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "Votre texte contient un mot que cette marque n’autorise pas."),
        ("zh-hans", "您的文字包含该品牌不允许使用的词语。"),
        ("en", "Your text contains a word this brand does not allow."),
    ],
)
def test_a_refused_design_tells_the_shopper_why_without_the_blocked_word(widget, product, locale, expected):
    brand_update(brand=product.brand, blocked_words=["licorne"])
    widget.start_session()
    created = widget.post("designs", {"product": product.sku, "prompt": "Une LICORNE rose"}, locale=locale)
    design = pipeline_run(Design.objects.get(public_id=created.json()["id"]))

    state = widget.get(f"designs/{design.public_id}", locale=locale).json()

    assert state["status"] == "rejected"
    assert state["error"] == {"code": "moderation_rejected", "message": expected}
    assert "licorne" not in state["error"]["message"].lower()
    assert "licorne" in design.error_message  # the reason kept for the brand's staff


def test_a_design_of_another_workspace_is_not_found_by_this_widget(widget, product, other_tenant):
    design = widget_ready_design(widget, product)
    stranger = Widget(widget.key)
    stranger.start_session()

    response = stranger.get(f"designs/{design.public_id}", locale="fr")
    beta = api_client(other_tenant).get(f"/api/v1/designs/{design.public_id}")

    assert response.status_code == 404
    assert beta.status_code == 404
