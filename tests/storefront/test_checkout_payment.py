"""The widget's own checkout takes no order it cannot get paid for.

A brand with its own Stripe key sends the shopper to Stripe Checkout on its account, and the
order is marked paid once Stripe says so (the shopper's return, or the account's event), read
back with that brand's key only. A brand without one gets order requests awaiting payment.
Stripe is faked at the `stripe` library's HTTP client: our code and the library stay on the path.
"""

import json
from decimal import Decimal

import pytest
import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.orders.models import Order
from apps.storefront.hooks import STRIPE_EVENTS_PER_MINUTE
from tests.support.clients import error_code
from tests.support.factories.products import product_make
from tests.support.fakes.stripe import FakeStripe, obj
from tests.support.widget import Widget, widget_ready_design
from tests.support.workspaces import host

SHOP = "https://shop.example"
PAGE = f"{SHOP}/products/mug?colour=red"
CUSTOMER = {"email": "ada@example.com", "name": "Ada Lovelace"}
ADDRESS = {"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"}
ALPHA_KEY = "sk_test_alpha" + "A" * 20
BETA_KEY = "sk_test_beta" + "B" * 20
EVENTS = "/api/v1/widget/payments/stripe"


@pytest.fixture
def fake_stripe():
    """Stripe's API answered here: Checkout Sessions created, then read back as `sessions` holds them.

    As on Stripe, a session belongs to the account whose key created it: another key cannot read it.
    """
    fake = FakeStripe()
    fake.sessions = {}  # id → the session's fields
    fake.accounts = {}  # id → the key that created it

    def create(call):
        number = len(fake.sessions) + 1
        session = obj(
            "checkout.session",
            id=f"cs_test_{number}",
            url=f"https://checkout.stripe.test/c/pay/cs_test_{number}",
            client_reference_id=call.params["client_reference_id"],
            currency=call.params["line_items[0][price_data][currency]"],
            metadata={"luneo_workspace": call.params["metadata[luneo_workspace]"]},
            payment_status="unpaid",
        )
        fake.sessions[session["id"]], fake.accounts[session["id"]] = session, bearer(call)
        return 200, session

    def retrieve(call):
        session_id = call.path.rsplit("/", 1)[1]
        if fake.accounts.get(session_id) != bearer(call):
            return 404, {"error": {"type": "invalid_request_error", "message": "No such checkout.session"}}
        return 200, fake.sessions[session_id]

    fake.on("POST", r"/v1/checkout/sessions", create)
    fake.on("GET", r"/v1/checkout/sessions/[\w]+", retrieve)
    previous, stripe.default_http_client = stripe.default_http_client, fake
    yield fake
    stripe.default_http_client = previous


def pay(fake: FakeStripe, session_id: str, amount: int) -> None:
    """The shopper pays on Stripe's page: Stripe's session is now paid, for `amount` hundredths."""
    fake.sessions[session_id].update(payment_status="paid", amount_total=amount)


def shop(key: str = "", **fields) -> tuple[Widget, object]:
    """A brand (with its Stripe `key`, if any) allowing SHOP, its widget and a 20.00 EUR product."""
    brand = brand_create(name=f"Maison {key[-3:]}", allowed_origins=[SHOP], stripe_secret_key=key, **fields)
    product = product_make(brand=brand)
    product.price = Decimal("20.00")
    product.save()
    _api_key, raw = brand_publishable_key_create(brand=brand)
    return Widget(raw), product


def order(widget: Widget, product, idempotency_key: str = "checkout-1", **fields):
    design = widget_ready_design(widget, product)
    body = {
        "design": design.public_id,
        "quantity": 2,
        "customer": CUSTOMER,
        "shipping_address": ADDRESS,
        "return_url": PAGE,
        **fields,
    }
    return widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": idempotency_key})


def event(tenant, session: dict, kind: str = "checkout.session.completed"):
    """The brand's Stripe account sends its event to the workspace's host."""
    body = {"id": "evt_1", "object": "event", "type": kind, "data": {"object": session}}
    return Client(HTTP_HOST=host(tenant)).post(EVENTS, json.dumps(body), content_type="application/json")


def bearer(call) -> str:
    return call.headers["Authorization"]


