"""Where webhooks may go: URL checks, and SSRF protection at creation and at each delivery."""

import ipaddress

import pytest

from apps.core.netguard import address_allowed
from apps.webhooks import services
from apps.webhooks.errors import WebhookEventsInvalid, WebhookUrlForbidden, WebhookUrlInvalid
from apps.webhooks.services import endpoint_update, event_publish
from tests.support.dns import resolve_rebinding
from tests.support.factories.webhooks import endpoint_make

PRIVATE_URLS = [
    "http://127.0.0.1/hooks",
    "http://127.8.9.10:8000/hooks",
    "http://10.1.2.3/hooks",
    "http://172.16.0.9/hooks",
    "http://192.168.1.20/hooks",
    "https://169.254.169.254/latest/meta-data",
    "http://[::1]:8080/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://[fe80::1]/hooks",
    "http://[fd00::1]/hooks",
    "http://0.0.0.0/hooks",
    "http://100.64.0.1/hooks",
    "http://224.0.0.1/hooks",
    "http://localhost:9000/hooks",
    # IPv6 forms that embed an IPv4 address (169.254.169.254 is the cloud metadata service)
    "http://[64:ff9b::a9fe:a9fe]/hooks",  # NAT64
    "http://[2002:a9fe:a9fe::1]/hooks",  # 6to4
    "http://[::a9fe:a9fe]/hooks",  # IPv4-compatible
    "http://[::7f00:1]/hooks",  # IPv4-compatible 127.0.0.1
    "http://[::ffff:a9fe:a9fe]/hooks",  # IPv4-mapped
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks",  # Teredo
    "http://[fec0::1]/hooks",  # site-local
    "http://[ff02::1]/hooks",  # multicast
    "http://[::]/hooks",  # unspecified
]


@pytest.fixture
def blocking(settings):
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True


@pytest.mark.usefixtures("blocking")
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_loopback_and_link_local_urls_are_refused_in_production(tenant, url):
    with pytest.raises(WebhookUrlForbidden) as caught:
        endpoint_make(url)

    assert (caught.value.code, caught.value.status) == ("webhook_url_forbidden", 422)


@pytest.mark.usefixtures("blocking")
def test_a_public_address_is_accepted_in_production(tenant):
    endpoint, secret = endpoint_make("https://93.184.216.34/hooks")

    assert endpoint.url == "https://93.184.216.34/hooks"
    assert secret.startswith("whsec_")


def test_private_addresses_are_allowed_when_the_setting_is_off(tenant):
    endpoint, _secret = endpoint_make("http://127.0.0.1:9000/hooks")

    assert endpoint.is_active


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hooks",
        "example.com/hooks",
        "http://",
        "javascript:alert(1)",
        "https://user:password@example.com/hooks",
        "https://example.com/" + "a" * 2000,
    ],
)
def test_urls_that_are_not_http_are_refused(tenant, url):
    with pytest.raises(WebhookUrlInvalid):
        endpoint_make(url)


@pytest.mark.parametrize("events", [[], ["order.deleted"], "order.created", None])
def test_unknown_or_missing_events_are_refused(tenant, events):
    with pytest.raises(WebhookEventsInvalid):
        services.endpoint_create(url="https://example.com/hooks", events=events)


def test_a_change_of_url_is_checked_too(tenant, settings):
    endpoint, _secret = endpoint_make("https://93.184.216.34/hooks")
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True

    with pytest.raises(WebhookUrlForbidden):
        endpoint_update(endpoint=endpoint, url="http://10.0.0.1/")


def test_an_address_that_became_private_is_refused_at_delivery(tenant, receiver, settings):
    # Given an endpoint saved while private addresses were allowed (or a name that now resolves inward)
    endpoint_make(receiver.url)
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()

    # When it is attempted in production settings
    settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS = True
    attempt = services.delivery_attempt(delivery_id=delivery.pk, number=1)

    # Then nothing is sent and the attempt says why
    assert receiver.requests == []
    assert (attempt.status_code, attempt.error) == (None, "forbidden_address")
    assert "127.0.0.1" in attempt.error_detail


@pytest.mark.usefixtures("blocking")
def test_a_name_that_rebinds_to_loopback_after_the_check_is_refused_at_delivery(
    tenant, receiver, monkeypatch
):
    # Given a name whose DNS answers a public address to the check when the endpoint is saved,
    # then this machine's address (a rebinding attack; DNS is outside this machine: faked)
    port = receiver.url.split(":")[2].split("/")[0]
    resolve_rebinding(monkeypatch, "hooks.rebind.example")
    endpoint_make(f"http://hooks.rebind.example:{port}/hooks")
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()

    # When it is attempted
    attempt = services.delivery_attempt(delivery_id=delivery.pk, number=1)

    # Then the address connected to was checked: nothing reaches the receiver
    assert receiver.requests == []
    assert (attempt.status_code, attempt.error) == (None, "forbidden_address")
    assert "127.0.0.1" in attempt.error_detail


def test_a_name_is_resolved_once_and_kept_in_the_host_header(tenant, receiver):
    # Given an endpoint named by host name
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint_make(f"http://localhost:{port}/hooks")
    delivery = event_publish(type="order.created", data={"id": 1}).deliveries.get()

    # When it is delivered (connecting to the address checked)
    attempt = services.delivery_attempt(delivery_id=delivery.pk, number=1)

    # Then the receiver sees its own name in Host
    assert attempt.status_code == 200
    assert receiver.requests[0].headers["Host"] == f"localhost:{port}"


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("239.1.2.3", False),
        ("240.0.0.1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b::5db8:d822", True),  # NAT64 of a public address
        ("64:ff9b:1::a9fe:a9fe", False),  # local-use NAT64
        ("2002:a9fe:a9fe::1", False),
        ("2002:5db8:d822::1", True),  # 6to4 of a public address
        ("::a9fe:a9fe", False),
        ("::7f00:1", False),
        ("::5db8:d822", False),  # IPv4-compatible addresses are deprecated and not routed
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        ("fec0::1", False),
        ("ff0e::1", False),
        ("::", False),
    ],
)
def test_which_addresses_are_public(address, allowed):
    assert address_allowed(ipaddress.ip_address(address)) is allowed
