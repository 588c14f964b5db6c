"""What a workspace uses of each plan limit, counted by the app that owns what is counted.

Billing owns the limits but not the things they limit: brands, webhook endpoints and seats
belong to the apps above it. Each of those registers its selector here from its
`AppConfig.ready()`, and the Billing page reads every meter through `meter_read`. AI designs,
campaign e-mails and AI text tokens are billing's own meters (the monthly `UsageCounter`).
"""

from collections.abc import Callable

from apps.tenants.models import Tenant

Counter = Callable[[Tenant], int]
_counters: dict[str, Counter] = {}


def meter_register(limit: str, counter: Counter) -> None:
    _counters[limit] = counter


def meter_read(limit: str, tenant: Tenant) -> int:
    """What `tenant` uses of `limit` (call in the workspace's schema)."""
    return _counters[limit](tenant)
