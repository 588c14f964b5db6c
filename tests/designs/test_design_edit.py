"""Editing a ready design through the API: the layout and text become its spec, its files are
drawn again from the same artwork, and what cannot change (not ready, ordered) says why."""

import io

import pytest
from PIL import Image

from apps.designs.models import Design
from apps.designs.rendering import PrintSpec
from apps.designs.selectors import view_print_spec
from apps.designs.services import design_create
from tests.support.clients import api_client, error_code
from tests.support.factories.designs import REDRAW, pipeline_run, ready_design
from tests.support.factories.orders import order_make

DESIGNS = "/api/v1/designs"


@pytest.fixture
def client(tenant):
    return api_client(tenant, ["designs:read", "designs:write"])


def patch(client, design: Design, body):
    return client.patch(f"{DESIGNS}/{design.public_id}", body, content_type="application/json")


def print_png(design: Design) -> Image.Image:
    asset = design.assets.get(view__name="front", kind="print_png")
    with asset.file.open("rb") as file:
        return Image.open(io.BytesIO(file.read())).convert("RGBA")


def test_moving_the_artwork_redraws_the_print_file_where_it_was_dropped(client, product):
    design = ready_design(product)
    artwork = design.assets.get(kind="artwork").file.name
    before = print_png(design)

    response = patch(client, design, {"layout": {"artwork": {"x": 0.75, "scale": 0.5}}})
    design = pipeline_run(Design.objects.get(pk=design.pk), REDRAW)

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "compositing"
    assert design.status == "ready"
    assert design.assets.get(kind="artwork").file.name == artwork  # not generated again
    assert Design.objects.count() == 1
    artwork_layer = design.spec["layers"][0]
    assert {key: artwork_layer[key] for key in ("type", "x", "y", "scale", "rotation")} == {
        "type": "artwork", "x": 0.75, "y": 0.5, "scale": 0.5, "rotation": 0,
    }  # fmt: skip
    after = print_png(design)
    width, height = after.size
    assert before.getpixel((width // 4, height // 2))[3] == 255
    assert after.getpixel((width // 4, height // 2))[3] == 0  # the left half is empty now
    assert after.getpixel((3 * width // 4, height // 2))[3] == 255
    body = client.get(f"{DESIGNS}/{design.public_id}").json()
    assert body["layout"]["artwork"] == {"x": 0.75, "y": 0.5, "scale": 0.5, "rotation": 0}


def test_text_layers_are_replaced_and_turned(client, product):
    design = ready_design(product, text_layers=[{"text": "Anna"}])

    response = patch(
        client, design, {"text_layers": [{"text": "Anna", "rotation": 90}, {"text": "2026", "y": 0.2}]}
    )
    design = pipeline_run(Design.objects.get(pk=design.pk), REDRAW)

    assert response.status_code == 202, response.content
    texts = [layer for layer in design.spec["layers"] if layer["type"] == "text"]
    assert [(layer["text"], layer["rotation"]) for layer in texts] == [("Anna", 90), ("2026", 0)]
    assert [layer["text"] for layer in design.text_layers] == ["Anna", "2026"]


def test_new_text_is_moderated_before_anything_changes(client, product):
    design = ready_design(product)
    spec = design.spec

    response = patch(client, design, {"text_layers": [{"text": "buy a gun"}]})

    design.refresh_from_db()
    assert response.status_code == 422
    assert error_code(response) == "moderation_rejected"
    assert "gun" not in response.json()["error"]["message"]
    assert (design.status, design.text_layers, design.spec) == ("ready", [], spec)


def test_a_design_not_ready_or_in_an_order_cannot_change(client, product):
    queued = design_create(product=product.pk, prompt="A fox")
    ordered = ready_design(product)
    order_make(ordered)

    not_ready = patch(client, queued, {"layout": {"artwork": {"x": 0.2}}})
    in_order = patch(client, ordered, {"layout": {"artwork": {"x": 0.2}}})

    assert (not_ready.status_code, error_code(not_ready)) == (409, "design_not_editable")
    assert (in_order.status_code, error_code(in_order)) == (409, "design_ordered")
    ordered.refresh_from_db()
    assert (ordered.status, ordered.layout["artwork"]["x"]) == ("ready", 0.5)


@pytest.mark.parametrize(
    "body",
    [
        {"layout": {"artwork": {"scale": 0}}},
        {"layout": {"artwork": {"rotation": 720}}},
        {"layout": {"artwork": {"x": "left"}}},
        {"layout": {"artwork": {"x": True}}},
        {"layout": {"sticker": {}}},
        {"layout": {"artwork": {"skew": 1}}},
        {"layout": "centre"},
        {"layout": [1, 2]},
        {"text_layers": [{"text": "hi", "rotation": 400}]},
        {"text_layers": [{"text": "\x00"}]},
        {"layout": {"artwork": {"x": {"a": {"b": {"c": [[[[[[1]]]]]]}}}}}},
    ],
)
def test_impossible_edits_are_422_and_change_nothing(client, product, body):
    design = ready_design(product)

    response = patch(client, design, body)

    design.refresh_from_db()
    assert response.status_code in (400, 422), response.content
    assert error_code(response) in (
        "layout_invalid",
        "text_layers_invalid",
        "validation_error",
        "malformed_request",
    )
    assert design.status == "ready"


def test_an_edit_needs_the_write_scope_and_another_workspace_sees_nothing(other_tenant, tenant, product):
    design = ready_design(product)
    reader = api_client(tenant, ["designs:read"])
    stranger = api_client(other_tenant, ["designs:read", "designs:write"])

    assert patch(reader, design, {"layout": {}}).status_code == 403
    assert patch(stranger, design, {"layout": {}}).status_code == 404
    assert reader.get(f"{DESIGNS}/{design.public_id}").json()["status"] == "ready"


def test_the_safe_zone_is_the_bleed_and_the_safe_margin_inside_the_page(product):
    view = product.views.get(name="front")
    spec = view_print_spec(view)
    page_width, page_height = spec.page_mm()

    left, top, right, bottom = spec.safe_box()

    assert left == pytest.approx((spec.bleed_mm + spec.safe_mm) / page_width)
    assert bottom == pytest.approx(1 - (spec.bleed_mm + spec.safe_mm) / page_height)
    assert PrintSpec(width_mm=4, height_mm=4, bleed_mm=3, safe_mm=3).safe_box() == (0.45, 0.45, 0.55, 0.55)
