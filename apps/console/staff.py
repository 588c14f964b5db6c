"""Staff roles and staff security: the Support, Billing and Admin groups (made after every
`migrate`), and the console's two-factor requirement.

The roles are defined here, not in the admin: `migrate` sets each group's permissions back to
this definition (a permission added by hand to a group is removed; give it to a person instead).
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from apps.accounts.support import PERMISSION as VIEW_AS  # "view as": support access to a workspace

SUPPORT, BILLING, ADMIN = "Support", "Billing", "Admin"
# What Billing may add and change besides viewing everything.
BILLING_MODELS = [("billing", "plan"), ("billing", "subscription"), ("billing", "invoice")]


def _permissions(labels: list[str]) -> list[Permission]:
    """The permissions among `labels` ("app_label.codename") that exist."""
    found = []
    for label in labels:
        app_label, codename = label.split(".", 1)
        found += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return found


def role_permissions() -> dict[str, list[Permission]]:
    """Each staff group's permissions: Support views everything (and may "view as"), Billing
    views everything and adds and changes plans, subscriptions and invoices, Admin has them all."""
    every = list(Permission.objects.select_related("content_type"))
    views = [permission for permission in every if permission.codename.startswith("view_")]
    billing = [
        permission
        for permission in every
        if (permission.content_type.app_label, permission.content_type.model) in BILLING_MODELS
        and permission.codename.split("_", 1)[0] in ("add", "change")
    ]
    return {SUPPORT: views + _permissions([VIEW_AS]), BILLING: views + billing, ADMIN: every}


@transaction.atomic
def staff_groups_ensure() -> dict[str, Group]:
    """Create or update the staff groups (idempotent): their permissions become `role_permissions()`."""
    groups = {}
    for name, permissions in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def staff_groups_after_migrate(sender, **_kwargs) -> None:
    """post_migrate (sent once per app): once the last app's permissions exist, on the public schema."""
    if connection.schema_name != get_public_schema_name():
        return  # a workspace schema being migrated
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    if Group._meta.db_table not in connection.introspection.table_names():
        return
    staff_groups_ensure()


# --- Two-factor authentication ----------------------------------------------------------------


def has_authenticator_app(user) -> bool:
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def session_mfa_verified(request) -> bool:
    """Whether this session's person gave a second factor: at login, when asked to confirm, or
    by activating their authenticator app in it (allauth's authentication records)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def authenticator_app_activated(sender, request=None, user=None, authenticator=None, **_kwargs) -> None:
    """allauth's `authenticator_added`: activating the app took a valid code from it, so this
    session counts as verified (as a login's code would), and the console opens right away. allauth
    sends it once the activation commits, inside the request (with ATOMIC_REQUESTS it would come after
    the session is saved, and the console would ask for a code once more)."""
    if request is None or authenticator is None or authenticator.type != Authenticator.Type.TOTP:
        return
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
