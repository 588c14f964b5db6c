"""Stripe: plans and prices, Checkout and the Customer Portal, subscription events, overage metering.

Calls go through the official `stripe` library with dj-stripe's configured secret key. Events
arrive at `webhook_receive`: their signature is verified with the endpoint's secret
(`WebhookEndpoint`), then dj-stripe's records log each delivery (`WebhookEventTrigger`) and our
handlers apply it.
dj-stripe's own processing is not run: it re-fetches objects from Stripe for every event, and the
workspace's plan lives in `Subscription`, changed only through `services`.
"""

import logging
import traceback
from datetime import UTC, datetime

import stripe
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from djstripe.models import Price as DjstripePrice
from djstripe.models import Product as DjstripeProduct
from djstripe.models import WebhookEndpoint, WebhookEventTrigger
from djstripe.settings import djstripe_settings

from apps.core.errors import MalformedInput
from apps.core.hygiene import json_loads
from apps.core.signatures import signature_verify
from apps.tenants.models import Tenant

from . import services
from .errors import ManualBilling, NoStripeCustomer, PlanNotPurchasable, StripeUnavailable
from .models import Invoice, Limit, Plan, StripeEvent, Subscription, UsageCounter
from .notices import status_notice_send

logger = logging.getLogger(__name__)
Status = Subscription.Status
METER_EVENT_NAME = "luneo_ai_design_overage"
CURRENCIES = ("eur", "usd")
INTERVALS = ("month", "year")


def _key() -> str:
    key = djstripe_settings.STRIPE_SECRET_KEY
    if not key:
        raise ManualBilling()
    return key


def _call(function, **params):
    """One Stripe API call; its failures become a 503 the person can retry, never a 500."""
    try:
        return function(api_key=_key(), **params)
    except stripe.StripeError as exc:
        logger.warning("stripe call %s failed: %s", function.__qualname__, exc)
        raise StripeUnavailable() from exc


# --- plans and prices -------------------------------------------------------------------


def _lookup_key(plan: Plan, currency: str, kind: str) -> str:
    return f"luneo_{plan.code}_{currency}_{kind}"


def _meter_ensure():
    meters = _call(stripe.billing.Meter.list, status="active", limit=100)
    for meter in meters.auto_paging_iter():
        if meter.event_name == METER_EVENT_NAME:
            return meter
    return _call(
        stripe.billing.Meter.create,
        display_name="Luneo AI designs beyond the plan",
        event_name=METER_EVENT_NAME,
        default_aggregation={"formula": "sum"},
        customer_mapping={"type": "by_id", "event_payload_key": "stripe_customer_id"},
        value_settings={"event_payload_key": "value"},
    )


def _product_ensure(plan: Plan):
    product_id = f"luneo_{plan.code}"
    try:
        product = stripe.Product.retrieve(product_id, api_key=_key())
    except stripe.InvalidRequestError:
        product = _call(stripe.Product.create, id=product_id, name=f"Luneo {plan.name}")
    except stripe.StripeError as exc:
        raise StripeUnavailable() from exc
    DjstripeProduct.sync_from_stripe_data(product, api_key=_key())
    return product


def _price_params(plan: Plan, currency: str, kind: str, meter_id: str) -> dict:
    if kind in INTERVALS:
        amount = plan.monthly_price(currency) if kind == "month" else plan.yearly_price(currency)
        return {"unit_amount": amount, "recurring": {"interval": kind}}
    interval = kind.removeprefix("overage_")
    return {
        "unit_amount": getattr(plan, f"overage_price_{currency}"),
        "recurring": {"interval": interval, "usage_type": "metered", "meter": meter_id},
    }


