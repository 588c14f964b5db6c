"""Per-API-key rate limit on an atomic Redis counter (DRF's own throttles race under load).

Each key may make API_RATE_LIMIT_REQUESTS requests per window of API_RATE_LIMIT_WINDOW_SECONDS,
the window starting at the key's first request. One MULTI/EXEC round trip creates the counter
with its expiry if missing, increments it and reads its time to live, so parallel requests
never both see the same count.
"""

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection
from rest_framework.throttling import BaseThrottle

from apps.tenants.models import ApiKey


def rate_limit_hit(*, api_key: ApiKey, limit: int, window: int) -> int | None:
    """Count one request by `api_key`. Returns None if allowed, else the seconds until it is."""
    parts = [cache.key_prefix, "ratelimit", api_key.tenant.schema_name, api_key.prefix]
    name = ":".join(part for part in parts if part)
    pipe = get_redis_connection("default").pipeline(transaction=True)
    pipe.set(name, 0, ex=window, nx=True)
    pipe.incr(name)
    pipe.ttl(name)
    _created, count, ttl = pipe.execute()
    if count <= limit:
        return None
    return max(ttl, 1)


class ApiKeyRateThrottle(BaseThrottle):
    """429 `rate_limited` with `Retry-After` once a key exceeds its budget. Requests without a key pass."""

    def allow_request(self, request, view) -> bool:
        self.retry_after = None
        if not isinstance(request.auth, ApiKey):
            return True
        self.retry_after = rate_limit_hit(
            api_key=request.auth,
            limit=settings.API_RATE_LIMIT_REQUESTS,
            window=settings.API_RATE_LIMIT_WINDOW_SECONDS,
        )
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after