def test_without_a_stripe_key_the_order_is_a_request_awaiting_payment(tenant, fake_stripe):
    # given a brand without a Stripe key, shipping from Belgium
    widget, product = shop(country="BE")
    config = widget.get("config", product=product.sku).json()

    # when the shopper orders
    response = order(widget, product)

    # then the widget was told there is no payment, the brand's country and every country code
    assert config["checkout"]["payment"] is None
    assert config["brand"]["country"] == "BE"
    assert {"BE", "FR", "CN", "US"} <= set(config["checkout"]["countries"])
    # and the order is taken as a request awaiting payment, which the brand's dashboard says
    assert response.status_code == 201, response.content
    assert response.json()["payment_url"] is None
    assert response.json()["status"] == "pending"
    placed = Order.objects.get()
    assert placed.status == Order.Status.PENDING
    assert placed.note.startswith("Order request awaiting payment")
    assert not fake_stripe.calls
    dashboard = Client(HTTP_HOST=host(tenant))
    dashboard.force_login(tenant.memberships.first().user)
    assert "Order request awaiting payment" in dashboard.get(f"/orders/{placed.number}/").content.decode()


def test_with_a_stripe_key_the_shopper_pays_on_checkout_and_the_paid_event_marks_the_order_paid(
    tenant, fake_stripe
):
    # given a brand with its own Stripe key
    widget, product = shop(ALPHA_KEY)
    assert widget.get("config", product=product.sku).json()["checkout"]["payment"] == "stripe"

    # when the shopper orders two mugs
    response = order(widget, product)

    # then a Checkout Session priced by the server, on the brand's account, is the way to pay
    assert response.status_code == 201, response.content
    assert response.json()["payment_url"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    placed = Order.objects.get()
    [created] = fake_stripe.sent("POST", "/v1/checkout/sessions")
    assert bearer(created) == f"Bearer {ALPHA_KEY}"
    assert created.params["client_reference_id"] == placed.reference
    assert created.params["line_items[0][quantity]"] == "2"
    assert created.params["line_items[0][price_data][unit_amount]"] == "2000"
    assert created.params["line_items[0][price_data][currency]"] == "eur"
    assert created.params["success_url"] == f"{PAGE}&luneo_payment={{CHECKOUT_SESSION_ID}}"
    assert created.params["cancel_url"] == PAGE
    assert placed.status == Order.Status.PENDING
    assert not placed.note

    # when the shopper pays and the brand's Stripe account sends its event
    pay(fake_stripe, "cs_test_1", 4000)
    received = event(tenant, {"id": "cs_test_1", "client_reference_id": placed.reference})

    # then the session was read back with the brand's key, and the order is paid
    assert received.json() == {"status": "paid"}
    [read] = fake_stripe.sent("GET", "/v1/checkout/sessions/cs_test_1")
    assert bearer(read) == f"Bearer {ALPHA_KEY}"
    placed.refresh_from_db()
    assert placed.status == Order.Status.PAID
    paid = placed.history.last()
    assert (paid.actor, paid.note) == ("stripe", "Paid with Stripe Checkout (cs_test_1).")

    # and the shopper coming back to the page after it sees it paid, once
    back = widget.post("payments", {"session": "cs_test_1"})
    assert back.status_code == 200, back.content
    assert (back.json()["number"], back.json()["status"]) == (placed.reference, "paid")
    assert placed.history.filter(to_status=Order.Status.PAID).count() == 1


def test_the_shoppers_return_confirms_the_payment_before_any_event(tenant, fake_stripe):
    widget, product = shop(ALPHA_KEY)
    order(widget, product)
    pay(fake_stripe, "cs_test_1", 4000)

    back = widget.post("payments", {"session": "cs_test_1"})

    assert back.json()["status"] == "paid"
    assert Order.objects.get().status == Order.Status.PAID


@pytest.mark.parametrize(
    "paid_with",
    [
        {"payment_status": "unpaid", "amount_total": 4000},
        {"payment_status": "paid", "amount_total": 100},  # another amount
        {"payment_status": "paid", "amount_total": 4000, "currency": "usd"},
        {"payment_status": "paid", "amount_total": 4000, "client_reference_id": "LU-999999"},
        {"payment_status": "paid", "amount_total": 4000, "metadata": {"luneo_workspace": "beta"}},
    ],
)
def test_a_session_not_paid_in_full_for_this_order_marks_nothing(tenant, fake_stripe, paid_with):
    widget, product = shop(ALPHA_KEY)
    placed_number = order(widget, product).json()["number"]
    fake_stripe.sessions["cs_test_1"].update(paid_with)

    received = event(tenant, {"id": "cs_test_1", "client_reference_id": placed_number})

    assert received.json() == {"status": "ignored"}
    assert Order.objects.get().status == Order.Status.PENDING


def test_an_event_claiming_a_payment_stripe_does_not_hold_marks_nothing(tenant, fake_stripe):
    widget, product = shop(ALPHA_KEY)
    placed_number = order(widget, product).json()["number"]

    forged = event(
        tenant,
        {
            "id": "cs_forged",
            "client_reference_id": placed_number,
            "payment_status": "paid",
            "amount_total": 4000,
        },
    )
    back = widget.post("payments", {"session": "cs_forged"})

    assert forged.json() == {"status": "ignored"}
    assert back.status_code == 404
    assert error_code(back) == "order_not_found"
    assert Order.objects.get().status == Order.Status.PENDING


def test_stripe_being_down_creates_no_order_and_the_retry_places_it(tenant, fake_stripe):
    widget, product = shop(ALPHA_KEY)
    fake_stripe.on("POST", r"/v1/checkout/sessions", lambda call: (500, {"error": {"type": "api_error"}}))
    design = widget_ready_design(widget, product)
    body = {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS, "return_url": PAGE}

    failed = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "checkout-1"})
    assert failed.status_code == 503
    assert error_code(failed) == "payment_unavailable"
    assert not Order.objects.exists()

    fake_stripe.routes.pop()  # Stripe is back
    retried = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "checkout-1"})
    assert retried.status_code == 201, retried.content
    assert Order.objects.count() == 1


