"""Campaign send rates as token buckets in Redis: one per workspace (its messages per minute) and
one per provider, shared by every workspace sending through it (CAMPAIGNS_PROVIDER_RATES).

A bucket holds at most one minute of its rate (for a workspace: one batch) and refills
continuously. A batch takes as many tokens as both buckets have, in one Lua script (atomic across
workers and processes), and gives back those it did not use. A bucket that Redis lost starts
full: the send log, not the bucket, is what keeps a message from leaving twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_redis import get_redis_connection

from .delivery import provider, rate_per_minute

# KEYS: the buckets. ARGV: the time in seconds ("" for Redis's clock), the tokens wanted (negative:
# given back), then each bucket's refill per second and capacity. Returns the tokens granted (as
# many as every bucket has, up to those wanted) and, in milliseconds, the wait for the next token
# of the emptiest bucket.
_TAKE = """
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) + tonumber(time[2]) / 1000000
end
local count, levels, wait = tonumber(ARGV[2]), {}, 0
for i, key in ipairs(KEYS) do
  local rate, capacity = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local at = tonumber(state[2]) or now
  local level = math.min(capacity, (tonumber(state[1]) or capacity) + math.max(0, now - at) * rate)
  levels[i] = {level, math.max(now, at)}
  count = math.min(count, math.floor(level))
  wait = math.max(wait, (1 - level) / rate)
end
for i, key in ipairs(KEYS) do
  local rate, capacity = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local level = math.min(capacity, levels[i][1] - count)
  redis.call('HSET', key, 'tokens', tostring(level), 'at', tostring(levels[i][2]))
  redis.call('EXPIRE', key, math.ceil((capacity - level) / rate) + 1)
end
return {count, math.ceil(wait * 1000)}
"""


@dataclass(frozen=True)
class Bucket:
    """`per_minute` tokens a minute, at most that many held."""

    name: str
    per_minute: int


@dataclass(frozen=True)
class Grant:
    count: int
    wait: float  # seconds until every bucket has a token again (0 when they have)


def send_buckets() -> tuple[Bucket, Bucket]:
    """The current workspace's bucket and its provider's."""
    carrier = provider()
    return (
        Bucket(f"workspace:{connection.schema_name}", rate_per_minute()),
        Bucket(f"provider:{carrier}", settings.CAMPAIGNS_PROVIDER_RATES[carrier.split(":")[0]]),
    )


def _key(bucket: Bucket) -> str:
    return ":".join(part for part in (cache.key_prefix, "campaigns:rate", bucket.name) if part)


def _run(buckets: Sequence[Bucket], count: int, now: float | None) -> list[int]:
    keys = [_key(bucket) for bucket in buckets]
    rates = [value for bucket in buckets for value in (bucket.per_minute / 60, bucket.per_minute)]
    script = get_redis_connection("default").register_script(_TAKE)
    return script(keys=keys, args=["" if now is None else now, count, *rates])


def take(buckets: Sequence[Bucket], wanted: int, *, now: float | None = None) -> Grant:
    """Up to `wanted` tokens from every bucket at once. `now` (seconds) defaults to Redis's clock,
    the same for every worker."""
    count, wait_ms = _run(buckets, wanted, now)
    return Grant(count=count, wait=0 if count else wait_ms / 1000)


def give_back(buckets: Sequence[Bucket], count: int, *, now: float | None = None) -> None:
    """Tokens taken and not used (never more than a bucket holds)."""
    if count:
        _run(buckets, -count, now)
