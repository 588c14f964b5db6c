"""Per-process caches: what they keep, and how a change reaches every process at once."""

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django_redis import get_redis_connection

from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.brands.services import brand_create, brand_update
from apps.core import memo
from apps.core.memo import MISSING, ProcessCache, forget_everywhere
from apps.tenants.services import api_key_create, api_key_revoke, tenant_rename, tenant_suspend
from tests.support.processes import BASE_DIR, process_environ

WAIT_SECONDS = 10


def _until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _python(code: str, **environ: str) -> subprocess.CompletedProcess:
    """`code` in another process with this one's settings, after `django.setup()`."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**process_environ(), **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_entry_is_kept_until_it_expires_and_none_is_not_kept():
    memo_ = ProcessCache(seconds=0.2)
    loads = []

    def load(value):
        loads.append(value)
        return value

    first = memo_.get_or_load("a", lambda: load("one"))
    again = memo_.get_or_load("a", lambda: load("two"))
    missing = [memo_.get_or_load("b", lambda: load(None)) for _ in range(2)]
    time.sleep(0.25)
    expired = memo_.get("a")

    assert (first, again) == ("one", "one")
    assert missing == [None, None]
    assert loads == ["one", None, None]  # None was loaded each time
    assert expired is MISSING


def test_a_load_that_a_forget_overtook_is_returned_but_not_kept():
    memo_ = ProcessCache(seconds=60)

    def load_while_forgotten():
        memo_.forget()  # as the listener does when a change is announced mid-read
        return "read before the change"

    value = memo_.get_or_load("a", load_while_forgotten)

    assert value == "read before the change"
    assert memo_.get("a") is MISSING


def test_a_change_made_in_another_process_is_forgotten_here_at_once():
    shared = ProcessCache(seconds=60, everywhere=True)
    shared.set("warm", True)  # starts this process's listener
    assert _until(memo._listener.hearing), "the listener never subscribed"
    shared.set("key", "before the change")

    other = _python("from apps.core.memo import forget_everywhere\nforget_everywhere()\n")

    assert other.returncode == 0, other.stderr
    assert _until(lambda: shared.get("key") is MISSING), "the other process's change never arrived"


def test_without_redis_entries_last_only_the_unheard_seconds():
    result = _python(
        """
        import time
        from apps.core import memo
        memo.UNHEARD_SECONDS = 0.3
        shared = memo.ProcessCache(seconds=60, everywhere=True)
        alone = memo.ProcessCache(seconds=60)
        shared.set("key", 1)
        alone.set("key", 1)
        time.sleep(1.0)  # the listener tried, and failed, to subscribe
        print(memo._listener.hearing(), shared.get("key") is memo.MISSING, alone.get("key"))
        """,
        REDIS_URL="redis://127.0.0.1:9/0",  # the discard port: nothing listens
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "1"]
    assert "forget channel lost" in result.stderr


@pytest.fixture
def forget_messages():
    """The messages on the forget channel, as every process's listener receives them."""
    pubsub = get_redis_connection("default").pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(":".join([cache.key_prefix, "memo", "forget"]))
    pubsub.get_message(timeout=1)  # the subscription's confirmation

    def received() -> int:
        count = 0
        while pubsub.get_message(timeout=0.2) is not None:
            count += 1
        return count

    yield received
    pubsub.close()


def _revoke(tenant):
    api_key, _raw = api_key_create(tenant=tenant, name="CI")
    api_key_revoke(api_key=api_key)


CHANGES = {
    "a key revoked": _revoke,
    "a workspace suspended": lambda tenant: tenant_suspend(tenant=tenant),
    "a workspace renamed": lambda tenant: tenant_rename(tenant=tenant, name="Renamed"),
    "a plan assigned": lambda tenant: subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.STARTER)),
    "a brand edited": lambda tenant: brand_update(
        brand=brand_create(name="Acme"), allowed_origins=["https://shop.example"]
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_change_to_what_the_caches_hold_is_announced_once_committed(
    change, tenant, forget_messages, django_capture_on_commit_callbacks
):
    forget_messages()  # what setting up the workspace announced
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change(tenant)
    before_commit = forget_messages()
    for callback in callbacks:
        callback()

    assert before_commit == 0
    assert forget_messages() >= 1


def test_forgetting_everywhere_forgets_this_process_at_once(db, django_capture_on_commit_callbacks):
    shared, alone = ProcessCache(seconds=60, everywhere=True), ProcessCache(seconds=60)
    shared.set("key", 1)
    alone.set("key", 1)

    with django_capture_on_commit_callbacks(execute=False):
        forget_everywhere()

    assert shared.get("key") is MISSING
    assert alone.get("key") == 1  # a cache that may be stale is left to expire
