"""Per-process caches with expiry, for hot reads: no network round trip on a hit.

Most caches here may be a little stale (`seconds`). The few that decide access (API keys,
entitlements, the widget's brands) are made `everywhere=True`: `forget_everywhere()` drops
them in every process once the change commits, through a Redis channel that each process
listens to in a thread. Their entries live `seconds` while the process hears that channel, and
at most UNHEARD_SECONDS while it cannot (Redis unreachable, or just starting to listen), so
a change applies at once while Redis is up, and within UNHEARD_SECONDS when it is not. (Should
the one publish fail while Redis is up for the others, it is logged, and they hold the old
entries until they expire.)
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django_redis import get_redis_connection

logger = logging.getLogger(__name__)

MISSING = object()
UNHEARD_SECONDS = 2.0
PING_SECONDS = 5.0  # the listener pings Redis when silent this long; twice that without a reply: reconnect
RETRY_SECONDS = 1.0


class ProcessCache:
    def __init__(self, *, seconds: float, max_size: int = 10_000, everywhere: bool = False):
        self.seconds, self.max_size, self.everywhere = seconds, max_size, everywhere
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._generation = 0  # moves on at every forget: a load that began before it is not kept
        if everywhere:
            _shared.append(self)

    def get(self, key, default=MISSING):
        expires, value = self._entries.get(key, (0.0, MISSING))
        return value if expires > time.monotonic() else default

    def get_or_load(self, key, load: Callable[[], Any]):
        """The entry for `key`, else what `load()` returns, kept unless it is None or the cache
        was forgotten while it loaded (what it read may be what the change replaced)."""
        value = self.get(key)
        if value is MISSING:
            generation = self._generation
            value = load()
            if value is not None and generation == self._generation:
                self.set(key, value)
        return value

    def set(self, key, value) -> None:
        if len(self._entries) >= self.max_size:
            self._entries.clear()
        seconds = self.seconds
        if self.everywhere:
            seconds = seconds if _listener.hearing() else min(seconds, UNHEARD_SECONDS)
        self._entries[key] = (time.monotonic() + seconds, value)

    def forget(self, key=MISSING) -> None:
        """Drop one entry, or all of them, in this process."""
        self._generation += 1
        if key is MISSING:
            self._entries.clear()
        else:
            self._entries.pop(key, None)


_shared: list[ProcessCache] = []  # appended to at import; read by the listener thread as a copy


def _forget_shared() -> None:
    for memo in tuple(_shared):
        memo.forget()


def _channel() -> str:
    return ":".join(part for part in (cache.key_prefix, "memo", "forget") if part)


def forget_everywhere() -> None:
    """Drop every `everywhere` cache in this process now, and in every process once the
    transaction commits (at once outside one). Call it after a change to what they hold."""
    _forget_shared()
    transaction.on_commit(_publish, robust=True)


def _publish() -> None:
    get_redis_connection("default").publish(_channel(), "forget")


class _Listener:
    """This process's subscription to the forget channel, in a daemon thread started by the
    first `everywhere` entry kept (and again in a forked child, which has no threads)."""

    def __init__(self):
        self._pid: int | None = None
        self._subscribed = False

    def hearing(self) -> bool:
        if self._pid != os.getpid():
            self._pid, self._subscribed = os.getpid(), False
            threading.Thread(target=self._run, name="memo-forget", daemon=True).start()
        return self._subscribed

    def _run(self) -> None:
        while True:
            try:
                self._listen()
            except Exception as error:  # noqa: BLE001 - any failure: forget, wait, subscribe again
                logger.warning("forget channel lost (%s): entries last %.0f s", error, UNHEARD_SECONDS)
            self._subscribed = False
            _forget_shared()  # a message may be missed until the next subscription
            time.sleep(RETRY_SECONDS)

    def _listen(self) -> None:
        pubsub = get_redis_connection("default").pubsub()
        try:
            pubsub.subscribe(_channel())
            heard = pinged = time.monotonic()
            while True:
                message = pubsub.get_message(timeout=PING_SECONDS)
                now = time.monotonic()
                if message is not None:
                    heard = now
                    if message["type"] in ("subscribe", "message"):  # entries kept before may be stale
                        _forget_shared()
                        self._subscribed = True
                if now - heard > 2 * PING_SECONDS:
                    raise TimeoutError("no reply from Redis")
                if now - max(heard, pinged) >= PING_SECONDS:
                    pubsub.ping()
                    pinged = now
        finally:
            pubsub.close()


_listener = _Listener()