def test_a_double_submit_places_one_order_and_one_checkout(tenant, fake_stripe):
    widget, product = shop(ALPHA_KEY)
    design = widget_ready_design(widget, product)
    body = {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS, "return_url": PAGE}

    first = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "submit-1"})
    second = widget.post("orders", body, headers={"HTTP_IDEMPOTENCY_KEY": "submit-1"})

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert len(fake_stripe.sent("POST", "/v1/checkout/sessions")) == 1


def test_the_return_address_must_be_a_page_of_the_brands_allowed_origins(tenant, fake_stripe):
    widget, product = shop(ALPHA_KEY)

    response = order(widget, product, return_url="https://evil.example/phish")

    assert response.status_code == 422
    assert "return_url" in response.json()["error"]["details"]["fields"]
    assert not Order.objects.exists()
    assert not fake_stripe.calls


def test_a_brand_never_uses_another_workspaces_stripe_key(other_tenant, tenant, fake_stripe):
    # given a brand with its Stripe key in alpha, and in beta one with another key and one without
    alpha_widget, alpha_product = shop(ALPHA_KEY)
    with tenant_context(other_tenant):
        beta_widget, beta_product = shop(BETA_KEY)
        plain_widget, plain_product = shop()

    # when a shopper orders in each
    alpha_number = order(alpha_widget, alpha_product).json()["number"]
    with tenant_context(other_tenant):
        beta = order(beta_widget, beta_product)
        plain = order(plain_widget, plain_product)

    # then each Checkout is made with its own brand's key, and the brand without one takes no payment
    alpha_call, beta_call = fake_stripe.sent("POST", "/v1/checkout/sessions")
    assert bearer(alpha_call) == f"Bearer {ALPHA_KEY}"
    assert bearer(beta_call) == f"Bearer {BETA_KEY}"
    assert beta.json()["payment_url"]
    assert plain.json()["payment_url"] is None

    # when alpha's paid session is sent to beta's host, or by beta's shopper
    pay(fake_stripe, "cs_test_1", 4000)
    calls = len(fake_stripe.calls)
    wrong_host = event(other_tenant, {"id": "cs_test_1", "client_reference_id": alpha_number})
    wrong_shop = beta_widget.post("payments", {"session": "cs_test_1"})

    # then nothing is paid: beta never reads alpha's session with alpha's key
    assert wrong_host.json() == {"status": "ignored"}
    assert wrong_shop.status_code == 404
    assert all(bearer(call) != f"Bearer {ALPHA_KEY}" for call in fake_stripe.calls[calls:])
    with tenant_context(tenant):
        assert Order.objects.get().status == Order.Status.PENDING


def test_too_many_stripe_events_from_one_address_are_429_with_retry_after(tenant):
    client = Client(HTTP_HOST=host(tenant))

    answers = [
        client.post(EVENTS, "{}", content_type="application/json")
        for _ in range(STRIPE_EVENTS_PER_MINUTE + 1)
    ]

    assert 429 not in {answer.status_code for answer in answers[:-1]}
    assert answers[-1].status_code == 429
    assert error_code(answers[-1]) == "rate_limited"
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
