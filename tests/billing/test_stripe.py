"""Stripe: signed events drive every transition; Checkout, Portal, sync and metering send what we expect."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from djstripe.models import WebhookEventTrigger

from apps.billing import stripe_billing
from apps.billing.entitlements import design_quota_consume, entitlements
from apps.billing.errors import StripeUnavailable
from apps.billing.models import Invoice, Plan, StripeEvent, Subscription, UsageCounter
from apps.billing.services import subscription_assign, subscriptions_lapse
from tests.support.factories.billing import stripe_prices_set, subscription_of
from tests.support.fakes.stripe import STRIPE_KEY, deliver, obj, signature, stripe_event, subscription_object

Status = Subscription.Status


def subscribe(tenant, endpoint, **fields):
    """Checkout completed, then the subscription created: what Stripe sends after a payment."""
    completed = obj(
        "checkout.session",
        customer="cus_test_1",
        subscription="sub_test_1",
        client_reference_id=tenant.schema_name,
        metadata={"tenant": tenant.schema_name, "plan": "pro"},
    )
    assert deliver(endpoint, stripe_event("checkout.session.completed", completed)).status_code == 200
    created = stripe_event("customer.subscription.created", subscription_object(tenant, **fields))
    assert deliver(endpoint, created).status_code == 200


def test_a_trial_becomes_pro_when_checkout_completes(
    tenant, stripe_endpoint, django_capture_on_commit_callbacks
):
    # Given a workspace on its Pro trial
    stripe_prices_set()
    assert subscription_of(tenant).status == Status.TRIALING

    # When Stripe reports the completed checkout and the new subscription
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(tenant, stripe_endpoint)

    # Then the workspace is on paid Pro, linked to its Stripe customer and subscription
    subscription = subscription_of(tenant)
    assert (subscription.plan.code, subscription.status) == (Plan.Code.PRO, Status.ACTIVE)
    assert (subscription.stripe_customer_id, subscription.stripe_subscription_id) == (
        "cus_test_1",
        "sub_test_1",
    )
    assert subscription.trial_ends_at is None
    assert subscription.current_period_end > timezone.now() + timedelta(days=29)
    assert mail.outbox[-1].subject == "Alpha is now on the Pro plan"


def test_a_failed_payment_gives_a_grace_period_then_starter(
    tenant, stripe_endpoint, django_capture_on_commit_callbacks
):
    # Given a paying Pro workspace
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint)
    invoice = obj(
        "invoice",
        customer="cus_test_1",
        number="LUNEO-0001",
        status="open",
        currency="eur",
        amount_due=29900,
        amount_paid=0,
        created=int(time.time()),
        invoice_pdf="https://pay.stripe.test/invoice/1/pdf",
    )

    # When its renewal payment fails
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(stripe_endpoint, stripe_event("invoice.payment_failed", invoice))

    # Then it is past due for 7 days, still Pro, the owner is told, and the invoice is listed
    assert response.status_code == 200
    subscription = subscription_of(tenant)
    assert subscription.status == Status.PAST_DUE
    assert timedelta(days=6, hours=23) < subscription.grace_ends_at - timezone.now() <= timedelta(days=7)
    assert entitlements(tenant).plan.code == Plan.Code.PRO
    assert mail.outbox[-1].subject == "Payment failed for Alpha on Luneo"
    assert Invoice.objects.get(tenant=tenant).pdf_url == "https://pay.stripe.test/invoice/1/pdf"

    # When the grace period has passed and the beat job runs
    Subscription.objects.filter(pk=subscription.pk).update(
        grace_ends_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert subscriptions_lapse() == 1

    # Then the workspace is on Starter (data kept) and the owner is told
    subscription = subscription_of(tenant)
    assert (subscription.plan.code, subscription.status) == (Plan.Code.STARTER, Status.ACTIVE)
    assert mail.outbox[-1].subject == "Alpha is now on the Starter plan"
    assert subscriptions_lapse() == 0


def test_a_paid_invoice_ends_the_grace_period(tenant, stripe_endpoint):
    # Given a past-due Pro workspace
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint, status="past_due")
    assert subscription_of(tenant).status == Status.PAST_DUE

    # When the retried payment succeeds
    paid = obj(
        "invoice", customer="cus_test_1", status="paid", currency="eur", amount_due=29900, amount_paid=29900
    )
    deliver(stripe_endpoint, stripe_event("invoice.paid", paid))

    # Then it is active again
    subscription = subscription_of(tenant)
    assert (subscription.status, subscription.grace_ends_at) == (Status.ACTIVE, None)


def test_cancel_at_period_end_keeps_pro_until_stripe_deletes_the_subscription(tenant, stripe_endpoint):
    # Given a paying Pro workspace
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint)

    # When the owner cancels in the Portal (at period end)
    deliver(
        stripe_endpoint,
        stripe_event("customer.subscription.updated", subscription_object(tenant, cancel_at_period_end=True)),
    )

    # Then Pro stays, marked as ending
    subscription = subscription_of(tenant)
    assert (subscription.plan.code, subscription.cancel_at_period_end) == (Plan.Code.PRO, True)

    # When the period ends and Stripe deletes the subscription
    deliver(
        stripe_endpoint,
        stripe_event("customer.subscription.deleted", subscription_object(tenant, status="canceled")),
    )

    # Then the workspace is on Starter
    subscription = subscription_of(tenant)
    assert (subscription.plan.code, subscription.stripe_subscription_id) == (Plan.Code.STARTER, "")


def test_yearly_usd_subscriptions_are_recognised(tenant, stripe_endpoint):
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint, price="price_pro_usd_year")

    subscription = subscription_of(tenant)
    assert (subscription.plan.code, subscription.currency, subscription.interval) == ("pro", "usd", "year")


def test_the_same_event_twice_changes_things_once(
    tenant, stripe_endpoint, django_capture_on_commit_callbacks
):
    # Given a paying Pro workspace and a payment_failed event
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint)
    failed = stripe_event(
        "invoice.payment_failed", obj("invoice", customer="cus_test_1", status="open", currency="eur")
    )

    # When Stripe delivers it twice
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(stripe_endpoint, failed)
    grace, outbox = subscription_of(tenant).grace_ends_at, len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = deliver(stripe_endpoint, failed)

    # Then both are acknowledged, one transition and one email happened
    assert (first.status_code, second.status_code) == (200, 200)
    assert subscription_of(tenant).grace_ends_at == grace
    assert len(mail.outbox) == outbox
    assert StripeEvent.objects.filter(stripe_id=failed["id"]).count() == 1


def test_an_older_event_arriving_late_is_ignored(tenant, stripe_endpoint):
    stripe_prices_set()
    subscribe(tenant, stripe_endpoint)
    newer = stripe_event(
        "customer.subscription.updated", subscription_object(tenant, cancel_at_period_end=True)
    )
    older = stripe_event(
        "customer.subscription.updated",
        subscription_object(tenant, status="past_due"),
        created=newer["created"] - 60,
    )

    deliver(stripe_endpoint, newer)
    deliver(stripe_endpoint, older)

    subscription = subscription_of(tenant)
    assert (subscription.status, subscription.cancel_at_period_end) == (Status.ACTIVE, True)


def test_a_bad_signature_is_400_and_changes_nothing(tenant, stripe_endpoint):
    stripe_prices_set()
    event = stripe_event("customer.subscription.created", subscription_object(tenant))

    response = deliver(stripe_endpoint, event, secret="whsec_forged")

    assert response.status_code == 400
    assert subscription_of(tenant).status == Status.TRIALING
    assert not StripeEvent.objects.exists()
    assert not WebhookEventTrigger.objects.exists()  # anyone can post here: nothing is stored


def post_event(endpoint, body: bytes, **headers):
    """POST raw bytes to the webhook on the public host, with exactly these headers."""
    return Client(HTTP_HOST="localhost").post(
        f"/stripe/webhook/{endpoint.djstripe_uuid}/", body, content_type="application/json", headers=headers
    )


def test_an_event_signed_within_the_tolerance_is_applied_and_logged(tenant, stripe_endpoint):
    stripe_prices_set()
    payload = json.dumps(stripe_event("customer.subscription.created", subscription_object(tenant)))

    response = post_event(stripe_endpoint, payload.encode(), stripe_signature=signature(payload))

    assert response.status_code == 200
    assert subscription_of(tenant).status == Status.ACTIVE
    assert WebhookEventTrigger.objects.get().processed is True


@pytest.mark.parametrize("skew", [-3600, -301, 301, 3600])
def test_a_signature_outside_the_tolerance_in_either_direction_is_400(tenant, stripe_endpoint, skew):
    # Given a correctly signed event whose timestamp is too old, or in the future
    stripe_prices_set()
    payload = json.dumps(stripe_event("customer.subscription.created", subscription_object(tenant)))
    header = signature(payload, timestamp=int(time.time()) + skew)

    response = post_event(stripe_endpoint, payload.encode(), stripe_signature=header)

    assert response.status_code == 400
    assert subscription_of(tenant).status == Status.TRIALING
    assert not WebhookEventTrigger.objects.exists()


def test_the_debug_secret_header_never_replaces_the_signature(tenant, stripe_endpoint, settings):
    # Given DEBUG on, and an event signed with a secret the sender chose and names in a header
    settings.DEBUG = True
    stripe_prices_set()
    payload = json.dumps(stripe_event("customer.subscription.created", subscription_object(tenant)))

    response = post_event(
        stripe_endpoint,
        payload.encode(),
        stripe_signature=signature(payload, secret="whsec_chosen"),
        x_djstripe_webhook_secret="whsec_chosen",
    )

    assert response.status_code == 400
    assert subscription_of(tenant).status == Status.TRIALING
    assert not WebhookEventTrigger.objects.exists()


@pytest.mark.parametrize("signed", [False, True])
def test_a_body_that_is_not_clean_json_is_400_and_stored_nowhere(tenant, stripe_endpoint, signed):
    # Given a body of NUL and undecodable bytes (signed or not), or signed JSON with an escaped NUL
    body = b"\x00\xff" * 64 if not signed else b'{"id": "evt_1", "type": "invoice.paid\\u0000"}'
    header = signature(body.decode()) if signed else "t=1,v1=00"

    response = post_event(stripe_endpoint, body, stripe_signature=header)

    assert response.status_code == 400
    assert not WebhookEventTrigger.objects.exists()
    assert not StripeEvent.objects.exists()


def test_an_event_for_an_unknown_customer_is_logged_and_changes_nothing(tenant, stripe_endpoint):
    stripe_prices_set()
    stranger = obj("invoice", customer="cus_unknown", status="open", currency="eur")

    response = deliver(stripe_endpoint, stripe_event("invoice.payment_failed", stranger))

    assert response.status_code == 200
    assert subscription_of(tenant).status == Status.TRIALING
    assert StripeEvent.objects.get().outcome == "unknown customer"


def test_checkout_sends_the_plan_prices_and_the_workspace(tenant, fake_stripe):
    # Given synced prices
    stripe_prices_set()

    # When the owner starts a yearly USD checkout
    url = stripe_billing.checkout_start(
        tenant=tenant,
        plan=Plan.objects.get(code="pro"),
        interval="year",
        currency="usd",
        email="owner@alpha.test",
        success_url="http://alpha.localhost/settings/billing/?checkout=success",
        cancel_url="http://alpha.localhost/settings/billing/?checkout=canceled",
    )

    # Then a customer was made for the workspace, and the session carries price and tenant
    assert url == "https://checkout.stripe.test/c/pay/cs_test_1"
    [customer] = fake_stripe.sent("POST", "/v1/customers")
    assert customer.params["metadata[tenant]"] == "alpha"
    assert customer.headers["Idempotency-Key"] == f"luneo-customer-{tenant.pk}"
    assert customer.headers["Authorization"] == f"Bearer {STRIPE_KEY}"
    [session] = fake_stripe.sent("POST", "/v1/checkout/sessions")
    assert session.params["mode"] == "subscription"
    assert session.params["line_items[0][price]"] == "price_pro_usd_year"
    assert session.params["metadata[tenant]"] == "alpha"
    assert session.params["subscription_data[metadata][tenant]"] == "alpha"
    assert session.params["customer"] == subscription_of(tenant).stripe_customer_id


def test_the_portal_opens_for_the_workspace_customer(tenant, fake_stripe):
    Subscription.objects.filter(tenant=tenant).update(stripe_customer_id="cus_test_1")

    url = stripe_billing.portal_start(tenant=tenant, return_url="http://alpha.localhost/settings/billing/")

    assert url == "https://billing.stripe.test/p/session/1"
    [portal] = fake_stripe.sent("POST", "/v1/billing_portal/sessions")
    assert portal.params["customer"] == "cus_test_1"


class StripeCatalog:
    """Stripe's products, prices and meters as the sync finds and creates them."""

    def __init__(self, fake):
        self.prices, self.meters, self.products = {}, [], {}
        fake.on("GET", r"/v1/billing/meters", lambda call: (200, self.listing(self.meters)))
        fake.on("POST", r"/v1/billing/meters", self.meter_create)
        fake.on("GET", r"/v1/products/(\w+)", self.product_get)
        fake.on("POST", r"/v1/products", self.product_create)
        fake.on("GET", r"/v1/prices", self.price_list)
        fake.on("POST", r"/v1/prices", self.price_create)

    @staticmethod
    def listing(data):
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/list"}

    def meter_create(self, call):
        self.meters.append(
            obj("billing.meter", id="mtr_1", event_name=call.params["event_name"], status="active")
        )
        return 200, self.meters[-1]

    def product_get(self, call):
        product = self.products.get(call.path.rsplit("/", 1)[1])
        missing = {
            "error": {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": "No such product",
            }
        }
        return (200, product) if product else (404, missing)

    def product_create(self, call):
        product = obj("product", id=call.params["id"], name=call.params["name"], active=True, created=1)
        self.products[product["id"]] = product
        return 200, product

    def price_create(self, call):
        recurring = {"interval": call.params["recurring[interval]"]}
        recurring["usage_type"] = call.params.get("recurring[usage_type]", "licensed")
        price = obj(
            "price",
            id=f"price_{len(self.prices) + 1}",
            lookup_key=call.params["lookup_key"],
            currency=call.params["currency"],
            unit_amount=int(call.params["unit_amount"]),
            product=call.params["product"],
            active=True,
            type="recurring",
            created=1,
            recurring=recurring,
        )
        self.prices[price["lookup_key"]] = price
        return 200, price

    def price_list(self, call):
        wanted = [value for key, value in call.params.items() if key.startswith("lookup_keys")]
        return 200, self.listing([self.prices[key] for key in wanted if key in self.prices])


