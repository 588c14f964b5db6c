"""Stripe faked at the stripe library's HTTP client, and events signed with a test secret.

Our code and the `stripe` library (request encoding, responses into objects, errors) stay on the
path; only the bytes that would cross the network are answered here. dj-stripe's webhook view
verifies the signatures for real.
"""

import hashlib
import hmac
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from django.db import connection
from django.test import Client
from djstripe.models import WebhookEndpoint

from apps.tenants.models import Tenant

WEBHOOK_SECRET = "whsec_luneo_test_secret"
STRIPE_KEY = "sk_test_luneo" + "0" * 24  # the shape dj-stripe checks


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeStripe(stripe.HTTPClient):
    """Answers Stripe API requests from `routes` (method, path regex) → callable(call) → (status, body)."""

    calls: list[Call] = field(default_factory=list)
    routes: list = field(default_factory=list)
    name = "fake"

    def __post_init__(self):
        super().__init__()

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        query = post_data.decode() if isinstance(post_data, bytes) else (post_data or parts.query)
        call = Call(
            method.upper(), parts.path, dict(parse_qsl(query, keep_blank_values=True)), dict(headers or {})
        )
        self.calls.append(call)
        for route_method, pattern, answer in reversed(self.routes):
            if route_method == call.method and re.fullmatch(pattern, call.path):
                status, body = answer(call)
                return json.dumps(body), status, {"Request-Id": f"req_{len(self.calls)}"}
        body = {"error": {"type": "invalid_request_error", "message": f"no fake for {method} {parts.path}"}}
        return json.dumps(body), 404, {}

    def close(self):
        pass

    def on(self, method: str, pattern: str, answer) -> None:
        self.routes.append((method, pattern, answer))

    def sent(self, method: str, path: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and call.path == path]


def obj(kind: str, **fields) -> dict:
    return {
        "id": fields.pop("id", f"{kind[:4]}_{uuid.uuid4().hex[:14]}"),
        "object": kind,
        "livemode": False,
        **fields,
    }


def _default_routes(fake: FakeStripe) -> None:
    created = int(time.time())
    fake.on(
        "GET", r"/v1/account", lambda c: (200, obj("account", id="acct_luneo", settings={}, created=created))
    )
    fake.on(
        "POST",
        r"/v1/customers",
        lambda c: (200, obj("customer", email=c.params.get("email"), created=created)),
    )
    fake.on(
        "POST",
        r"/v1/checkout/sessions",
        lambda c: (
            200,
            obj("checkout.session", id="cs_test_1", url="https://checkout.stripe.test/c/pay/cs_test_1"),
        ),
    )
    fake.on(
        "POST",
        r"/v1/billing_portal/sessions",
        lambda c: (200, obj("billing_portal.session", url="https://billing.stripe.test/p/session/1")),
    )
    fake.on(
        "POST", r"/v1/billing/meter_events", lambda c: (200, {"object": "billing.meter_event", **c.params})
    )


@pytest.fixture
def fake_stripe(settings):
    """Stripe configured (billing in Stripe mode) with every request answered here."""
    settings.STRIPE_TEST_SECRET_KEY = STRIPE_KEY
    fake = FakeStripe()
    _default_routes(fake)
    previous, stripe.default_http_client = stripe.default_http_client, fake
    yield fake
    stripe.default_http_client = previous


@pytest.fixture
def stripe_endpoint(db, settings):
    """dj-stripe's record of our Stripe webhook endpoint, holding the signing secret."""
    settings.STRIPE_TEST_SECRET_KEY = STRIPE_KEY
    connection.set_schema_to_public()
    endpoint = WebhookEndpoint.objects.create(
        id=f"we_{uuid.uuid4().hex[:12]}",
        livemode=False,
        url="https://luneo.test/stripe/webhook/",
        secret=WEBHOOK_SECRET,
        enabled_events=["*"],
        status="enabled",
        api_version=stripe.api_version,
    )
    return endpoint


def stripe_event(type_: str, data: dict, *, created: int | None = None, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": type_,
        "created": created or int(time.time()),
        "livemode": False,
        "api_version": stripe.api_version,
        "data": {"object": data},
    }


def signature(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(endpoint: WebhookEndpoint, event: dict, *, secret: str = WEBHOOK_SECRET):
    """POST a signed event to dj-stripe's webhook view on the public host, as Stripe would."""
    payload = json.dumps(event)
    return Client(HTTP_HOST="localhost").post(
        f"/stripe/webhook/{endpoint.djstripe_uuid}/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature(payload, secret)},
    )


def subscription_object(
    tenant: Tenant, *, status: str = "active", price: str = "price_pro_eur_month", **fields
):
    period_end = int(time.time()) + 30 * 86400
    return obj(
        "subscription",
        id=fields.pop("id", "sub_test_1"),
        customer=fields.pop("customer", "cus_test_1"),
        status=status,
        cancel_at_period_end=fields.pop("cancel_at_period_end", False),
        metadata={"tenant": tenant.schema_name},
        items={
            "object": "list",
            "data": [obj("subscription_item", price=obj("price", id=price), current_period_end=period_end)],
        },
        **fields,
    )
