"""Who may open what: role × page, non-members, anonymous visitors, suspended workspaces."""

import pytest
from django.test import Client

from apps.tenants.models import Role
from apps.tenants.services import tenant_suspend
from tests.support.clients import dashboard_client
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import member

VIEWER, EDITOR, ADMIN, OWNER = Role.VIEWER, Role.EDITOR, Role.ADMIN, Role.OWNER
EVERYONE = {VIEWER: 200, EDITOR: 200, ADMIN: 200, OWNER: 200}
ADMINS = {VIEWER: 403, EDITOR: 403, ADMIN: 200, OWNER: 200}

PAGES = {
    "/": EVERYONE,
    "/products/": EVERYONE,
    "/designs/": EVERYONE,
    "/orders/": EVERYONE,
    "/customers/": EVERYONE,
    "/campaigns/": EVERYONE,
    "/copilot/": EVERYONE,
    "/settings/": EVERYONE,
    "/settings/team/": EVERYONE,
    "/settings/api-keys/": ADMINS,
    "/settings/api-keys/new/": ADMINS,
}


@pytest.mark.parametrize("role", [VIEWER, EDITOR, ADMIN, OWNER])
@pytest.mark.parametrize("path", list(PAGES))
def test_role_page_matrix(as_role, role, path):
    response = as_role(role).get(path)

    assert response.status_code == PAGES[path][role]
    if response.status_code == 403:
        assert "You cannot open this page" in response.text


# (path, data) of state changes that need the admin role.
ADMIN_ACTIONS = [
    ("/settings/team/invite/", {"email": "new@alpha.test", "role": Role.VIEWER}),
    ("/settings/rename/", {"name": "Alpha Renamed"}),
    ("/settings/api-keys/new/", {"name": "Shop", "mode": "live", "scopes": ["account:read"]}),
]


@pytest.mark.parametrize("role", [VIEWER, EDITOR])
@pytest.mark.parametrize(("path", "data"), ADMIN_ACTIONS)
def test_viewers_and_editors_cannot_change_settings(as_role, tenant, role, path, data):
    response = as_role(role).post(path, data)

    assert response.status_code == 403
    tenant.refresh_from_db()
    assert tenant.name == "Alpha"
    assert not tenant.invitations.exists()
    assert not tenant.api_keys.exists()


@pytest.mark.parametrize("role", [VIEWER, EDITOR])
def test_team_page_is_read_only_below_admin(as_role, role):
    response = as_role(role).get("/settings/team/")

    assert "owner@alpha.test" in response.text
    assert "Send invitation" not in response.text
    assert 'name="role"' not in response.text
    assert "Remove" not in response.text


def test_admin_sees_the_invite_form_without_the_owner_role(as_role):
    response = as_role(ADMIN).get("/settings/team/")

    assert "Send invitation" in response.text
    assert response.context["invite_form"].fields["role"].choices == [
        (ADMIN, "Admin"),
        (EDITOR, "Editor"),
        (VIEWER, "Viewer"),
    ]


def test_get_on_a_state_change_is_refused(as_role):
    assert as_role(OWNER).get("/settings/team/invite/").status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(tenant):
    response = Client(HTTP_HOST="alpha.localhost").get("/settings/team/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/settings/team/"


def test_a_member_of_another_workspace_is_refused(tenant, other_tenant):
    # given the owner of beta, logged into alpha's host
    stranger = member(other_tenant, OWNER)
    client = dashboard_client(tenant, stranger)

    for path in ("/", "/settings/team/", "/settings/api-keys/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "You are not a member of Alpha" in response.text
        assert "owner@alpha.test" not in response.text


def test_login_on_another_workspace_host_refuses_the_non_member(tenant, other_tenant):
    member(other_tenant, OWNER)
    client = Client(HTTP_HOST="alpha.localhost")

    response = client.post(
        "/accounts/login/", {"login": "owner@beta.test", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 403
    assert "You are not a member of Alpha" in response.text


def test_a_suspended_workspace_shows_a_clear_page(as_role, tenant):
    client = as_role(OWNER)
    tenant_suspend(tenant=tenant)

    response = client.get("/")

    assert response.status_code == 403
    assert "Alpha is suspended" in response.text