def plans_sync() -> list[str]:
    """Create (or find by lookup key) the Stripe product and prices of every self-serve paid plan.

    Idempotent: prices are found by lookup key (`luneo_pro_eur_month`…) before any is created.
    Stores the ids on the plan and in dj-stripe's tables. Returns a line per price.
    """
    meter = _meter_ensure()
    lines = []
    for plan in Plan.objects.filter(self_serve=True, monthly_price_eur__gt=0):
        product = _product_ensure(plan)
        kinds = [*INTERVALS, *(f"overage_{interval}" for interval in INTERVALS if plan.overage)]
        wanted = {
            _lookup_key(plan, currency, kind): (currency, kind) for currency in CURRENCIES for kind in kinds
        }
        found = {
            price.lookup_key: price for price in _call(stripe.Price.list, lookup_keys=list(wanted), limit=100)
        }
        prices: dict[str, dict[str, str]] = {}
        for lookup_key, (currency, kind) in wanted.items():
            price = found.get(lookup_key) or _call(
                stripe.Price.create,
                product=product.id,
                currency=currency,
                lookup_key=lookup_key,
                **_price_params(plan, currency, kind, meter.id),
            )
            DjstripePrice.sync_from_stripe_data(price, api_key=_key())
            prices.setdefault(currency, {})[kind] = price.id
            lines.append(f"{lookup_key}: {price.id}{'' if lookup_key in found else ' (created)'}")
        plan.stripe_prices = prices
        plan.save(update_fields=["stripe_prices"])
    return lines


# --- Checkout and the Portal ---------------------------------------------------------------


def _customer_ensure(subscription: Subscription, email: str) -> str:
    if not subscription.stripe_customer_id:
        customer = _call(
            stripe.Customer.create,
            email=email,
            name=subscription.tenant.name,
            metadata={"tenant": subscription.tenant.schema_name},
            idempotency_key=f"luneo-customer-{subscription.tenant.pk}",
        )
        subscription.stripe_customer_id = customer.id
        services.subscription_save(subscription, "stripe_customer_id")
    return subscription.stripe_customer_id


def checkout_start(
    *, tenant: Tenant, plan: Plan, interval: str, currency: str, email: str, success_url: str, cancel_url: str
) -> str:
    """A Stripe Checkout session for `plan`; returns the URL to send the owner to."""
    _key()
    base = plan.stripe_price(currency, interval)
    if not plan.self_serve or not base or interval not in INTERVALS:
        raise PlanNotPurchasable()
    subscription = Subscription.objects.select_related("tenant").get(tenant=tenant)
    line_items = [{"price": base, "quantity": 1}]
    overage = plan.stripe_price(currency, f"overage_{interval}")
    if overage:
        line_items.append({"price": overage})
    metadata = {"tenant": tenant.schema_name, "plan": plan.code}
    session = _call(
        stripe.checkout.Session.create,
        mode="subscription",
        customer=_customer_ensure(subscription, email),
        client_reference_id=tenant.schema_name,
        line_items=line_items,
        metadata=metadata,
        subscription_data={"metadata": metadata},
        success_url=success_url,
        cancel_url=cancel_url,
    )
    return session.url


def portal_start(*, tenant: Tenant, return_url: str) -> str:
    """A Customer Portal session (card, invoices, cancel); returns its URL."""
    _key()
    customer = Subscription.objects.get(tenant=tenant).stripe_customer_id
    if not customer:
        raise NoStripeCustomer()
    return _call(stripe.billing_portal.Session.create, customer=customer, return_url=return_url).url


# --- events -----------------------------------------------------------------------------


