"""A logged-in person creates another workspace from the public host."""

import pytest
from django.db import connection
from django.test import Client

from apps.tenants.models import Membership, Role, Tenant, User
from tests.support.factories.tenants import PASSWORD


@pytest.fixture
def owner_on_public(tenant) -> Client:
    connection.set_schema_to_public()
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email="owner@alpha.test"))
    return client


def test_a_member_creates_a_second_workspace_and_lands_in_it(owner_on_public):
    response = owner_on_public.post("/workspaces/new/", {"name": "Alpha Outlet", "slug": "alpha-outlet"})

    assert response.status_code == 302
    assert response["Location"].startswith("http://alpha-outlet.localhost")
    assert "/handoff/?token=" in response["Location"]
    tenant = Tenant.objects.get(schema_name="alpha-outlet")
    membership = Membership.objects.get(tenant=tenant)
    assert (membership.user.email, membership.role) == ("owner@alpha.test", Role.OWNER)
    assert User.objects.get(email="owner@alpha.test").memberships.count() == 2


@pytest.mark.parametrize(
    ("slug", "error"),
    [("ab", "3 to 30"), ("new", "reserved"), ("alpha", "already taken"), ("Bad_Slug", "lowercase")],
)
def test_bad_addresses_are_form_errors_and_create_nothing(owner_on_public, slug, error):
    before = Tenant.objects.count()

    response = owner_on_public.post("/workspaces/new/", {"name": "Another", "slug": slug})

    assert response.status_code == 400
    assert error in " ".join(response.context["form"].errors["slug"])
    assert Tenant.objects.count() == before


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client(HTTP_HOST="localhost").get("/workspaces/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_workspace_list_offers_to_create_one(tenant):
    connection.set_schema_to_public()
    loner = User.objects.create_user("loner@example.test", PASSWORD)
    client = Client(HTTP_HOST="localhost")
    client.force_login(loner)

    page = client.get("/workspaces/").content.decode()

    assert "/workspaces/new/" in page
