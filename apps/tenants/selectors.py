"""Reads for workspaces, people and keys (the dashboard and the API share them)."""

import secrets
from datetime import date

from django.db import connection
from django.db.models import Count, Model, QuerySet
from django.db.models.functions import TruncDate
from django_tenants.utils import get_public_schema_name

from apps.core.hashing import sha256_hex
from apps.core.memo import ProcessCache

from .models import ApiKey, Membership, Tenant, User

PUBLIC = get_public_schema_name()
DEMO_SLUG = "demo"  # the demo workspace that seed_demo makes


def _select_list(model: type[Model], alias: str) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return [field.attname for field in fields], ", ".join(f'{alias}."{field.column}"' for field in fields)


# Every API request looks its key up: the SQL is written once here, because compiling the
# equivalent ORM query cost more than running it (docs/performance.md).
_KEY_FIELDS, _KEY_COLUMNS = _select_list(ApiKey, "k")
_TENANT_FIELDS, _TENANT_COLUMNS = _select_list(Tenant, "t")
# Schema-qualified, so it needs no `SET search_path` round trip whatever schema is active.
_KEY_LOOKUP_SQL = (
    f'SELECT {_KEY_COLUMNS}, {_TENANT_COLUMNS} FROM "{PUBLIC}"."{ApiKey._meta.db_table}" k '
    f'JOIN "{PUBLIC}"."{Tenant._meta.db_table}" t ON t.id = k.tenant_id WHERE k.prefix = %s'
)


# Keys seen in the last minute, by hash, with their workspace: under load a key hits the
# database once a minute per process. Revoking a key or changing its workspace forgets them in
# every process at once (apps.core.memo.forget_everywhere).
_recent_keys = ProcessCache(seconds=60, everywhere=True)


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active-or-revoked key matching `raw`, with its tenant; None if it matches nothing."""
    if len(raw) < 20 or not raw.startswith(("sk_", "pk_")):
        return None
    digest = sha256_hex(raw)
    return _recent_keys.get_or_load(digest, lambda: _api_key_fetch(prefix=raw[:16], digest=digest))


def widget_demo_key_allowed(*, raw: str, host_tenant: Tenant) -> bool:
    """Whether the widget's demo page may run with publishable key `raw` on this host: a key of
    the host's own workspace or, on the public host, of the demo workspace (seed_demo)."""
    api_key = api_key_authenticate(raw)
    if api_key is None or not api_key.is_active or api_key.type != ApiKey.Type.PUBLISHABLE:
        return False
    if api_key.tenant_id == host_tenant.pk:
        return True
    return host_tenant.schema_name == PUBLIC and api_key.tenant.schema_name == DEMO_SLUG


def _api_key_fetch(*, prefix: str, digest: str) -> ApiKey | None:
    with connection.cursor() as cursor:
        cursor.execute(_KEY_LOOKUP_SQL, [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_KEY_FIELDS)
    api_key = ApiKey.from_db(connection.alias, _KEY_FIELDS, row[:split])
    if not secrets.compare_digest(api_key.key_hash, digest):
        return None
    api_key.tenant = Tenant.from_db(connection.alias, _TENANT_FIELDS, row[split:])
    return api_key


def member_list(
    *, tenant: Tenant, role: str | None = None, search: str | None = None
) -> QuerySet[Membership]:
    members = Membership.objects.filter(tenant=tenant).select_related("user")
    if role:
        members = members.filter(role=role)
    if search:
        members = members.filter(user__email__icontains=search)
    return members


def member_exists(*, tenant: Tenant, email: str) -> bool:
    return Membership.objects.filter(tenant=tenant, user__email=email).exists()


def member_count(*, tenant: Tenant) -> int:
    return Membership.objects.filter(tenant=tenant).count()


def api_key_list(*, tenant: Tenant) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(tenant=tenant, type=ApiKey.Type.SECRET).select_related("created_by")


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("tenant").order_by("tenant__name")


def tenant_by_schema(schema_name: str) -> Tenant | None:
    """The workspace whose schema is `schema_name` (None for the public schema or none)."""
    if not schema_name or schema_name == PUBLIC:
        return None
    return Tenant.objects.filter(schema_name=schema_name).first()


def workspace_signups(*, start: date, end: date) -> dict[date, int]:
    """Workspaces created per day (UTC) from `start` to `end`, for the days that had any."""
    rows = (
        Tenant.objects.exclude(schema_name=PUBLIC)
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    return dict(rows)


def workspace_counts() -> dict[str, int]:
    """Workspaces per status (public schema aside)."""
    rows = Tenant.objects.exclude(schema_name=PUBLIC).values("status").annotate(count=Count("pk"))
    return {row["status"]: row["count"] for row in rows}
