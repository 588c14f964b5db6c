"""The one way an audit entry is written: `recorder` calls it for model writes, bulk updates directly."""

import datetime
import decimal
import uuid
from contextvars import ContextVar
from datetime import timedelta

from django.db import connection
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from apps.core import context
from apps.core.memo import ProcessCache
from apps.tenants.models import ApiKey, Tenant, User

from .models import AuditEntry

# An actor's label (a key's name, a person's e-mail) is read once a minute per process, not per
# write: a burst of API writes then costs one insert each. A renamed key shows under its new
# name within the minute.
_labels = ProcessCache(seconds=60)

RETENTION = timedelta(days=365)
# Whom the actor acts as, when an operator works in a workspace through support access
# (apps.accounts.support): "" otherwise. Added to the entry's actor label.
on_behalf: ContextVar[str] = ContextVar("audit_on_behalf", default="")


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return str(value)


def _tenant_id(instance) -> int | None:
    if isinstance(instance, Tenant):
        return instance.pk
    if getattr(instance, "tenant_id", None):
        return instance.tenant_id
    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == get_public_schema_name():
        return None
    return tenant.pk


def _actor_label(actor: str) -> str:
    return _labels.get_or_load(actor, lambda: _actor_label_read(actor))


def _actor_label_read(actor: str) -> str:
    if actor.startswith("key:"):
        name = ApiKey.objects.filter(prefix=actor.removeprefix("key:")).values_list("name", flat=True).first()
        return f"{name} ({actor})" if name else actor
    email = User.objects.filter(pk=actor).values_list("email", flat=True).first() if actor.isdigit() else None
    return email or actor


def audit_record(*, instance, action: str, changes: dict) -> AuditEntry | None:
    """Record that the current actor (a person or an API key) wrote `instance`. None without one."""
    actor = context.user.get()
    tenant_id = _tenant_id(instance)
    if actor == "-" or tenant_id is None:
        return None
    label = _actor_label(actor)
    if on_behalf.get():
        label = f"{label} (support → {on_behalf.get()})"
    return AuditEntry.objects.create(
        tenant_id=tenant_id,
        actor=actor if actor.startswith("key:") else f"user:{actor}",
        actor_label=label[:254],
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=_jsonable(changes),
        request_id=context.request_id.get() if context.request_id.get() != "-" else "",
    )


def audit_purge() -> int:
    """Beat: entries are kept one year. Returns how many were deleted."""
    deleted, _by_model = AuditEntry.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted
