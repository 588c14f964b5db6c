"""The dashboard shell: navigation, sections to come, workspace switcher, general settings, logout, errors."""

import pytest
from django.test import Client

from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member

NAVIGATION = [
    "Home",
    "Products",
    "Designs",
    "Orders",
    "Customers",
    "Campaigns",
    "Marketing plans",
    "Copilot",
    "Settings",
]


def test_home_shows_the_workspace_the_role_and_quick_links(as_role):
    page = as_role(Role.ADMIN).get("/")

    for label in NAVIGATION:
        assert f"<span>{label}</span>" in page.text
    assert "<h1>Alpha</h1>" in page.text
    assert '<strong class="role-label">Admin</strong>' in page.text
    assert 'href="/settings/team/#invite"' in page.text
    assert 'href="/settings/api-keys/new/"' in page.text


def test_home_has_no_management_links_for_viewers(as_role):
    page = as_role(Role.VIEWER).get("/")

    assert '<strong class="role-label">Viewer</strong>' in page.text
    assert 'href="/settings/api-keys/new/"' not in page.text
    assert 'href="/settings/team/"' in page.text


def test_the_switcher_opens_the_users_other_workspaces(tenant, other_tenant):
    user = member(other_tenant, Role.EDITOR, email="owner@alpha.test")
    client = dashboard_client(tenant, user)

    page = client.get("/")
    assert 'href="/workspaces/beta/"' in page.text
    opened = client.get("/workspaces/beta/")

    assert opened.status_code == 302
    assert opened.url.startswith("http://beta.localhost/handoff/?token=")
    beta = Client(HTTP_HOST="beta.localhost")
    assert beta.get(opened.url.removeprefix("http://beta.localhost")).url == "/"
    assert "<h1>Beta</h1>" in beta.get("/").text


def test_the_switcher_does_not_open_workspaces_one_is_not_in(as_role, other_tenant):
    assert as_role(Role.OWNER).get("/workspaces/beta/").status_code == 404


def test_a_used_or_forged_handoff_link_asks_to_log_in(tenant):
    client = Client(HTTP_HOST="alpha.localhost")

    response = client.get("/handoff/?token=forged", follow=True)

    assert response.redirect_chain[0] == ("/accounts/login/", 302)
    assert "That link has expired. Log in to continue." in response.text


def test_general_settings_show_the_address_and_rename(as_role, tenant):
    client = as_role(Role.ADMIN)

    page = client.get("/settings/")
    renamed = client.post("/settings/rename/", {"name": "  Alpha Studio  "}, follow=True)

    assert "http://alpha.localhost/" in page.text
    tenant.refresh_from_db()
    assert tenant.name == "Alpha Studio"
    assert "Workspace renamed." in renamed.text


def test_an_empty_name_is_a_form_error(as_role, tenant):
    response = as_role(Role.OWNER).post("/settings/rename/", {"name": "   "})

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    tenant.refresh_from_db()
    assert tenant.name == "Alpha"


def test_viewers_see_the_general_settings_read_only(as_role):
    page = as_role(Role.VIEWER).get("/settings/")

    assert "Only owners and admins can rename the workspace." in page.text
    assert 'action="/settings/rename/"' not in page.text


def test_logout_returns_to_the_public_site(as_role):
    client = as_role(Role.VIEWER)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "http://localhost/"
    assert client.get("/").url == "/accounts/login/?next=/"


def test_state_changes_need_the_csrf_token(tenant):
    client = Client(HTTP_HOST="alpha.localhost", enforce_csrf_checks=True)
    client.force_login(member(tenant, Role.OWNER))

    response = client.post("/settings/rename/", {"name": "Hijacked"})

    assert response.status_code == 403
    tenant.refresh_from_db()
    assert tenant.name == "Alpha"


def test_an_unknown_page_is_a_proper_404(as_role):
    response = as_role(Role.VIEWER).get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "<span>Products</span>" in response.text  # inside the dashboard layout


def test_an_unknown_workspace_host_is_a_404(db):
    response = Client(HTTP_HOST="nowhere.localhost").get("/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_other_allauth_pages_use_the_luneo_layout(public_client):
    response = public_client.get("/accounts/password/reset/")

    assert response.status_code == 200
    assert "/static/css/luneo.css" in response.text
    assert 'class="card auth-card"' in response.text


@pytest.mark.parametrize(
    ("language", "label", "named"),
    [
        ("en", "Scrollable table", "Scrollable table: {name}"),
        ("fr", "Tableau défilant", "Tableau défilant : {name}"),
        ("zh-hans", "可滚动表格", "可滚动表格：{name}"),
    ],
)
def test_the_table_regions_are_named_in_the_persons_language(as_role, settings, language, label, named):
    client = as_role(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/orders/").text

    assert f'data-label="{label}" data-label-named="{named}"' in page
