"""Writes for connected shops: connect, disconnect, import products, turn order webhooks into orders.

A delivery is recorded once (`InboundWebhook`, unique per kind and delivery id, inserted before
anything else in the transaction), so a replay returns the first record and creates nothing; an
order already imported from the same shop order is not made twice either. Deliveries with a bad
signature are logged and not stored: anyone can post to the address, and a forged request
must neither fill the table nor take the delivery id of the real one.
"""

import base64
import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass
from types import ModuleType

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing.entitlements import feature_require
from apps.billing.models import Feature
from apps.brands.models import Brand
from apps.core.crypto import encrypt, encrypt_json
from apps.core.errors import ApplicationError
from apps.core.hygiene import json_loads
from apps.core.notifications import notify
from apps.orders.models import Order
from apps.orders.selectors import order_from_source
from apps.orders.services import ItemInput, order_create, order_transition
from apps.products.models import Currency, Product
from apps.products.selectors import product_list
from apps.products.services import product_create, product_update

from . import shopify, woocommerce
from .base import ShopOrder, add_error, text
from .errors import CurrencyUnsupported, IntegrationInvalid, WebhookInvalid, WebhookSignatureInvalid
from .models import InboundWebhook, Integration
from .selectors import import_progress_key, integration_credentials, integration_live

logger = logging.getLogger(__name__)
SHOPS: dict[str, ModuleType] = {shopify.KIND: shopify, woocommerce.KIND: woocommerce}
IMPORT_EVENT = "integration.import"
IMPORT_PROGRESS_SECONDS = 3600  # a worker that died mid-import frees the button after this
WOOCOMMERCE_PING = re.compile(rb"webhook_id=\d+")  # WooCommerce's unsigned test call on saving a webhook
Outcome = InboundWebhook.Outcome


def shop_module(kind: str) -> ModuleType:
    """shopify or woocommerce: what differs between shops, behind one interface."""
    try:
        return SHOPS[kind]
    except KeyError:
        raise IntegrationInvalid(
            details={"fields": {"kind": [_("Choose Shopify or WooCommerce.")]}}
        ) from None


# --- connection -----------------------------------------------------------------------------


def integration_connect(
    *, kind: str, shop_url: str, credentials: dict, brand: Brand | None = None
) -> Integration:
    """Check the fields (422 `integration_invalid`), make one call to the shop with them (422
    `integration_credentials_invalid` if refused, `integration_unreachable` if it does not
    answer), then store them encrypted. Connecting again replaces the previous credentials."""
    feature_require(Feature.INTEGRATIONS)
    shop = shop_module(kind)
    errors: dict[str, list[str]] = {}
    try:
        url = shop.shop_url_clean(shop_url)
    except ValueError as exc:
        add_error(errors, "shop_url", str(exc))
    client_credentials, webhook_secret = shop.credentials_clean(credentials, errors)
    if errors:
        raise IntegrationInvalid(details={"fields": errors})
    with shop.Client(url, client_credentials) as client:
        client.currency()
    integration, _created = Integration.objects.update_or_create(
        kind=kind,
        defaults={
            "shop_url": url,
            "credentials": encrypt_json(client_credentials),
            "webhook_secret": encrypt(webhook_secret),
            "brand": brand,
            "status": Integration.Status.CONNECTED,
            "last_error": "",
        },
    )
    return integration


def integration_disconnect(*, integration: Integration) -> Integration:
    """Forget the credentials: the shop's webhooks get 404 from now on; imported products stay."""
    integration.credentials = integration.webhook_secret = integration.last_error = ""
    integration.status = Integration.Status.DISCONNECTED
    integration.save(update_fields=["credentials", "webhook_secret", "last_error", "status", "updated_at"])
    return integration


# --- product import -------------------------------------------------------------------------


def integration_import_queue(*, integration: Integration) -> bool:
    """Queue a product import after commit; False when one is already queued or running."""
    from .tasks import etl_products_import  # tasks → services: imported when used

    if not cache.add(
        import_progress_key(integration.kind), {"state": "queued", "count": 0}, IMPORT_PROGRESS_SECONDS
    ):
        return False
    transaction.on_commit(lambda: etl_products_import.delay(integration.pk))
    return True