def _moment(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def _subscription_for(obj: dict) -> Subscription | None:
    """The workspace an object is about: its `tenant` metadata, else its Stripe customer."""
    schema = (obj.get("metadata") or {}).get("tenant") or obj.get("client_reference_id")
    queryset = Subscription.objects.select_for_update().select_related("tenant", "plan")
    if schema:
        found = queryset.filter(tenant__schema_name=schema).first()
        if found is not None:
            return found
    customer = obj.get("customer")
    return queryset.filter(stripe_customer_id=customer).first() if customer else None


def _plan_for_prices(price_ids: list[str]) -> tuple[Plan, str, str] | None:
    """(plan, currency, interval) of the subscription's base price."""
    for plan in Plan.objects.exclude(stripe_prices={}):
        for currency, kinds in plan.stripe_prices.items():
            for interval in INTERVALS:
                if kinds.get(interval) in price_ids:
                    return plan, currency, interval
    return None


def _on_checkout_completed(subscription: Subscription, obj: dict, event: dict) -> str:
    subscription.stripe_customer_id = obj.get("customer") or subscription.stripe_customer_id
    subscription.stripe_subscription_id = obj.get("subscription") or subscription.stripe_subscription_id
    services.subscription_save(subscription, "stripe_customer_id", "stripe_subscription_id")
    return "linked"


def _on_subscription_changed(subscription: Subscription, obj: dict, event: dict) -> str:
    created = _moment(event["created"])
    if subscription.stripe_synced_at and created < subscription.stripe_synced_at:
        return "stale"
    if obj.get("status") in ("canceled", "incomplete_expired"):
        return _on_subscription_deleted(subscription, obj, event)
    items = (obj.get("items") or {}).get("data") or []
    found = _plan_for_prices([item["price"]["id"] for item in items])
    if found is None:
        logger.warning("subscription %s has no Luneo price", obj.get("id"))
        return "unknown price"
    if obj.get("status") == "incomplete":
        return "awaiting first payment"
    was_paid = subscription.status == Status.ACTIVE and subscription.stripe_subscription_id == obj["id"]
    subscription.plan, subscription.currency, subscription.interval = found
    subscription.stripe_subscription_id = obj["id"]
    subscription.stripe_customer_id = obj.get("customer") or subscription.stripe_customer_id
    subscription.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    # Since API version 2025-03-31 the period is on each item; before, on the subscription.
    ends = obj.get("current_period_end") or max(
        (item.get("current_period_end") or 0 for item in items), default=0
    )
    subscription.current_period_end = _moment(ends)
    subscription.trial_ends_at = None
    subscription.stripe_synced_at = created
    fields = ["plan", "currency", "interval", "stripe_subscription_id", "stripe_customer_id"]
    fields += ["cancel_at_period_end", "current_period_end", "trial_ends_at", "stripe_synced_at"]
    if obj.get("status") in ("past_due", "unpaid"):
        services.subscription_save(subscription, *fields)
        services.subscription_past_due(subscription=subscription)
        return "past_due"
    subscription.status, subscription.grace_ends_at = Status.ACTIVE, None
    services.subscription_save(subscription, *fields, "status", "grace_ends_at")
    if not was_paid:
        status_notice_send(tenant=subscription.tenant, kind="subscribed")
    return subscription.plan.code


def _on_subscription_deleted(subscription: Subscription, obj: dict, event: dict) -> str:
    if subscription.stripe_subscription_id and subscription.stripe_subscription_id != obj.get("id"):
        return "another subscription"
    services.subscription_fall_back(subscription=subscription, kind="canceled")
    return "starter"


def _invoice_record(subscription: Subscription, obj: dict) -> None:
    Invoice.objects.update_or_create(
        stripe_id=obj["id"],
        defaults={
            "tenant": subscription.tenant,
            "number": obj.get("number") or "",
            "status": obj.get("status") or "",
            "currency": obj.get("currency") or subscription.currency,
            "amount_due": obj.get("amount_due") or 0,
            "amount_paid": obj.get("amount_paid") or 0,
            "hosted_url": obj.get("hosted_invoice_url") or "",
            "pdf_url": obj.get("invoice_pdf") or "",
            "created_at": _moment(obj.get("created")) or timezone.now(),
        },
    )


def _on_invoice_paid(subscription: Subscription, obj: dict, event: dict) -> str:
    _invoice_record(subscription, obj)
    if subscription.status == Status.PAST_DUE:
        subscription.status, subscription.grace_ends_at = Status.ACTIVE, None
        services.subscription_save(subscription, "status", "grace_ends_at")
        return "active"
    return "recorded"


def _on_invoice_failed(subscription: Subscription, obj: dict, event: dict) -> str:
    _invoice_record(subscription, obj)
    if subscription.plan.code == Plan.Code.STARTER:
        return "recorded"
    services.subscription_past_due(subscription=subscription)
    return "past_due"


HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "customer.subscription.created": _on_subscription_changed,
    "customer.subscription.updated": _on_subscription_changed,
    "customer.subscription.deleted": _on_subscription_deleted,
    "invoice.paid": _on_invoice_paid,
    "invoice.payment_failed": _on_invoice_failed,
}


