"""Which network addresses outbound requests (webhooks, shops' APIs) may reach, and the one HTTP
client that sends every request to a URL a workspace chose.

With WEBHOOK_BLOCK_PRIVATE_NETWORKS (production) only public unicast addresses may be reached:
not private, loopback, link-local, site-local, multicast, reserved, shared or unspecified ones
(SSRF). An IPv6 address that carries an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64
`64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) is judged by the IPv4 address it carries; the
deprecated IPv4-compatible `::a.b.c.d` and Teredo `2001::/32` addresses are refused.

DNS rebinding: `guarded_client()` resolves a name once per connection, checks every address it
resolves to, and opens the socket to a checked address; the URL keeps the name, so `Host`, TLS
SNI and certificate checks are the name's. A name cannot answer a public address to a check and
a private one to the connection. No HTTP proxy is used.
"""

import ipaddress
import socket
from collections.abc import Iterable

import httpcore2
import httpx2
from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(httpx2.ConnectError):
    """The host is, or resolves to, an address outbound requests may not reach."""

    def __init__(self, address: IPAddress):
        super().__init__(f"{address} is not a public address")
        self.address = address


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 or 6to4 IPv6 address carries, else None."""
    if address.version == 4:
        return None
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


def _public(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_link_local
        or address.is_loopback
        or address.is_private
        or getattr(address, "is_site_local", False)
    )


def address_allowed(address: IPAddress) -> bool:
    """A public unicast address (an IPv6 address carrying an IPv4 one is judged as that one)."""
    return _public(_embedded_ipv4(address) or address)


def addresses_forbidden(addresses: Iterable[IPAddress]) -> list[IPAddress]:
    """Those of `addresses` outbound requests may not reach ([] when private networks are allowed)."""
    if not settings.WEBHOOK_BLOCK_PRIVATE_NETWORKS:
        return []
    return [address for address in addresses if not address_allowed(address)]


def ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def addresses_resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` resolves to, IPv4 first; raises OSError (socket.gaierror) if none."""
    literal = ip_literal(host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    return sorted(addresses, key=lambda address: address.version)


def host_is_public(host: str, port: int = 443) -> bool:
    """Whether `host` resolves, and only to public addresses."""
    try:
        addresses = addresses_resolve(host, port)
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(address_allowed(address) for address in addresses)


class _GuardedBackend(httpcore2.SyncBackend):
    """Opens TCP connections only to addresses checked here, trying them in turn."""

    def connect_tcp(self, host: str, port: int, **options) -> httpcore2.NetworkStream:
        try:
            addresses = addresses_resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore2.ConnectError(str(exc)) from exc
        forbidden = addresses_forbidden(addresses)
        if forbidden:
            raise AddressRefused(forbidden[0])
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, **options)
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                failure = exc
        raise failure


class _GuardedTransport(httpx2.HTTPTransport):
    def __init__(self):
        super().__init__(trust_env=False)
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False), network_backend=_GuardedBackend()
        )


def guarded_client(**options) -> httpx2.Client:
    """An httpx2 client that connects only to addresses allowed (see above), without a proxy.

    A refused address raises AddressRefused, a name that does not resolve httpx2.ConnectError
    (caused by socket.gaierror): both are httpx2.TransportError, like any network failure.
    """
    return httpx2.Client(transport=_GuardedTransport(), trust_env=False, **options)
