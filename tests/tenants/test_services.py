"""Provisioning, people and keys through the real services, on real PostgreSQL."""

import hashlib

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.accounts import services as accounts
from apps.accounts.errors import AlreadyMember, InvitationInvalid
from apps.core.errors import ApplicationError
from apps.tenants import selectors, services
from apps.tenants.errors import InvalidScope, InvalidSlug, LastOwner, RoleNotAllowed, SlugTaken
from apps.tenants.models import ApiKey, Domain, Membership, Role, Tenant, User
from tests.support.workspaces import member


@pytest.fixture
def public(db):
    connection.set_schema_to_public()


def test_provision_creates_schema_domain_and_owner(public):
    tenant = accounts.tenant_provision(
        slug="gamma-shop", name="Gamma Shop", owner_email="Owner@Gamma.test", owner_password="pw-12345678"
    )

    assert schema_exists("gamma-shop")
    assert Domain.objects.get(tenant=tenant, is_primary=True).domain == "gamma-shop.localhost"
    membership = Membership.objects.get(tenant=tenant)
    assert (membership.user.email, membership.role) == ("owner@gamma.test", Role.OWNER)
    assert membership.user.check_password("pw-12345678")


def test_provision_only_creates_tenant_app_tables(public):
    accounts.tenant_provision(slug="delta", name="Delta", owner_email="o@delta.test")

    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'delta'")
        tables = {row[0] for row in cursor.fetchall()}
    assert "django_content_type" in tables
    assert "django_migrations" in tables
    assert not {"djstripe_customer", "tenants_user", "django_session"} & tables


def test_provision_reuses_an_existing_user_as_owner(public, tenant):
    connection.set_schema_to_public()
    existing = User.objects.get(email="owner@alpha.test")

    second = accounts.tenant_provision(slug="alpha-two", name="Alpha 2", owner_email="owner@alpha.test")

    assert Membership.objects.get(tenant=second).user == existing
    assert existing.memberships.count() == 2


@pytest.mark.parametrize(
    "slug",
    ["ab", "a" * 31, "Upper", "under_score", "-edge", "edge-", "double--dash", "with space", "café"]
    + ["public", "www", "api", "admin", "static", "media", "widget", "pg_temp"],
)
def test_provision_refuses_bad_slugs_and_writes_nothing(public, slug):
    before = Tenant.objects.count()

    with pytest.raises(InvalidSlug):
        accounts.tenant_provision(slug=slug, name="X", owner_email="x@x.test")

    assert Tenant.objects.count() == before
    assert not User.objects.filter(email="x@x.test").exists()


def test_provision_refuses_a_taken_slug(public, tenant):
    connection.set_schema_to_public()
    with pytest.raises(SlugTaken):
        accounts.tenant_provision(slug="alpha", name="Again", owner_email="new@x.test")
    assert not User.objects.filter(email="new@x.test").exists()


def test_last_owner_cannot_be_demoted_or_removed(tenant):
    owner = Membership.objects.get(tenant=tenant, user__email="owner@alpha.test")

    with pytest.raises(LastOwner):
        services.membership_change_role(membership=owner, role=Role.ADMIN, actor=owner)
    with pytest.raises(LastOwner):
        services.membership_remove(membership=owner, actor=owner)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_admin_cannot_touch_owners_but_can_manage_editors(tenant):
    admin = Membership.objects.get(user=member(tenant, Role.ADMIN), tenant=tenant)
    editor = Membership.objects.get(user=member(tenant, Role.EDITOR), tenant=tenant)
    owner = Membership.objects.get(tenant=tenant, user__email="owner@alpha.test")

    with pytest.raises(RoleNotAllowed):
        services.membership_change_role(membership=editor, role=Role.OWNER, actor=admin)
    with pytest.raises(RoleNotAllowed):
        services.membership_remove(membership=owner, actor=admin)
    services.membership_change_role(membership=editor, role=Role.VIEWER, actor=admin)
    editor.refresh_from_db()
    assert editor.role == Role.VIEWER


