"""Workspaces built through the real services, and the people in them.

Two workspaces, `alpha` and `beta`, exist for the whole session (schemas are costly to make,
rows are cheap): `ensure_tenant` re-creates a row that a transactional test truncated.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django_redis import get_redis_connection
from django_tenants.utils import get_public_schema_name

from apps.accounts.services import tenant_provision
from apps.billing.entitlements import entitlements_forget
from apps.billing.plans import plans_ensure
from apps.storefront.selectors import widget_caches_forget
from apps.tenants.models import Role, Tenant, User
from apps.tenants.services import tenant_reactivate, tenant_suspend
from tests.support.factories.tenants import PASSWORD, MembershipFactory, UserFactory


def ensure_tenant(slug: str) -> Tenant:
    """The workspace `slug` with an owner `owner@<slug>.test`, created if missing."""
    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=slug).first()
    if tenant is None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')
        tenant = tenant_provision(
            slug=slug, name=slug.title(), owner_email=f"owner@{slug}.test", owner_password=PASSWORD
        )
    return tenant


@pytest.fixture(scope="session")
def _session_tenants(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for slug in ("alpha", "beta"):
            ensure_tenant(slug)


@pytest.fixture
def tenant(_session_tenants, db) -> Tenant:
    """Workspace `alpha`, with its schema active for the test."""
    tenant = ensure_tenant("alpha")
    connection.set_tenant(tenant)
    yield tenant
    connection.set_schema_to_public()


@pytest.fixture
def other_tenant(_session_tenants, db) -> Tenant:
    """Workspace `beta`: what `tenant`'s people and keys must never see."""
    return ensure_tenant("beta")


@pytest.fixture
def suspended_tenant(tenant):
    """Workspace alpha, suspended for this test only (other tests share it: always reactivated)."""
    tenant_suspend(tenant=tenant)
    try:
        yield tenant
    finally:
        tenant_reactivate(tenant=tenant)


DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _migration_rows(request):
    """Put back the rows that migrations create before a database test: the plans (every workspace
    needs them) and the public schema's tenant (every request to the public host resolves it).

    A transactional test empties every table when it ends; this runs before the next test's own
    transaction, so the rows are committed for good.
    """
    if not (DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        connection.set_schema_to_public()
        plans_ensure()
        Tenant.objects.get_or_create(schema_name=get_public_schema_name(), defaults={"name": "Luneo"})


def cache_clear() -> None:
    """This run's cache keys deleted (not FLUSHDB: another test run may share the Redis database)."""
    client = get_redis_connection("default")
    keys = list(client.scan_iter(f"*{settings.CACHES['default']['KEY_PREFIX']}*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


@pytest.fixture(autouse=True)
def _clean_cache():
    yield
    cache_clear()
    widget_caches_forget()
    entitlements_forget()


@pytest.fixture(autouse=True)
def _default_language():
    """A test that answers in French or Chinese leaves the thread's language as it found it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def member(tenant: Tenant, role: str = Role.OWNER, email: str | None = None) -> User:
    user = UserFactory(email=email or f"{role}@{tenant.schema_name}.test")
    membership = MembershipFactory(user=user, tenant=tenant, role=role)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return user


def owner(tenant: Tenant) -> User:
    """The owner `ensure_tenant` made."""
    return User.objects.get(email=f"owner@{tenant.schema_name}.test")


def host(tenant: Tenant) -> str:
    return f"{tenant.schema_name}.localhost"
