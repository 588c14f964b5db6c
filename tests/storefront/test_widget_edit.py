"""The widget's design editing: the state its editor needs, edits and regeneration for the
shopper's own designs only."""

import io

from django_tenants.utils import tenant_context
from PIL import Image

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from tests.support.clients import error_code
from tests.support.factories.designs import REDRAW, pipeline_run
from tests.support.factories.orders import order_make
from tests.support.factories.products import image_upload
from tests.support.widget import SHOP, Widget, widget_ready_design


def test_a_ready_design_gives_the_editor_its_artwork_photo_layout_and_text(widget, brand, product):
    brand.allow_photo_upload = True
    brand.save()
    widget.start_session()
    created = widget.client.post(
        widget.url("designs"),
        {
            "product": product.sku,
            "prompt": "our cat",
            "photo": image_upload(60, 40),
            "text_layers": '[{"text": "Mimi"}]',
        },
        **widget.headers({}),
    )
    assert created.status_code == 202, created.content
    pipeline_run(Design.objects.get(public_id=created.json()["id"]))

    body = widget.get(f"designs/{created.json()['id']}").json()

    assert body["editable"] is True
    assert body["layout"] == {
        "artwork": {"x": 0.5, "y": 0.5, "scale": 1.0, "rotation": 0},
        "photo": {"x": 0.5, "y": 0.5, "scale": 0.6, "rotation": 0},
    }
    assert [layer["text"] for layer in body["text_layers"]] == ["Mimi"]
    artwork = widget.client.get(body["artwork_url"])
    photo = widget.client.get(body["photo_url"])
    assert artwork.status_code == photo.status_code == 200
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (60, 40)
    assert photo["Cache-Control"].startswith("private")


def test_the_config_gives_the_editor_each_views_safe_zone_and_the_fonts(widget, product):
    config = widget.get("config", product=product.sku).json()

    left, top, right, bottom = config["views"][0]["safe"]
    assert 0 < left < right < 1
    assert 0 < top < bottom < 1
    assert {font["id"] for font in config["fonts"]} >= {"dejavu-sans", "dejavu-serif"}
    assert all(font["url"].startswith("http://testserver/widget/v1/fonts/") for font in config["fonts"])


def test_the_shopper_moves_the_artwork_and_the_print_file_follows(widget, product):
    design = widget_ready_design(widget, product)

    edited = widget.patch(
        f"designs/{design.public_id}", {"layout": {"artwork": {"x": 0.2, "scale": 0.4, "rotation": 15}}}
    )
    design = pipeline_run(Design.objects.get(pk=design.pk), REDRAW)

    assert edited.status_code == 202, edited.content
    assert edited.json()["links"]["self"].endswith(f"/api/v1/widget/designs/{design.public_id}")
    assert design.status == "ready"
    assert design.layout["artwork"] == {"x": 0.2, "y": 0.5, "scale": 0.4, "rotation": 15}
    with design.assets.get(view__name="front", kind="print_png").file.open("rb") as file:
        printed = Image.open(io.BytesIO(file.read())).convert("RGBA")
    width, height = printed.size
    assert printed.getpixel((round(width * 0.2), height // 2))[3] == 255
    assert printed.getpixel((round(width * 0.8), height // 2))[3] == 0


def test_regenerate_makes_a_new_design_with_the_same_words_for_the_same_shopper(widget, product):
    design = widget_ready_design(widget, product, text_layers=[{"text": "Anna", "rotation": 10}])

    response = widget.post(f"designs/{design.public_id}/variations", headers={"HTTP_IDEMPOTENCY_KEY": "v-1"})
    again = widget.post(f"designs/{design.public_id}/variations", headers={"HTTP_IDEMPOTENCY_KEY": "v-1"})

    assert response.status_code == 202, response.content
    assert again.json()["id"] == response.json()["id"]
    variation = Design.objects.get(public_id=response.json()["id"])
    assert (variation.parent_id, variation.prompt, variation.shopper_session) == (
        design.pk, design.prompt, design.shopper_session,
    )  # fmt: skip
    assert variation.text_layers == design.text_layers
    assert widget.get(f"designs/{variation.public_id}").status_code == 200


def test_an_ordered_design_is_not_editable_and_says_so(widget, product):
    design = widget_ready_design(widget, product)
    order_make(design)

    state = widget.get(f"designs/{design.public_id}").json()
    edited = widget.patch(f"designs/{design.public_id}", {"layout": {"artwork": {"x": 0.2}}})

    assert state["editable"] is False
    assert (edited.status_code, error_code(edited)) == (409, "design_ordered")


def test_another_shopper_or_workspace_cannot_edit_or_regenerate(other_tenant, tenant, widget, product):
    design = widget_ready_design(widget, product)
    widget.start_session()  # another shopper on the same shop
    other_shopper = (
        widget.patch(f"designs/{design.public_id}", {"layout": {}}),
        widget.post(f"designs/{design.public_id}/variations"),
    )
    with tenant_context(other_tenant):
        foreign_brand = brand_create(name="Beta brand", allowed_origins=[SHOP])
        _key, raw = brand_publishable_key_create(brand=foreign_brand)
    stranger = Widget(raw)
    stranger.start_session()
    other_workspace = (
        stranger.patch(f"designs/{design.public_id}", {"layout": {}}),
        stranger.post(f"designs/{design.public_id}/variations"),
    )

    assert [response.status_code for response in (*other_shopper, *other_workspace)] == [404] * 4
    with tenant_context(tenant):
        assert Design.objects.count() == 1
        assert Design.objects.get(pk=design.pk).status == "ready"


def test_a_preflight_allows_the_edit(widget):
    response = widget.client.options(
        widget.url("designs/dsg_x"),
        HTTP_ORIGIN=SHOP,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
    )

    assert "PATCH" in response["Access-Control-Allow-Methods"]
