"""Record every write a person or an API key makes, without each write path having to remember it.

The models listed in AUDITED are watched (pre_save keeps the row as it was, post_save and
post_delete write the entry through `services.audit_record`). The actor is whoever the request
or task is for (`apps.core.context.user`: a user id, or `key:<prefix>`); writes with no actor —
beat jobs, migrations, the demo seed — are the system's own and are not recorded. Bulk
`.update()` calls bypass model signals: the services that use them call `audit_record` themselves.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from apps.core import context

from .services import audit_record


@dataclass(frozen=True)
class Watch:
    ignore: frozenset[str] = field(default_factory=frozenset)  # secrets and bookkeeping
    updates: bool = True  # False: only creation and deletion (state machines moved by workers)


ALWAYS_IGNORED = frozenset({"created_at", "updated_at"})
AUDITED: dict[str, Watch] = {
    "tenants.Tenant": Watch(),
    "tenants.Membership": Watch(),
    "accounts.Invitation": Watch(frozenset({"token_hash"})),
    "tenants.ApiKey": Watch(frozenset({"key_hash", "last_used_at"})),
    "billing.Subscription": Watch(frozenset({"stripe_synced_at"})),
    "brands.Brand": Watch(frozenset({"stripe_secret_key"})),
    "products.Product": Watch(),
    "products.Variant": Watch(),
    "products.Option": Watch(),
    "products.View": Watch(),
    "designs.Design": Watch(updates=False),
    "orders.Order": Watch(frozenset({"pack", "pack_status", "pack_error", "pack_built_at"})),
    "integrations.Integration": Watch(frozenset({"credentials", "webhook_secret"})),
    "webhooks.WebhookEndpoint": Watch(frozenset({"secret"})),
    "copilot.PendingAction": Watch(frozenset({"card", "result"})),  # proposed, then confirmed or cancelled
    "accounts.SupportSession": Watch(frozenset({"opened_at"})),  # an operator's "view as": started, ended
}


def _watch(sender) -> Watch | None:
    return AUDITED.get(sender._meta.label)


def _fields(instance, watch: Watch) -> list:
    ignored = ALWAYS_IGNORED | watch.ignore
    return [f for f in instance._meta.concrete_fields if f.attname not in ignored and not f.primary_key]


def snapshot(instance, watch: Watch) -> dict:
    return {f.attname: f.value_from_object(instance) for f in _fields(instance, watch)}


def _before(sender, instance, raw=False, **kwargs) -> None:
    watch = _watch(sender)
    if raw or watch is None or not watch.updates or instance.pk is None or context.user.get() == "-":
        return
    fields = [f.attname for f in _fields(instance, watch)]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    watch = _watch(sender)
    if raw or watch is None or context.user.get() == "-":
        return
    after = snapshot(instance, watch)
    if created:
        audit_record(
            instance=instance, action="create", changes={name: [None, value] for name, value in after.items()}
        )
        return
    before = getattr(instance, "_audit_before", None)
    if not watch.updates or before is None:
        return
    changes = {name: [before[name], value] for name, value in after.items() if before.get(name) != value}
    if changes:
        audit_record(instance=instance, action="update", changes=changes)


def _after_delete(sender, instance, **kwargs) -> None:
    watch = _watch(sender)
    if watch is None or context.user.get() == "-":
        return
    before = snapshot(instance, watch)
    audit_record(
        instance=instance, action="delete", changes={name: [value, None] for name, value in before.items()}
    )


def connect() -> None:
    for label in AUDITED:
        model = apps.get_model(label)
        uid = f"audit.{label}"
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}.post_delete")
