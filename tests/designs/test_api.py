"""The designs API: create (202), read, list, retry, cancel, variations, signed asset links."""

import json

import pytest
from django.core import signing
from django.db import connection
from django.test import Client, RequestFactory
from rest_framework.serializers import Serializer

from apps.designs.api.serializers import DesignSerializer
from apps.designs.models import Design
from apps.designs.payloads import design_webhook_data
from apps.designs.services import design_create
from apps.designs.signing import SALT, asset_token, asset_token_read, asset_url
from apps.products.models import Product
from tests.support.clients import api_client, error_code, post_json
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import pipeline_run, ready_design
from tests.support.factories.products import image_upload, product_make, variant_make

DESIGNS = "/api/v1/designs"
READ_WRITE = ["designs:read", "designs:write"]


@pytest.fixture
def client(tenant) -> Client:
    return api_client(tenant, READ_WRITE)


def test_create_answers_202_with_links_and_queues_the_design(client, product):
    response = post_json(
        client, DESIGNS, {"product": product.pk, "prompt": "A red fox", "style": "watercolor"}
    )

    assert response.status_code == 202
    body = response.json()
    design = Design.objects.get(public_id=body["id"])
    assert body["status"] == "queued"
    assert body["links"]["self"] == f"http://testserver/api/v1/designs/{design.public_id}"
    assert body["links"]["events"] == f"ws://testserver/ws/designs/{design.public_id}/"
    assert response["Location"] == body["links"]["self"]
    assert (design.style, design.api_key_prefix != "") == ("watercolor", True)


def test_create_with_the_same_idempotency_key_returns_the_first_design(client, product):
    data = {"product": product.pk, "prompt": "A red fox"}

    first = post_json(client, DESIGNS, data, **{"Idempotency-Key": "k-1"})
    again = post_json(client, DESIGNS, data, **{"Idempotency-Key": "k-1"})

    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Design.objects.count() == 1