def integration_products_import(*, integration: Integration) -> int:
    """Create or update a Luneo product per shop product, by SKU; return how many were saved.

    New products are drafts (the brand adds a view with a print area, then activates them);
    existing ones get the shop's name, description and price. Progress goes to the workspace's
    dashboards (`integration.import` events). A failure (refused, unreachable, unsupported
    currency) is recorded on the integration (status error, last_error) and raised.
    """
    _progress(integration, state="running", count=0)
    try:
        count, skipped = _import(shop_module(integration.kind), integration)
    except ApplicationError as exc:
        _import_end(integration, status=Integration.Status.ERROR, error=exc.message)
        raise
    integration.last_import_at, integration.last_import_count = timezone.now(), count
    error = ""
    if skipped:
        error = _("%(count)d products could not be imported: %(names)s") % {
            "count": len(skipped),
            "names": ", ".join(skipped[:10]),
        }
    _import_end(integration, status=Integration.Status.CONNECTED, error=error)
    return count


def _import(shop: ModuleType, integration: Integration) -> tuple[int, list[str]]:
    credentials, _secret = integration_credentials(integration=integration)
    count, skipped = 0, []
    with shop.Client(integration.shop_url, credentials) as client:
        currency = client.currency()
        if currency not in Currency.values:
            raise CurrencyUnsupported(details={"currency": currency, "supported": Currency.values})
        for page in client.product_pages():
            saved, refused = _page_import(shop, page, currency=currency, brand=integration.brand)
            count, skipped = count + saved, skipped + refused
            _progress(integration, state="running", count=count)
    return count, skipped


def _page_import(
    shop: ModuleType, page: list[dict], *, currency: str, brand: Brand | None
) -> tuple[int, list[str]]:
    """Upsert one page of shop products (one query finds those Luneo has): (saved, names refused)."""
    rows, refused = [], []
    for raw in page:
        try:
            rows.append(shop.product_fields(raw))
        except ApplicationError:
            refused.append(text(raw.get("title") or raw.get("name") or raw.get("id")))
    existing = {p.sku: p for p in product_list().filter(sku__in=[row["sku"][:64] for row in rows])}
    saved = 0
    for fields in rows:
        try:
            _product_upsert(fields, existing.get(fields["sku"][:64]), currency=currency, brand=brand)
        except ApplicationError as exc:
            refused.append(fields["name"] or fields["sku"])
            logger.info("%s product %s not imported: %s", shop.KIND, fields["sku"], exc.details)
        else:
            saved += 1
    return saved, refused


def _product_upsert(fields: dict, product: Product | None, *, currency: str, brand: Brand | None) -> Product:
    sku = fields["sku"][:64]
    values = {
        "name": fields["name"][:200] or sku,
        "description": fields["description"],
        "price": fields["price"],
        "currency": currency,
    }
    if product is None:
        return product_create(sku=sku, brand=brand, status=Product.Status.DRAFT, **values)
    if all(getattr(product, name) == value for name, value in values.items()):
        return product  # unchanged: a re-import writes nothing
    return product_update(product=product, **values)


def _progress(integration: Integration, *, state: str, count: int) -> None:
    cache.set(
        import_progress_key(integration.kind), {"state": state, "count": count}, IMPORT_PROGRESS_SECONDS
    )
    _announce(integration, state=state, count=count)


def _import_end(integration: Integration, *, status: str, error: str) -> None:
    integration.status, integration.last_error = status, error
    integration.save(
        update_fields=["status", "last_error", "last_import_at", "last_import_count", "updated_at"]
    )
    cache.delete(import_progress_key(integration.kind))
    failed = status == Integration.Status.ERROR
    _announce(
        integration, state="failed" if failed else "done", count=integration.last_import_count, error=error
    )


def _announce(integration: Integration, **payload) -> None:
    notify(schema=connection.schema_name, event=IMPORT_EVENT, payload={"kind": integration.kind, **payload})


# --- inbound webhooks -----------------------------------------------------------------------


@dataclass
class Received:
    """What a delivery came to: `created`, `ignored`, `rejected` (signed, but no order could be
    made: see webhook.detail) or `duplicate` (a replay: the first record, nothing done)."""

    status: str
    webhook: InboundWebhook | None  # None for WooCommerce's ping


