"""The suite's shared fixtures, from `tests.support` (real PostgreSQL and Redis; see its modules).

Test modules and conftests import helpers from `tests.support` only, never from one another.
"""

import pytest

pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.workspaces",  # `tenant` (alpha), `other_tenant` (beta), migration rows and caches reset
    "tests.support.clients",  # `public_client`, `as_role`, `operator`, `_custom_hosts`, `test_views`
    "tests.support.processes",  # a real daphne and Celery worker: `processes`, `daphne`, `worker`
    "tests.support.receiver",  # `receiver`: a local HTTP server that records requests
    "tests.support.webhooks",  # `deliver_eagerly`: webhook delivery tasks run at once, here
    "tests.support.dns",  # `fake_dns`
    "tests.support.smtp",  # `smtp_server`
    "tests.support.campaigns",  # `send_eagerly`
    "tests.support.widget",  # `widget`, `widget_brand`, `widget_product`
    "tests.support.fakes.openai",  # `fake_openai`
    "tests.support.fakes.stripe",  # `fake_stripe`, `stripe_endpoint`
    "tests.support.fakes.shops",  # `fake_shop`: Shopify and WooCommerce
]
