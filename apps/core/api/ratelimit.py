"""Rate limits on an atomic Redis counter (DRF's own throttles race under load).

Each key may make API_RATE_LIMIT_REQUESTS requests per window of API_RATE_LIMIT_WINDOW_SECONDS,
the window starting at the key's first request. A Lua script increments the counter, sets its
expiry on the first hit and reads its time to live in one atomic step, so parallel requests
never both see the same count and a counter never lives without an expiry.
"""

from django.core.cache import cache
from django_redis import get_redis_connection

from ..errors import RateLimited

# One atomic command per request: count, start the window on the first hit, and say how
# long to wait once over the limit (0 while allowed).
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return math.max(redis.call('TTL', KEYS[1]), 1) end
return 0
"""


def rate_limit_hit(*, bucket: tuple[str, ...], limit: int, window: int) -> int | None:
    """Count one request in `bucket` (e.g. schema, key prefix).

    Returns None if allowed, else the seconds until it is.
    """
    name = ":".join(part for part in (cache.key_prefix, "ratelimit", *bucket) if part)
    wait = get_redis_connection("default").register_script(_HIT)(keys=[name], args=[window, limit])
    return wait or None


def rate_limit_enforce(*, bucket: tuple[str, ...], limit: int, window: int, message: str) -> None:
    """Count one request in `bucket`; past `limit` in `window` seconds, RateLimited with `message`
    (its `%(seconds)d` the wait) and the wait as Retry-After."""
    wait = rate_limit_hit(bucket=bucket, limit=limit, window=window)
    if wait:
        raise RateLimited(message % {"seconds": wait}, retry_after=wait)