def shopify_webhook_receive(*, body: bytes, headers) -> Received:
    """An `X-Shopify-Hmac-Sha256`-signed delivery; `orders/create` with Luneo lines makes an order."""
    return _webhook_receive(shopify, body=body, headers=headers)


def woocommerce_webhook_receive(*, body: bytes, headers) -> Received:
    """An `X-WC-Webhook-Signature`-signed delivery; `order.created` with Luneo lines makes an order."""
    if not headers.get(woocommerce.WEBHOOK.signature) and WOOCOMMERCE_PING.fullmatch(body.strip()):
        integration_live(kind=woocommerce.KIND)  # the ping succeeds only once the shop is connected
        return Received(status=Outcome.IGNORED, webhook=None)
    return _webhook_receive(woocommerce, body=body, headers=headers)


def signature(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, body)): how Shopify and WooCommerce both sign."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _webhook_receive(shop: ModuleType, *, body: bytes, headers) -> Received:
    integration = integration_live(kind=shop.KIND)
    spec = shop.WEBHOOK
    delivery_id = text(headers.get(spec.delivery))[:200]
    _credentials, secret = integration_credentials(integration=integration)
    if not hmac.compare_digest(signature(secret, body).encode(), text(headers.get(spec.signature)).encode()):
        logger.warning("%s webhook refused: bad signature (delivery %r)", shop.KIND, delivery_id)
        raise WebhookSignatureInvalid()
    payload = json_loads(body)  # signed, but still refused when not clean: 400 `malformed_request`
    if not delivery_id or not isinstance(payload, dict):
        raise WebhookInvalid()
    topic = text(headers.get(spec.topic))[:100]
    with transaction.atomic():
        try:
            with transaction.atomic():
                webhook = InboundWebhook.objects.create(
                    kind=shop.KIND, delivery_id=delivery_id, topic=topic, outcome=Outcome.IGNORED
                )
        except IntegrityError:  # this delivery was received before (perhaps at this moment)
            return Received(
                status="duplicate",
                webhook=InboundWebhook.objects.get(kind=shop.KIND, delivery_id=delivery_id),
            )
        webhook.outcome, webhook.order, detail = _process(shop, topic, payload)
        webhook.detail = detail[:500]
        webhook.save(update_fields=["outcome", "order", "detail"])
    return Received(status=webhook.outcome, webhook=webhook)


def _process(shop: ModuleType, topic: str, payload: dict) -> tuple[str, Order | None, str]:
    """(outcome, order, detail) of a signed, first-seen delivery."""
    if topic != shop.WEBHOOK.order_topic:
        return Outcome.IGNORED, None, _("Topic %s is not handled.") % topic
    shop_order = shop.order_input(payload)
    if not shop_order.lines:
        return Outcome.IGNORED, None, _("No line of this order carries a Luneo design.")
    existing = order_from_source(source=shop.KIND, external_ref=shop_order.external_ref)
    if existing is not None:
        return Outcome.IGNORED, existing, _("Already imported as %s.") % existing.reference
    try:
        order = _order_create(shop.KIND, shop_order)
    except IntegrityError:  # a concurrent delivery of the same shop order made it first
        return Outcome.IGNORED, None, _("Already imported.")
    except ApplicationError as exc:
        logger.info(
            "%s order %s not created: %s %s", shop.KIND, shop_order.external_ref, exc.code, exc.details
        )
        return Outcome.REJECTED, None, f"{exc.code}: {exc.message} {json.dumps(exc.details, default=str)}"
    return Outcome.CREATED, order, order.reference


def _order_create(kind: str, shop_order: ShopOrder) -> Order:
    """The Luneo order at the shop's prices; moved to paid when the shop says it is."""
    items = [
        ItemInput(design=line.design, quantity=line.quantity, unit_price=line.unit_price)
        for line in shop_order.lines
    ]
    order = order_create(
        source=kind,
        external_ref=shop_order.external_ref,
        items=items,
        customer=shop_order.customer,
        shipping_address=shop_order.shipping_address,
        currency=shop_order.currency,
        shipping_total=shop_order.shipping_total,
        note=shop_order.note,
        actor=kind,
    )
    if shop_order.paid:
        order = order_transition(
            order=order, status=Order.Status.PAID, note=_("Paid in the shop."), actor=kind
        )
    return order
