"""Luneo's hosts: absolute links to them, and ALLOWED_HOSTS that also admits workspaces' verified
custom domains (kept 60 s per process).

Django checks every request's Host against settings.ALLOWED_HOSTS; the configured hosts come
first, so the database is only asked about a host none of them matches.
"""

import asyncio
import logging

from django.conf import settings
from django.db import DatabaseError

from apps.core.memo import MISSING, ProcessCache

logger = logging.getLogger(__name__)
_verified = ProcessCache(seconds=60)


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def verified_custom_domains() -> list[str]:
    """Verified custom domains; in an event loop (websocket handshakes) only what this process knows."""
    domains = _verified.get("domains")
    if domains is MISSING and _in_event_loop():
        return []  # the ORM is synchronous; the next request served in a thread reads them
    if domains is MISSING:
        from .models import Domain  # settings are read before the apps are ready

        try:
            domains = list(
                Domain.objects.filter(is_primary=False, verified_at__isnull=False).values_list(
                    "domain", flat=True
                )
            )
        except (DatabaseError, RuntimeError):  # no database yet (start-up, or tests without one)
            logger.warning("custom domains could not be read; only the configured hosts are allowed")
            return []
        _verified.set("domains", domains)
    return domains


def allowed_hosts_forget() -> None:
    _verified.forget()


class AllowedHosts(list):
    """The configured hosts, then (when asked about another) the verified custom domains."""

    def __iter__(self):
        yield from super().__iter__()
        yield from verified_custom_domains()


def site_url(host: str, path: str = "/") -> str:
    """An absolute link to `host`, with the site's scheme and port (never taken from a request)."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}{path}"
