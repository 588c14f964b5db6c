"""Which network addresses outbound requests (webhooks, shops' APIs) may reach: public ones only.

With WEBHOOK_BLOCK_PRIVATE_NETWORKS (production) callers refuse hosts that are, or resolve to,
private, loopback, link-local, multicast, reserved, shared or unspecified addresses (SSRF).
"""

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: IPAddress) -> bool:
    """A public unicast address (an IPv4-mapped IPv6 address is judged as its IPv4 address)."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


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