def test_plans_sync_creates_the_prices_once(tenant, fake_stripe):
    # Given Stripe with nothing yet
    catalog = StripeCatalog(fake_stripe)

    # When the sync runs twice
    first = stripe_billing.plans_sync()
    second = stripe_billing.plans_sync()

    # Then Pro's 8 prices (EUR/USD × month, year, metered overage) exist once, stored on the plan
    assert len(fake_stripe.sent("POST", "/v1/prices")) == 8
    assert len(fake_stripe.sent("POST", "/v1/billing/meters")) == 1
    assert sum("(created)" in line for line in first) == 8
    assert not any("(created)" in line for line in second)
    pro = Plan.objects.get(code="pro")
    assert pro.stripe_price("eur", "month") == catalog.prices["luneo_pro_eur_month"]["id"]
    created = {call.params["lookup_key"]: call.params for call in fake_stripe.sent("POST", "/v1/prices")}
    assert created["luneo_pro_eur_year"]["unit_amount"] == str(29900 * 10)
    assert created["luneo_pro_usd_overage_month"]["recurring[meter]"] == "mtr_1"
    assert created["luneo_pro_usd_overage_month"]["recurring[usage_type]"] == "metered"


def pro_customer(tenant, *, designs_per_month: int) -> None:
    """The workspace on Pro with this monthly quota, and a Stripe customer."""
    pro = Plan.objects.get(code="pro")
    pro.designs_per_month = designs_per_month
    pro.save()
    subscription_assign(tenant=tenant, plan=pro)
    Subscription.objects.filter(tenant=tenant).update(stripe_customer_id="cus_test_1")


