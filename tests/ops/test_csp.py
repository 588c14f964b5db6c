"""Content-Security-Policy: every page says where its scripts may come from, and no inline
script runs without the response's nonce."""

import re

import pytest
from django.test import Client

from apps.brands.services import brand_create, brand_publishable_key_create
from tests.support.clients import dashboard_client, operator_client
from tests.support.workspaces import member

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def _assert_strict(response) -> None:
    """Scripts only from our origin or with this response's nonce; every inline script has it."""
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    nonces = [source for source in policy["script-src"] if source.startswith("'nonce-")]
    for attributes in SCRIPT_TAG.findall(response.content.decode()):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue  # from a URL the policy allows, or data that never runs
        assert f'nonce="{nonces[0][7:-1]}"' in attributes, attributes


def test_the_dashboard_has_a_strict_policy(tenant):
    client = dashboard_client(tenant, member(tenant))

    _assert_strict(client.get("/"))


def test_the_operators_admin_has_a_strict_policy(db):
    _assert_strict(operator_client().get("/admin/"))
    _assert_strict(Client(HTTP_HOST="localhost").get("/accounts/login/"))  # where /admin/login/ leads


def test_the_api_docs_have_a_strict_policy_and_load_their_script_from_our_origin(db):
    client = Client(HTTP_HOST="localhost")
    response = client.get("/api/docs/")

    _assert_strict(response)
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', response.content.decode())
    assert script is not None
    loaded = client.get(script.group(1).replace("&amp;", "&"))
    assert loaded.status_code == 200
    assert loaded["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in loaded.content


def test_the_widget_demo_page_runs_its_inline_script_with_the_nonce(tenant):
    brand = brand_create(name="Demo")
    _key, raw_key = brand_publishable_key_create(brand=brand)

    response = Client(HTTP_HOST="alpha.localhost").get(f"/widget/v1/demo?key={raw_key}&product=MUG-11")

    _assert_strict(response)
    assert b"nonce=" in response.content


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost"])
def test_a_page_nobody_may_frame(tenant, host):
    response = Client(HTTP_HOST=host).get("/accounts/login/")

    assert _policy(response)["frame-ancestors"] == ["'none'"]
