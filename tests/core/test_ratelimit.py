"""Per-key rate limit: an atomic Redis counter, 429 `rate_limited` with Retry-After."""

import time
from concurrent.futures import ThreadPoolExecutor

from apps.core.api.ratelimit import rate_limit_hit
from tests.support.clients import bearer, http_call, new_key


def test_a_parallel_burst_gets_exactly_the_limit_then_429_with_retry_after(tenant, live_server, settings):
    # Given a limit of 5 requests a minute, and a key
    settings.API_RATE_LIMIT_REQUESTS = 5
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 60
    _key, raw = new_key(tenant)

    # When 16 requests hit the real server at once
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda _: http_call(live_server, "GET", "/api/v1/me", raw), range(16)))

    # Then exactly 5 pass and the 11 others are told when to come back
    statuses = sorted(status for status, _headers, _body in results)
    assert statuses == [200] * 5 + [429] * 11
    for status, headers, body in results:
        if status == 429:
            assert body["error"]["code"] == "rate_limited"
            assert 1 <= int(headers["Retry-After"]) <= 60
            assert body["error"]["details"]["retry_after"] == int(headers["Retry-After"])


def test_the_limit_is_per_key(tenant, settings):
    # Given a key that has used up its budget
    settings.API_RATE_LIMIT_REQUESTS = 2
    busy = bearer(new_key(tenant)[1])
    for _ in range(2):
        busy.get("/api/v1/me")
    assert busy.get("/api/v1/me").status_code == 429

    # When another key of the same workspace calls
    response = bearer(new_key(tenant)[1]).get("/api/v1/me")

    # Then it is not affected
    assert response.status_code == 200


def test_the_budget_comes_back_when_the_window_ends(tenant):
    # Given a key that exhausted a one-second window
    key, _raw = new_key(tenant)
    assert rate_limit_hit(bucket=(tenant.schema_name, key.prefix), limit=1, window=1) is None
    assert rate_limit_hit(bucket=(tenant.schema_name, key.prefix), limit=1, window=1) == 1

    # When the window has passed
    time.sleep(1.1)

    # Then the key may call again
    assert rate_limit_hit(bucket=(tenant.schema_name, key.prefix), limit=1, window=1) is None
