"""One id per design, `dsg_…`: the id the designs API answers with orders the design and opens its
page; integer primary keys are refused everywhere (404), and other workspaces' ids too. Sockets by
that id: tests/designs/test_realtime.py."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from apps.designs.models import Design
from apps.designs.payloads import design_webhook_data
from apps.designs.services import design_create
from apps.tenants.models import Role
from tests.support.clients import api_client, dashboard_client, error_code, post_json
from tests.support.factories.designs import pipeline_run
from tests.support.factories.orders import ADDRESS, CUSTOMER, order_make
from tests.support.workspaces import member

DESIGNS = "/api/v1/designs"
ORDERS = "/api/v1/orders"
SCOPES = ["designs:read", "designs:write", "orders:read", "orders:write"]


@pytest.fixture
def client(tenant) -> Client:
    return api_client(tenant, SCOPES)


def order_of(design_id) -> dict:
    return {"items": [{"design": design_id}], "customer": CUSTOMER, "shipping_address": ADDRESS}


def test_a_design_created_through_the_api_is_ordered_with_the_id_the_api_returned(client, product):
    # Given a design created through the API
    created = post_json(client, DESIGNS, {"product": product.pk, "prompt": "A red fox"})
    assert created.status_code == 202, created.content
    design_id = created.json()["id"]
    assert design_id.startswith("dsg_")
    assert created.json()["links"]["self"].endswith(f"{DESIGNS}/{design_id}")
    assert created.json()["links"]["events"].endswith(f"/ws/designs/{design_id}/")

    # when the pipeline has taken it to ready
    design = pipeline_run(Design.objects.get(public_id=design_id))
    assert design.status == "ready"

    # then the API reads it, lists it and orders it by that id
    detail = client.get(f"{DESIGNS}/{design_id}")
    assert (detail.status_code, detail.json()["id"], detail.json()["status"]) == (200, design_id, "ready")
    assert [row["id"] for row in client.get(DESIGNS).json()["results"]] == [design_id]
    order = post_json(client, ORDERS, order_of(design_id))
    assert order.status_code == 201, order.content
    assert order.json()["items"][0]["design"] == design_id
    number = order.json()["number"]
    assert client.get(f"{ORDERS}/{number}").json()["items"][0]["design"] == design_id
    # and its webhooks name it by the same id
    assert design_webhook_data(design)["id"] == design_id


def test_a_variation_and_its_parent_are_named_by_their_public_ids(client, product):
    design = design_create(product=product.pk, prompt="Kite")

    variation = client.post(f"{DESIGNS}/{design.public_id}/variations")

    child_id = variation.json()["id"]
    assert child_id.startswith("dsg_")
    assert child_id != design.public_id
    assert client.get(f"{DESIGNS}/{child_id}").json()["parent"] == design.public_id


def test_an_integer_id_is_a_404_in_the_error_format(client, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers"))

    for response in (
        client.get(f"{DESIGNS}/{design.pk}"),
        client.post(f"{DESIGNS}/{design.pk}/cancel"),
        client.post(f"{DESIGNS}/{design.pk}/retry"),
        client.post(f"{DESIGNS}/{design.pk}/variations"),
    ):
        assert (response.status_code, error_code(response)) == (404, "not_found")
    order = post_json(client, ORDERS, order_of(design.pk))
    assert (order.status_code, error_code(order)) == (404, "design_not_found")
    assert Design.objects.count() == 1


def test_a_design_id_of_another_workspace_is_not_found(other_tenant, tenant, client, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Secret"))
    beta = api_client(other_tenant, SCOPES)

    detail = beta.get(f"{DESIGNS}/{design.public_id}")
    order = post_json(beta, ORDERS, order_of(design.public_id))

    assert (detail.status_code, error_code(detail)) == (404, "not_found")
    assert (order.status_code, error_code(order)) == (404, "design_not_found")


def test_the_dashboard_names_a_design_by_its_public_id(tenant, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Fox"))
    order = order_make(design)
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))

    page = viewer.get(f"/designs/{design.public_id}/")
    by_pk = viewer.get(f"/designs/{design.pk}/")
    listed = viewer.get("/designs/").content.decode()
    order_page = viewer.get(f"/orders/{order.number}/").content.decode()

    assert page.status_code == 200
    assert design.public_id in page.content.decode()
    assert by_pk.status_code == 404
    assert f'href="/designs/{design.public_id}/"' in listed
    assert f'href="/designs/{design.public_id}/"' in order_page


def test_downloads_are_named_by_the_public_id(client, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers"))

    url = client.get(f"{DESIGNS}/{design.public_id}").json()["assets"]["front/print_png"]["url"]
    download = Client().get(url)

    assert f'filename="design-{design.public_id}-front-print_png.png"' in download["Content-Disposition"]


def test_the_schema_shows_the_design_id_as_a_string(db, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())

    for path in ("/api/v1/designs/{id}", "/api/v1/designs/{id}/variations"):
        operation = next(iter(schema["paths"][path].values()))
        (parameter,) = [p for p in operation["parameters"] if p["in"] == "path"]
        assert (parameter["name"], parameter["schema"]["type"]) == ("id", "string")
    components = schema["components"]["schemas"]
    assert components["Design"]["properties"]["id"]["type"] == "string"
    assert components["Design"]["properties"]["parent"]["type"] == "string"
    assert components["DesignAccepted"]["properties"]["id"]["type"] == "string"
