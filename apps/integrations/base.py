"""What the shop clients share: shop addresses, JSON over HTTP, an order as a shop sent it."""

import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import httpx2
from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.netguard import guarded_client, host_is_public

from .errors import CredentialsInvalid, ShopUnreachable, WebhookInvalid

TIMEOUT = httpx2.Timeout(15.0, connect=5.0)
MAX_PAGES = 400  # 100 000 products at Shopify's 250 a page: a loop guard, not a limit people meet
RATE_LIMIT_RETRIES = 3
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
DESIGN_KEYS = ("_luneo_design", "luneo_design_id")  # a line item's property naming a Luneo design


@dataclass(frozen=True)
class WebhookHeaders:
    signature: str
    delivery: str
    topic: str
    order_topic: str  # the one topic that creates orders


@dataclass
class ShopLine:
    design: str  # a design's public id, dsg_…
    quantity: int
    unit_price: Decimal
    title: str
    sku: str


@dataclass
class ShopOrder:
    external_ref: str
    lines: list[ShopLine]
    customer: dict
    shipping_address: dict
    currency: str
    shipping_total: Decimal
    paid: bool
    note: str


def text(value) -> str:
    return "" if value is None else str(value).strip()


def money(value) -> Decimal:
    """A shop's amount ("24.50" or 24.5) as a Decimal with two places; 400 if it is not one."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise WebhookInvalid(details={"amount": text(value)}) from exc


def add_error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def shop_url_clean(value: str, *, keep_path: bool) -> str:
    """`https://host[/path]` from what a person typed ("shop.example", "https://shop.example/").

    Plain http only to this machine, and only where private networks are allowed (development,
    tests: WEBHOOK_BLOCK_PRIVATE_NETWORKS off); elsewhere the host must be public. ValueError
    carries the message to show.
    """
    raw = text(value)
    if not raw:
        raise ValueError(_("This field is required."))
    try:
        parts = urlsplit(raw if "://" in raw else f"https://{raw}")
        host = parts.hostname or ""
        _port = parts.port
    except ValueError as exc:
        raise ValueError(_("Enter a web address, e.g. https://shop.example.")) from exc
    if not host or "@" in parts.netloc or parts.query or parts.fragment:
        raise ValueError(_("Enter a web address, e.g. https://shop.example."))
    private_allowed = not settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS
    if parts.scheme != "https" and not (
        parts.scheme == "http" and private_allowed and host in LOOPBACK_HOSTS
    ):
        raise ValueError(_("Use an https:// address."))
    if not private_allowed and not host_is_public(host):
        raise ValueError(_("This address is not a public web address."))
    path = parts.path.rstrip("/") if keep_path else ""
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


class ShopClient:
    """JSON over HTTP to one shop's API: a refusal raises CredentialsInvalid, any other failure
    ShopUnreachable (both 422, never a 500). Use as a context manager."""

    def __init__(self, base_url: str, **options):
        self.base_url = base_url
        self.http = guarded_client(timeout=TIMEOUT, follow_redirects=False, **options)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.http.close()

    def get(self, url: str, params: dict | None = None) -> tuple[dict | list, httpx2.Response]:
        """GET `url` (a path under the API, or an absolute link the shop gave): (JSON body, response)."""
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            response = self._send(url if "://" in url else self.base_url + url, params)
            if response.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                break
            time.sleep(_retry_after(response))
        if response.status_code in (401, 403):
            raise CredentialsInvalid(details={"status": response.status_code})
        if response.status_code != 200:
            raise ShopUnreachable(details={"status": response.status_code})
        try:
            return response.json(), response
        except ValueError as exc:
            raise ShopUnreachable(details={"reason": "not_json"}) from exc

    def _send(self, url: str, params: dict | None) -> httpx2.Response:
        try:
            return self.http.get(url, params=params)
        except httpx2.HTTPError as exc:
            raise ShopUnreachable(details={"reason": type(exc).__name__}) from exc


def _retry_after(response: httpx2.Response) -> float:
    """Seconds to wait after a 429 (Shopify sends `Retry-After: 2.0`), at most 10."""
    try:
        return min(max(float(response.headers.get("Retry-After", "2")), 0.0), 10.0)
    except ValueError:
        return 2.0


def field(data, *keys):
    """`data[k1][k2]…`, or ShopUnreachable when the shop's answer does not have that shape."""
    try:
        for key in keys:
            data = data[key]
    except (KeyError, IndexError, TypeError) as exc:
        raise ShopUnreachable(details={"reason": "unexpected_answer"}) from exc
    return data