def test_invitation_accept_makes_a_member_once(tenant, mailoutbox, django_capture_on_commit_callbacks):
    owner = Membership.objects.get(tenant=tenant, role=Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = accounts.invitation_create(
            tenant=tenant,
            email="New@Person.test",
            role=Role.EDITOR,
            inviter_role=owner.role,
            invited_by=owner.user,
        )
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token in mailoutbox[0].body
    assert mailoutbox[0].to == ["new@person.test"]
    person = User.objects.create_user("new@person.test", "pw-12345678")

    membership = accounts.invitation_accept(tenant=tenant, token=token, user=person)

    assert membership.role == Role.EDITOR
    with pytest.raises(InvitationInvalid):
        accounts.invitation_accept(tenant=tenant, token=token, user=person)
    with pytest.raises(AlreadyMember):
        accounts.invitation_create(
            tenant=tenant,
            email="new@person.test",
            role=Role.VIEWER,
            inviter_role=owner.role,
            invited_by=owner.user,
        )


def test_invitation_refuses_expired_token_and_other_email(tenant):
    owner = Membership.objects.get(tenant=tenant, role=Role.OWNER)
    invitation, token = accounts.invitation_create(
        tenant=tenant,
        email="late@person.test",
        role=Role.VIEWER,
        inviter_role=owner.role,
        invited_by=owner.user,
    )
    stranger = User.objects.create_user("stranger@person.test", "pw-12345678")

    with pytest.raises(InvitationInvalid, match="late@person.test"):
        accounts.invitation_accept(tenant=tenant, token=token, user=stranger)
    invitation.expires_at = timezone.now()
    invitation.save()
    late = User.objects.create_user("late@person.test", "pw-12345678")
    with pytest.raises(InvitationInvalid):
        accounts.invitation_accept(tenant=tenant, token=token, user=late)
    assert not Membership.objects.filter(tenant=tenant, user=late).exists()


def test_invitation_token_of_one_workspace_is_useless_in_another(tenant, other_tenant):
    owner = Membership.objects.get(tenant=tenant, role=Role.OWNER)
    _invitation, token = accounts.invitation_create(
        tenant=tenant,
        email="cross@person.test",
        role=Role.VIEWER,
        inviter_role=owner.role,
        invited_by=owner.user,
    )
    person = User.objects.create_user("cross@person.test", "pw-12345678")

    with pytest.raises(InvitationInvalid):
        accounts.invitation_accept(tenant=other_tenant, token=token, user=person)


def test_api_key_is_stored_hashed_and_authenticates(tenant):
    api_key, raw = services.api_key_create(tenant=tenant, name="CI", scopes=["account:read"])

    assert raw.startswith("sk_live_")
    assert len(raw) > 40
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert raw not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert selectors.api_key_authenticate(raw) == api_key
    assert selectors.api_key_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert selectors.api_key_authenticate("sk_live_short") is None


def test_api_key_refuses_unknown_scopes(tenant):
    with pytest.raises(InvalidScope) as error:
        services.api_key_create(tenant=tenant, name="x", scopes=["account:read", "root"])
    assert error.value.details["unknown"] == ["root"]
    assert not ApiKey.objects.filter(tenant=tenant, name="x").exists()


def test_suspend_and_reactivate(tenant):
    services.tenant_suspend(tenant=tenant)
    try:
        assert Tenant.objects.get(pk=tenant.pk).status == Tenant.Status.SUSPENDED
    finally:
        services.tenant_reactivate(tenant=tenant)
    assert Tenant.objects.get(pk=tenant.pk).is_active


def test_every_error_has_a_code_and_a_4xx_status():
    statuses = {
        InvalidSlug: 400,
        SlugTaken: 409,
        InvalidScope: 400,
        InvitationInvalid: 404,
        AlreadyMember: 409,
        LastOwner: 409,
        RoleNotAllowed: 403,
    }
    for error, status in statuses.items():
        assert issubclass(error, ApplicationError)
        assert error.status == status
        assert error.code != ApplicationError.code


def test_a_used_key_stops_working_as_soon_as_it_is_revoked_or_its_workspace_suspended(tenant):
    # Given a key that was just used (so this process remembers it)
    api_key, raw = services.api_key_create(tenant=tenant, name="cached")
    assert selectors.api_key_authenticate(raw).is_active

    # When the workspace is suspended, then reactivated, then the key revoked
    services.tenant_suspend(tenant=tenant)
    try:
        suspended = selectors.api_key_authenticate(raw).tenant.is_active
    finally:
        services.tenant_reactivate(tenant=tenant)
    services.api_key_revoke(api_key=api_key)

    # Then each change is seen at once
    assert suspended is False
    assert selectors.api_key_authenticate(raw).is_active is False
