"""Send to Channels groups from synchronous code (views, services, tasks) without an event loop.

channels_redis's `group_send` is a coroutine: from synchronous code each `async_to_sync` call
runs an event loop in a thread and opens a Redis connection for it (≈ 9 ms, most of a design
creation's time). `group_send_many` writes what channels_redis's `group_send` writes (the
group's sorted set read, one message per channel key, its Lua script's capacity check) through
the layer's own key, hashing and serialisation methods, over a redis-py client kept per process
and per Redis host. The project's layer is channels_redis's (settings.CHANNEL_LAYERS).
"""

import threading
import time
from collections import defaultdict

import redis
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer

# channels_redis's own script (RedisChannelLayer.group_send): add the message to each channel's
# sorted set unless it is at capacity, and set its expiry. Returns how many were at capacity.
GROUP_SEND_LUA = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 1]
local expiry = ARGV[#ARGV]
for i=1,#KEYS do
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""

_clients: dict[tuple[int, int], redis.Redis] = {}
_lock = threading.Lock()


def group_send_many(messages: list[tuple[str, dict]]) -> None:
    """Send each `(group, message)` as `channel_layer.group_send` would; raises on a Redis error.

    Two pipelined trips per Redis host whatever the number of messages: the groups' members,
    then the messages for them (none when nobody listens).
    """
    layer = get_channel_layer()
    now = time.time()
    by_host = defaultdict(list)
    for group, message in messages:
        assert layer.require_valid_group_name(group), "Group name not valid"
        by_host[layer.consistent_hash(group)].append((group, message))
    deliveries = []
    for index, items in by_host.items():
        pipe = _client(layer, index).pipeline(transaction=False)
        for group, _message in items:
            key = layer._group_key(group)
            pipe.zremrangebyscore(key, min=0, max=int(now) - layer.group_expiry)
            pipe.zrange(key, 0, -1)
        members = pipe.execute()[1::2]
        deliveries += [
            ([name.decode("utf8") for name in names], message)
            for (_group, message), names in zip(items, members, strict=True)
            if names
        ]
    _deliver(layer, deliveries, now)


def _deliver(layer: RedisChannelLayer, deliveries: list[tuple[list[str], dict]], now: float) -> None:
    """Each message to its channels, as channels_redis's group_send does, one pipeline per host."""
    pipes = {}
    for channel_names, message in deliveries:
        by_host, payloads, capacities = layer._map_channel_keys_to_connection(channel_names, message)
        for index, keys in by_host.items():
            pipe = pipes.setdefault(index, _client(layer, index).pipeline(transaction=False))
            for key in keys:
                pipe.zremrangebyscore(key, min=0, max=int(now) - int(layer.expiry))
            args = [payloads[key] for key in keys] + [capacities[key] for key in keys]
            pipe.eval(GROUP_SEND_LUA, len(keys), *keys, *args, now, layer.expiry)
    for pipe in pipes.values():
        pipe.execute()


def _client(layer: RedisChannelLayer, index: int) -> redis.Redis:
    """One client (a thread-safe connection pool) per layer and host, kept for the process."""
    key = (id(layer), index)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                host = dict(layer.hosts[index])
                address = host.pop("address", None)
                client = redis.Redis.from_url(address, **host) if address else redis.Redis(**host)
                _clients[key] = client
    return client
