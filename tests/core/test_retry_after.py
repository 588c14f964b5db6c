"""Every 429, a DRF throttle's or one of our errors', carries `Retry-After`: whole seconds, at least 1."""

from rest_framework import exceptions

from apps.core.api.errors import exception_handler
from apps.core.errors import ApplicationError, RateLimited
from tests.support.clients import api_client, bearer, error_code, new_key
from tests.support.factories.webhooks import endpoint_make


def retry_after(response) -> int:
    """The header as an integer, checked against `details.retry_after`; fails if either is missing."""
    header = response.headers["Retry-After"]
    assert header.isdigit(), header
    assert response.json()["error"]["details"]["retry_after"] == int(header)
    return int(header)


def test_the_api_key_throttle_says_when_to_come_back(tenant, settings):
    # Given a key allowed one request a minute, already spent
    settings.API_RATE_LIMIT_REQUESTS = 1
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 60
    client = bearer(new_key(tenant)[1])
    assert client.get("/api/v1/me").status_code == 200

    # When it calls again
    response = client.get("/api/v1/me")

    # Then the 429 says how many seconds to wait
    assert (response.status_code, error_code(response)) == (429, "rate_limited")
    assert 1 <= retry_after(response) <= 60


def test_the_widget_throttle_says_when_to_come_back(widget, widget_product, settings):
    settings.WIDGET_RATE_LIMIT_REQUESTS = 1
    settings.WIDGET_RATE_LIMIT_WINDOW_SECONDS = 30
    assert widget.get("config", product=widget_product.sku).status_code == 200

    response = widget.get("config", product=widget_product.sku)

    assert (response.status_code, error_code(response)) == (429, "rate_limited")
    assert 1 <= retry_after(response) <= 30
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]  # the shop's page may read it


def test_a_second_webhook_test_event_too_soon_says_when_to_come_back(tenant, receiver):
    # Given an endpoint that was just sent a test event
    endpoint, _secret = endpoint_make(receiver.url)
    client = api_client(tenant, ["webhooks:write"])
    path = f"/api/v1/webhooks/endpoints/{endpoint.pk}/test"
    assert client.post(path).status_code == 202

    # When another is asked for at once
    response = client.post(path)

    # Then the project's own 429 carries the header too
    assert (response.status_code, error_code(response)) == (429, "webhook_test_too_soon")
    assert 1 <= retry_after(response) <= 10


def test_a_429_that_does_not_know_its_wait_still_sends_one():
    class Busy(ApplicationError):
        code = "busy"
        status = 429

    throttled = exception_handler(exceptions.Throttled(wait=None), {})
    ours = exception_handler(Busy(), {})

    assert int(throttled.headers["Retry-After"]) > 0
    assert int(ours.headers["Retry-After"]) > 0
    assert ours.data["error"]["code"] == "busy"


def test_the_error_keeps_its_details_beside_retry_after():
    error = RateLimited(retry_after=2.5, details={"endpoint": 7})

    response = exception_handler(error, {})

    assert response.headers["Retry-After"] == "3"
    assert response.data["error"]["details"] == {"endpoint": 7, "retry_after": 3}
