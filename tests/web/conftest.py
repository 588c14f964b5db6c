"""Fixtures for the web front: browser-like clients on the public host and on workspace hosts."""

import pytest
from django.test import Client

from apps.tenants.hosts import AllowedHosts, allowed_hosts_forget
from apps.tenants.models import Role
from tests.conftest import dashboard_client, member

PUBLIC_HOST = "localhost"


@pytest.fixture
def public_client(db) -> Client:
    """An anonymous visitor on the public site."""
    return Client(HTTP_HOST=PUBLIC_HOST)


@pytest.fixture
def as_role(tenant):
    """`as_role(role)`: a client logged into `tenant`'s dashboard as a member with that role."""

    def make(role: str = Role.OWNER) -> Client:
        return dashboard_client(tenant, member(tenant, role))

    return make


@pytest.fixture
def _custom_hosts(settings):
    """The test runner replaced ALLOWED_HOSTS by a plain list: give back the settings' own kind,
    which admits verified custom domains."""
    settings.ALLOWED_HOSTS = AllowedHosts(settings.ALLOWED_HOSTS)
    allowed_hosts_forget()
