"""Every /api/ error, even outside DRF views, uses the one JSON envelope."""

from django.test import Client

from tests.support.clients import bearer, new_key


def test_an_unknown_api_path_is_a_json_404(tenant):
    # When a key calls an endpoint that does not exist
    response = bearer(new_key(tenant)[1]).get("/api/v1/nope")

    # Then the answer is the JSON envelope, not an HTML page
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_an_api_path_on_an_unknown_host_is_a_json_404(db):
    response = Client(HTTP_HOST="nobody.localhost").get("/api/v1/me")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_crash_on_an_api_path_is_a_json_500(tenant, test_views):
    # When an API view crashes
    _key, raw = new_key(tenant)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
    response = client.get("/api/v1/test/crash")

    # Then the client gets the envelope without internals
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert "boom" not in error["message"]


def test_a_malformed_json_body_is_a_400(tenant):
    response = bearer(new_key(tenant)[1]).post(
        "/api/v1/invitations", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


def test_a_wrong_method_is_a_json_405(tenant):
    response = bearer(new_key(tenant)[1]).delete("/api/v1/me")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_pages_outside_the_api_keep_their_html_404(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