def test_overage_is_reported_once_to_the_meter(tenant, fake_stripe):
    # Given a Pro workspace with a Stripe customer, 3 designs beyond a quota of 2
    pro_customer(tenant, designs_per_month=2)
    for _ in range(5):
        design_quota_consume(tenant)

    # When the beat job runs twice
    first, second = stripe_billing.overage_report(), stripe_billing.overage_report()

    # Then one meter event of 3 was sent, under an identifier Stripe deduplicates
    assert (first, second) == (3, 0)
    [event] = fake_stripe.sent("POST", "/v1/billing/meter_events")
    assert event.params["event_name"] == "luneo_ai_design_overage"
    assert event.params["payload[stripe_customer_id]"] == "cus_test_1"
    assert event.params["payload[value]"] == "3"
    counter = UsageCounter.objects.get(tenant=tenant)
    assert (counter.overage, counter.overage_reported, counter.overage_reporting) == (3, 3, None)


def test_a_failed_report_is_sent_again_with_the_same_identifier(tenant, fake_stripe):
    # Given a Pro workspace with one design beyond its quota, and Stripe down
    pro_customer(tenant, designs_per_month=0)
    design_quota_consume(tenant)
    down = {"error": {"type": "api_error", "message": "down"}}
    fake_stripe.on("POST", r"/v1/billing/meter_events", lambda c: (500, down))

    # When the report fails, one more design is made, then Stripe is back for two runs
    with pytest.raises(StripeUnavailable):
        stripe_billing.overage_report()
    tries = fake_stripe.sent("POST", "/v1/billing/meter_events")
    failed = {call.params["identifier"] for call in tries}
    design_quota_consume(tenant)
    fake_stripe.routes.pop()
    runs = [stripe_billing.overage_report(), stripe_billing.overage_report()]

    # Then the failed batch is sent again as it was (Stripe drops a duplicate), then the new one
    sent = fake_stripe.sent("POST", "/v1/billing/meter_events")[len(tries) :]
    assert runs == [1, 1]
    assert sent[0].params["identifier"] in failed
    assert sent[1].params["identifier"] not in failed
