"""API calls skip the middleware only browsers need (config/middleware.py); pages keep it."""

from django.test import Client

from tests.support.clients import api_client, dashboard_client
from tests.support.workspaces import member


def test_an_api_call_gets_no_session_cookie_page_policy_or_messages(tenant):
    client = api_client(tenant, ["account:read"])

    response = client.get("/api/v1/me", HTTP_COOKIE="sessionid=whatever")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert not response.cookies  # no session was opened, none refreshed
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "_messages")


def test_a_page_keeps_its_policy_session_and_messages(tenant):
    client = dashboard_client(tenant, member(tenant))

    response = client.get("/")

    assert response.status_code == 200
    assert "script-src" in response["Content-Security-Policy"]
    assert response.wsgi_request.session.session_key
    assert hasattr(response.wsgi_request, "_messages")


def test_the_api_docs_page_is_a_page(db):
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    assert "script-src" in response["Content-Security-Policy"]
