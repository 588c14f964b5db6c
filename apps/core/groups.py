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
    """Send each `(group, message)` as `channel_layer.group_send` would; raises on a Redis error."""
    layer = get_channel_layer()
    for group, message in messages:
        _group_send(layer, group, message)


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


def _group_send(layer: RedisChannelLayer, group: str, message: dict) -> None:
    assert layer.require_valid_group_name(group), "Group name not valid"
    key = layer._group_key(group)
    client = _client(layer, layer.consistent_hash(group))
    now = time.time()
    pipe = client.pipeline(transaction=False)
    pipe.zremrangebyscore(key, min=0, max=int(now) - layer.group_expiry)
    pipe.zrange(key, 0, -1)
    channel_names = [name.decode("utf8") for name in pipe.execute()[1]]
    if not channel_names:
        return
    by_connection, messages, capacities = layer._map_channel_keys_to_connection(channel_names, message)
    for index, channel_keys in by_connection.items():
        connection = _client(layer, index)
        pipe = connection.pipeline(transaction=False)
        for channel_key in channel_keys:
            pipe.zremrangebyscore(channel_key, min=0, max=int(now) - int(layer.expiry))
        pipe.execute()
        args = [messages[k] for k in channel_keys] + [capacities[k] for k in channel_keys]
        connection.eval(GROUP_SEND_LUA, len(channel_keys), *channel_keys, *args, now, layer.expiry)
