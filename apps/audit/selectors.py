from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery

from apps.core.dates import day_start
from apps.tenants.models import Tenant

from .models import AuditEntry


def audit_list(
    *,
    tenant: Tenant,
    actor: str = "",
    object_type: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """A workspace's entries, newest first; `actor` matches an email, a key's name or prefix."""
    entries = AuditEntry.objects.filter(tenant=tenant)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(created_at__gte=day_start(since))
    if until:
        entries = entries.filter(created_at__lt=day_start(until + timedelta(days=1)))
    return entries


def audit_object_types(*, tenant: Tenant) -> list[str]:
    return list(
        AuditEntry.objects.filter(tenant=tenant)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_last_at(tenant_ref: str = "pk") -> Subquery:
    """A subquery for `Tenant` querysets: when the workspace's latest entry was written (its last
    recorded activity); `tenant_ref` names the workspace's id in the outer query."""
    latest = AuditEntry.objects.filter(tenant=OuterRef(tenant_ref)).order_by("-created_at")
    return Subquery(latest.values("created_at")[:1])
