"""The OpenAPI schema validates and documents errors; Swagger UI works offline."""

import re

import yaml
from django.core.management import call_command
from django.test import Client

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
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io