def webhook_receive(*, endpoint: WebhookEndpoint, body: bytes, headers: dict, remote_ip: str) -> bool:
    """Verify `Stripe-Signature`, then log the delivery (`WebhookEventTrigger`) and apply its event.

    False, and nothing stored, unless the body is signed with the endpoint's secret at a time
    within its tolerance (either way: a future timestamp is refused too) and is clean JSON
    (apps/core/hygiene.py). dj-stripe's own check is not used: under DEBUG it lets an
    `X-Djstripe-Webhook-Secret` header name the secret, and its endpoints can turn checks off.
    An unexpected error is recorded on the delivery's log and raised (Stripe then retries).
    """
    header = headers.get("Stripe-Signature", "")
    # Stripe signs as our own webhooks do: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
    if not signature_verify(
        secret=endpoint.secret, header=header, body=body, tolerance=endpoint.djstripe_tolerance
    ):
        logger.warning("stripe event refused: bad or expired signature (%s)", remote_ip)
        return False
    try:
        event = json_loads(body)
    except MalformedInput as exc:
        logger.warning("stripe event refused: signed, but %s", exc.message)
        return False
    trigger = WebhookEventTrigger.objects.create(
        headers=headers, body=body.decode(), remote_ip=remote_ip, webhook_endpoint=endpoint, valid=True
    )
    try:
        with transaction.atomic():
            event_handle(event)
    except Exception as exc:
        trigger.exception, trigger.traceback = str(exc)[:128], traceback.format_exc()
        trigger.save()
        raise
    trigger.processed = True
    trigger.save()
    return True


def event_handle(event: dict) -> None:
    """Apply a verified event once, however often it is delivered; unknown workspaces are logged."""
    handler = HANDLERS.get(event.get("type"))
    if handler is None:
        return
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(stripe_id=event["id"], type=event["type"])
    except IntegrityError:
        logger.info("stripe event %s already applied", event["id"])
        return
    obj = event["data"]["object"]
    subscription = _subscription_for(obj)
    if subscription is None:
        record.outcome = "unknown customer"
        logger.warning("stripe event %s (%s): no workspace for it", event["id"], event["type"])
    else:
        record.tenant = subscription.tenant
        record.outcome = handler(subscription, obj, event)
    record.save(update_fields=["tenant", "outcome"])


# --- overage metering ---------------------------------------------------------------------


def overage_report() -> int:
    """Beat: send designs beyond the quota to Stripe as meter events. Returns the units sent.

    Exactly once, even if this run dies half-way: a batch is marked `overage_reporting` before
    it is sent, under an identifier Stripe deduplicates, and counted reported after.
    """
    if services.billing_mode() != "stripe":
        return 0
    sent = 0
    pending = UsageCounter.objects.filter(metric=Limit.DESIGNS, overage__gt=F("overage_reported"))
    for pk in pending.values_list("pk", flat=True):
        sent += _overage_send(pk)
    return sent


def _overage_send(counter_pk: int) -> int:
    with transaction.atomic():
        counter = UsageCounter.objects.select_for_update().get(pk=counter_pk)
        if counter.overage_reporting is None:
            counter.overage_reporting = counter.overage
            counter.save(update_fields=["overage_reporting"])
    subscription = Subscription.objects.filter(tenant_id=counter.tenant_id).first()
    customer = subscription.stripe_customer_id if subscription else ""
    if not customer:
        return 0
    value = counter.overage_reporting - counter.overage_reported
    _call(
        stripe.billing.MeterEvent.create,
        event_name=METER_EVENT_NAME,
        payload={"stripe_customer_id": customer, "value": str(value)},
        identifier=f"luneo-{counter.pk}-{counter.overage_reported}-{counter.overage_reporting}",
        timestamp=int(timezone.now().timestamp()),
    )
    UsageCounter.objects.filter(pk=counter.pk).update(
        overage_reported=counter.overage_reporting, overage_reporting=None
    )
    logger.info("reported %d overage designs of %s for %s", value, counter.tenant_id, counter.period)
    return value
