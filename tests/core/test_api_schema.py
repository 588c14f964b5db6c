"""The OpenAPI schema validates and documents errors; Swagger UI works offline."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.support.clients import api_client, error_code

ERROR_REF = "#/components/schemas/Error"


def test_the_schema_validates_without_warnings(db, tmp_path):
    # When the schema is generated strictly
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    # Then every operation documents the error envelope for auth, plan, scope and rate-limit failures
    schema = yaml.safe_load(target.read_text())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 5
    for operation in operations:
        for status in ("401", "402", "403", "429"):
            assert (
                operation["responses"][status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF
            )
    invite = schema["paths"]["/api/v1/invitations"]["post"]
    assert {"400", "409", "422"} <= set(invite["responses"])
    assert "Idempotency-Key" in [parameter["name"] for parameter in invite["parameters"]]
    assert "Retry-After" in invite["responses"]["429"]["headers"]


def test_the_schema_is_served_as_json(db):
    response = Client().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Luneo API"


def test_swagger_ui_is_served_from_local_static_files_only(db):
    # When someone opens the API docs
    response = Client().get("/api/docs/")

    # Then the page loads its assets from our own static files, never from the internet
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in asset for asset in assets)
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets)
    assert "https://" not in html
    assert "http://" not in html
    # and its set-up script, from our origin too (no inline script: Content-Security-Policy)
    assert '<script src="/api/docs/?script="></script>' in html
    script = Client().get("/api/docs/", {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script  # no badge fetched from validator.swagger.io
    assert "https://" not in script
    assert "http://" not in script


def test_request_bodies_say_what_each_media_type_carries(db, tmp_path):
    # When the schema is generated
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    components = schema["components"]["schemas"]
    body = schema["paths"]["/api/v1/designs"]["post"]["requestBody"]["content"]

    # Then JSON has no file field and multipart no null; non-blank strings and decimals say so
    json_body = components[body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    multipart = components[body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert "photo" not in json_body["properties"]
    assert multipart["properties"]["photo"]["format"] == "binary"
    assert not any(field.get("nullable") for field in multipart["properties"].values())
    assert components["BrandInputRequest"]["properties"]["name"]["minLength"] == 1
    number, string = components["ProductInputRequest"]["properties"]["price"]["anyOf"]
    assert [bool(re.fullmatch(string["pattern"], value)) for value in ("12.50", ".5", "", "-1", "1e2")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    # And decimals may be sent as JSON numbers too, within the same bounds; answers give strings
    assert (number["type"], number["multipleOf"], number["minimum"]) == ("number", 0.01, 0)
    assert (number["maximum"], number["exclusiveMaximum"]) == (10**8, True)
    width = components["ViewInputMultipartRequest"]["properties"]["width_mm"]["anyOf"][1]["pattern"]
    assert [bool(re.fullmatch(width, value)) for value in ("0.01", "0.10", "250", "0", "0.00", "-1")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert components["Product"]["properties"]["price"]["type"] == "string"
    # And lists of lists (a print area's points) travel in a form as one JSON part
    views = schema["paths"]["/api/v1/products/{product_id}/views"]["post"]["requestBody"]["content"]
    assert views["multipart/form-data"]["encoding"]["area_points"] == {"contentType": "application/json"}

    # And an unknown product named in a body is a documented 404, a bad page size a documented 400
    assert {"404", "409", "413", "415", "422"} <= set(schema["paths"]["/api/v1/designs"]["post"]["responses"])
    page_size = next(
        p for p in schema["paths"]["/api/v1/brands"]["get"]["parameters"] if p["name"] == "page_size"
    )
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 200)


@pytest.mark.parametrize("page_size", ["null", "", "0", "201", "ten"])
def test_a_page_size_outside_1_to_200_is_a_400(tenant, page_size):
    response = api_client(tenant).get("/api/v1/brands", {"page_size": page_size})

    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert "page_size" in response.json()["error"]["details"]["fields"]


@pytest.mark.parametrize(
    ("path", "parameter"), [("/api/v1/products", "status"), ("/api/v1/members", "search")]
)
def test_an_empty_filter_is_a_400_not_an_ignored_one(tenant, path, parameter):
    response = api_client(tenant).get(path, {parameter: ""})

    assert response.status_code == 400
    assert parameter in response.json()["error"]["details"]["fields"]