def test_a_ready_design_shows_progress_warnings_and_signed_assets(client, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers"))

    response = client.get(f"{DESIGNS}/{design.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["parent"]) == (design.public_id, None)
    assert {key: body[key] for key in ("status", "step", "progress", "error", "product", "provider")} == {
        "status": "ready", "step": "done", "progress": 100, "error": None, "product": product.pk,
        "provider": "offline",
    }  # fmt: skip
    assert set(body["assets"]) == {
        "artwork", "glb", "front/preview_jpg", "front/preview_webp", "front/thumb", "front/print_png",
        "front/print_pdf",
    }  # fmt: skip
    print_png = body["assets"]["front/print_png"]
    assert (print_png["width"], print_png["height"], print_png["dpi"]) == (409, 331, 100)
    assert print_png["url"].startswith("http://testserver/designs/assets/")

    # and the link downloads the file, without a key, as an attachment
    download = Client().get(print_png["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    preview = Client().get(body["assets"]["front/preview_webp"]["url"])
    assert (preview.status_code, preview["Content-Type"]) == (200, "image/webp")
    assert preview["Content-Disposition"].startswith("inline;")


def test_the_hand_rendered_design_matches_drf_field_by_field(tenant, product):
    """DesignSerializer renders by hand for speed; its declared fields (the schema) must agree."""
    layers = [
        {"text": "Happy day", "font": "dejavu-sans", "color": "#112233", "x": 1, "y": 0.25, "size": 0.1}
    ]
    ready = ready_design(product, text_layers=layers, layout={"artwork": {"x": 0.4, "scale": 1}})
    variation = design_create(product=product.pk, prompt="Again", parent=ready, text_layers=[{"text": "Hi"}])
    failed = design_create(product=product.pk, prompt="Bees")
    Design.objects.filter(pk=failed.pk).update(
        status=Design.Status.FAILED, error_code="render_failed", error_message="The mockup is broken."
    )
    failed.refresh_from_db()
    serializer = DesignSerializer(context={"request": RequestFactory().get("/", HTTP_HOST="testserver")})

    for design in (ready, variation, failed):
        drf = Serializer.to_representation(serializer, design)
        assert json.dumps(serializer.to_representation(design)) == json.dumps(drf)  # order and types too
    assert json.dumps(serializer.to_representation(ready)["text_layers"][0]["x"]) == "1.0"
    assert serializer.to_representation(variation)["parent"] == ready.public_id
    assert serializer.to_representation(failed)["error"]["code"] == "render_failed"


def test_a_failed_design_shows_its_error(client, product):
    design = design_create(product=product.pk, prompt="Bees")
    view = product.views.get()
    with view.mockup.storage.open(view.mockup.name, "wb") as file:
        file.write(b"broken")
    pipeline_run(design)

    body = client.get(f"{DESIGNS}/{design.public_id}").json()

    assert body["status"] == "failed"
    assert body["error"]["code"] == "render_failed"


def test_list_filters_and_paginates(client, product):
    other = product_make()
    first = design_create(product=product.pk, prompt="One")
    second = design_create(product=product.pk, prompt="Two")
    third = design_create(product=other.pk, prompt="Three")
    client.post(f"{DESIGNS}/{second.public_id}/cancel")

    def ids(**params):
        response = client.get(DESIGNS, params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids() == [third.public_id, second.public_id, first.public_id]
    assert ids(status="cancelled") == [second.public_id]
    assert ids(product=other.pk) == [third.public_id]
    assert ids(created_after=second.created_at.isoformat()) == [third.public_id]
    page = client.get(DESIGNS, {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert page["next"]
    assert client.get(DESIGNS, {"status": "nope"}).status_code == 400


def test_create_with_a_photo_and_a_text_layer_in_multipart(client, product):
    response = client.post(
        DESIGNS,
        {
            "product": product.pk,
            "prompt": "Our family",
            "photo": image_upload(60, 40),
            "text_layers": json.dumps([{"text": "Smith", "color": "#FF0000"}]),
        },
    )

    assert response.status_code == 202, response.content
    design = Design.objects.get(public_id=response.json()["id"])
    assert design.photo
    assert design.text_layers == [
        {
            "text": "Smith",
            "font": "dejavu-sans",
            "color": "#ff0000",
            "x": 0.5,
            "y": 0.85,
            "size": 0.08,
            "rotation": 0,
        }
    ]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"product": 999999, "prompt": "x"}, 404, "product_not_found"),
        ({"prompt": "x"}, 400, "validation_error"),
        ({"product": "PRODUCT", "prompt": ""}, 422, "prompt_invalid"),
        ({"product": "PRODUCT", "prompt": "   "}, 422, "prompt_invalid"),
        ({"product": "PRODUCT", "prompt": "x" * 1001}, 422, "prompt_invalid"),
        ({"product": "PRODUCT", "prompt": "x", "style": "cubism"}, 422, "style_invalid"),
        ({"product": "PRODUCT", "prompt": "x", "variant": 999999}, 422, "variant_invalid"),
        ({"product": "PRODUCT", "prompt": "x", "text_layers": [{"text": ""}]}, 422, "text_layers_invalid"),
        (
            {"product": "PRODUCT", "prompt": "x", "text_layers": [{"text": "a", "color": "red"}]},
            422,
            "text_layers_invalid",
        ),
        (
            {"product": "PRODUCT", "prompt": "x", "text_layers": [{"text": "a", "font": "Comic"}]},
            422,
            "text_layers_invalid",
        ),
        (
            {"product": "PRODUCT", "prompt": "x", "text_layers": [{"text": "a"}] * 6},
            422,
            "text_layers_invalid",
        ),
        ({"product": "PRODUCT", "prompt": "x", "text_layers": "nope"}, 400, "validation_error"),
    ],
    ids=[
        "unknown product",
        "no product",
        "empty prompt",
        "blank prompt",
        "long prompt",
        "unknown style",
        "foreign variant",
        "empty text",
        "bad colour",
        "unknown font",
        "too many layers",
        "layers not a list",
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(client, product, data, status, code):
    if data.get("product") == "PRODUCT":
        data = {**data, "product": product.pk}

    response = post_json(client, DESIGNS, data)

    assert (response.status_code, error_code(response)) == (status, code), response.content
    assert Design.objects.count() == 0


def test_an_inactive_product_is_a_conflict(client):
    draft = product_make(status=Product.Status.DRAFT)

    response = post_json(client, DESIGNS, {"product": draft.pk, "prompt": "x"})

    assert (response.status_code, error_code(response)) == (409, "product_inactive")


def test_a_variant_of_the_product_is_accepted(client, product):
    variant = variant_make(product)

    response = post_json(client, DESIGNS, {"product": product.pk, "variant": variant.pk, "prompt": "x"})

    assert response.status_code == 202
    assert Design.objects.get().variant == variant


def test_brand_rules_refuse_text_and_photos(client):
    product = product_make(brand=brand_make(allow_text_layers=False, allow_photo_upload=False))

    text = post_json(client, DESIGNS, {"product": product.pk, "prompt": "x", "text_layers": [{"text": "Hi"}]})
    photo = client.post(DESIGNS, {"product": product.pk, "prompt": "x", "photo": image_upload()})

    assert (text.status_code, error_code(text)) == (422, "text_layers_not_allowed")
    assert (photo.status_code, error_code(photo)) == (422, "photo_not_allowed")


def test_a_photo_that_is_not_an_image_or_too_large_is_refused(client, product, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    not_image = client.post(
        DESIGNS, {"product": product.pk, "prompt": "x", "photo": SimpleUploadedFile("a.png", b"hello")}
    )
    settings.UPLOAD_MAX_BYTES = 100
    too_large = client.post(DESIGNS, {"product": product.pk, "prompt": "x", "photo": image_upload(300, 300)})

    assert (not_image.status_code, error_code(not_image)) == (422, "upload_invalid")
    assert (too_large.status_code, error_code(too_large)) == (413, "upload_too_large")
    assert Design.objects.count() == 0


def test_retry_cancel_and_variations(client, product):
    design = design_create(product=product.pk, prompt="Kite")

    not_failed = client.post(f"{DESIGNS}/{design.public_id}/retry")
    variation = client.post(f"{DESIGNS}/{design.public_id}/variations")
    cancelled = client.post(f"{DESIGNS}/{design.public_id}/cancel")
    again = client.post(f"{DESIGNS}/{design.public_id}/cancel")

    assert (not_failed.status_code, error_code(not_failed)) == (409, "design_not_retryable")
    assert variation.status_code == 202
    assert client.get(f"{DESIGNS}/{variation.json()['id']}").json()["parent"] == design.public_id
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert (again.status_code, error_code(again)) == (409, "design_not_cancellable")


def test_a_failed_design_is_retried_through_the_api(client, product):
    design = design_create(product=product.pk, prompt="Bees")
    view = product.views.get()
    good = view.mockup.read()
    with view.mockup.storage.open(view.mockup.name, "wb") as file:
        file.write(b"broken")
    pipeline_run(design)
    with view.mockup.storage.open(view.mockup.name, "wb") as file:
        file.write(good)

    response = client.post(f"{DESIGNS}/{design.public_id}/retry")

    assert (response.status_code, response.json()["status"]) == (202, "queued")
    assert pipeline_run(design).status == "ready"


def test_scopes_are_required(tenant, product):
    read_only = api_client(tenant, ["designs:read"])
    nothing = api_client(tenant, ["account:read"])

    assert post_json(read_only, DESIGNS, {"product": product.pk, "prompt": "x"}).status_code == 403
    assert nothing.get(DESIGNS).status_code == 403
    assert read_only.get(DESIGNS).status_code == 200


# --- across workspaces and signed links ----------------------------------------------------


def test_another_workspace_key_gets_404_for_the_design_and_its_actions(other_tenant, tenant, product):
    design = design_create(product=product.pk, prompt="Secret")
    beta = api_client(other_tenant, READ_WRITE)

    assert beta.get(f"{DESIGNS}/{design.public_id}").status_code == 404
    assert beta.post(f"{DESIGNS}/{design.public_id}/cancel").status_code == 404
    assert beta.post(f"{DESIGNS}/{design.public_id}/retry").status_code == 404
    assert beta.post(f"{DESIGNS}/{design.public_id}/variations").status_code == 404
    assert beta.get(DESIGNS).json()["results"] == []
    assert post_json(beta, DESIGNS, {"product": product.pk, "prompt": "x"}).status_code == 404


def test_signed_links_are_bound_to_their_workspace_and_expire(other_tenant, tenant, product, settings):
    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers"))
    asset = design.assets.get(kind="thumb")
    url = f"/designs/assets/{asset_token(schema='alpha', asset_id=asset.pk)}/"
    forged = signing.dumps(["alpha", asset.pk], key="not-our-secret", salt=SALT)
    other_schema = f"/designs/assets/{asset_token(schema='beta', asset_id=asset.pk)}/"

    assert Client().get(url).status_code == 200  # public host
    assert Client(HTTP_HOST="alpha.localhost").get(url).status_code == 200  # its workspace host, no session
    assert Client(HTTP_HOST="beta.localhost").get(url).status_code == 404  # another workspace's host
    assert Client().get(f"/designs/assets/{forged}/").status_code == 404
    assert Client().get(other_schema).status_code == 404  # beta has no such asset
    assert Client().get("/designs/assets/garbage/").status_code == 404

    settings.ASSET_URL_MAX_AGE = -1
    assert Client().get(url).status_code == 404


def test_a_link_signed_in_the_last_minute_is_reused_in_its_workspace_only(other_tenant, tenant, product):
    asset = ready_design(product).assets.get(kind="thumb")
    url = asset_url(asset)

    assert asset_url(asset) == url
    assert asset_url(asset, lasting=True) != url
    connection.set_tenant(other_tenant)  # an asset with the same id in another workspace
    assert asset_token_read(asset_url(asset).split("/")[-2]) == (other_tenant.schema_name, asset.pk)
    connection.set_tenant(tenant)
    assert Client().get(url).status_code == 200


def test_links_of_a_suspended_workspace_stop_working(tenant, product):
    from apps.tenants.services import tenant_reactivate, tenant_suspend

    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers"))
    url = f"/designs/assets/{asset_token(schema='alpha', asset_id=design.assets.first().pk)}/"
    tenant_suspend(tenant=tenant)
    try:
        assert Client().get(url).status_code == 404
    finally:
        tenant_reactivate(tenant=tenant)


def test_the_openapi_schema_documents_the_designs_endpoints(db, tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    paths = yaml.safe_load(target.read_text())["paths"]
    create = paths["/api/v1/designs"]["post"]
    assert "202" in create["responses"]
    assert {"application/json", "multipart/form-data"} <= set(create["requestBody"]["content"])
    assert "Idempotency-Key" in [parameter["name"] for parameter in create["parameters"]]
    assert {"status", "product", "created_after", "cursor"} <= {
        parameter["name"] for parameter in paths["/api/v1/designs"]["get"]["parameters"]
    }
    for action in ("retry", "cancel", "variations"):
        assert "post" in paths[f"/api/v1/designs/{{id}}/{action}"]
    assert "assets" in yaml.safe_load(target.read_text())["components"]["schemas"]["Design"]["properties"]


def test_a_refused_design_says_why_without_repeating_the_refused_word(client, product):
    design = pipeline_run(design_create(product=product.pk, prompt="a gun on a table"))

    body = client.get(f"{DESIGNS}/{design.public_id}", HTTP_ACCEPT_LANGUAGE="fr").json()
    webhook = design_webhook_data(design)

    assert (body["status"], body["error"]["code"]) == ("rejected", "moderation_rejected")
    assert body["error"]["message"]
    assert "gun" not in body["error"]["message"]
    assert webhook["error"]["code"] == "moderation_rejected"
    assert "gun" not in webhook["error"]["message"]
    assert "gun" in design.error_message  # the brand's staff still see which word, on the dashboard
