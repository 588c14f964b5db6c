import pytest
from django.db import connection
from django.test import Client

from apps.tenants.models import Membership, Role, Tenant, User
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import member

SIGNUP = "/accounts/signup/"


def signup_data(**overrides) -> dict:
    data = {
        "email": "founder@acme.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "workspace_name": "Acme Mugs",
        "workspace_slug": "acme-mugs",
    }
    return data | overrides


def test_landing_says_what_luneo_is_with_sign_up_and_log_in(public_client):
    response = public_client.get("/")

    assert response.status_code == 200
    assert "Let your customers design their product with AI." in response.text
    assert 'href="/accounts/signup/"' in response.text
    assert 'href="/accounts/login/"' in response.text


def test_signup_lands_on_the_new_workspace_logged_in_as_owner(public_client):
    # when the visitor signs up on the public host
    response = public_client.post(SIGNUP, signup_data())

    # then they are sent to a one-time login link on the new workspace's host
    assert response.status_code == 302
    assert response.url.startswith("http://acme-mugs.localhost/handoff/?token=")
    # which logs them in there and opens the dashboard
    workspace = Client(HTTP_HOST="acme-mugs.localhost")
    response = workspace.get(response.url.removeprefix("http://acme-mugs.localhost"))
    assert response.status_code == 302
    assert response.url == "/"
    response = workspace.get("/")
    assert response.status_code == 200
    assert "Acme Mugs" in response.text
    assert "Owner" in response.text
    connection.set_schema_to_public()
    membership = Membership.objects.get(user__email="founder@acme.test", tenant__schema_name="acme-mugs")
    assert membership.role == Role.OWNER


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("ab", "Use 3 to 30 characters."),
        ("a" * 31, "Ensure this value has at most 30 characters"),
        ("Acme_Mugs!", "Use lowercase letters, digits and single hyphens"),
        ("-acme", "Use lowercase letters, digits and single hyphens"),
        ("admin", "is reserved"),
        ("www", "is reserved"),
        ("alpha", "This workspace address is already taken."),
    ],
)
def test_bad_slugs_are_form_errors_and_create_nothing(public_client, tenant, slug, error):
    connection.set_schema_to_public()
    tenants_before = Tenant.objects.count()

    response = public_client.post(SIGNUP, signup_data(workspace_slug=slug))

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors["workspace_slug"])
    assert "errorlist" in response.text
    assert not User.objects.filter(email="founder@acme.test").exists()
    assert Tenant.objects.count() == tenants_before


def test_signup_is_only_on_the_public_host(tenant):
    response = Client(HTTP_HOST="alpha.localhost").post(SIGNUP, signup_data())

    assert response.status_code == 200
    assert "We are sorry, but the sign up is currently closed." in response.text
    assert not User.objects.filter(email="founder@acme.test").exists()


def test_social_buttons_appear_only_when_configured(public_client, settings):
    assert "Continue with GitHub" not in public_client.get(SIGNUP).text

    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"APPS": [{"client_id": "id", "secret": "s"}]}}

    response = public_client.get(SIGNUP)
    assert "Continue with GitHub" in response.text
    assert "Continue with Google" not in response.text


def test_login_on_the_public_host_opens_the_only_workspace(public_client, tenant):
    response = public_client.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/workspaces/"
    response = public_client.get("/workspaces/")
    assert response.status_code == 302
    assert response.url.startswith("http://alpha.localhost/handoff/?token=")


def test_login_on_the_public_host_lists_several_workspaces(public_client, tenant, other_tenant):
    member(other_tenant, Role.VIEWER, email="owner@alpha.test")
    public_client.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})

    response = public_client.get("/workspaces/")

    assert response.status_code == 200
    assert 'href="/workspaces/alpha/"' in response.text
    assert 'href="/workspaces/beta/"' in response.text
    opened = public_client.get("/workspaces/beta/")
    assert opened.url.startswith("http://beta.localhost/handoff/?token=")
    assert public_client.get("/workspaces/gamma/").status_code == 404


def test_signing_up_with_a_registered_email_is_a_form_error(public_client, tenant):
    connection.set_schema_to_public()

    response = public_client.post(SIGNUP, signup_data(email="owner@alpha.test"))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Tenant.objects.filter(schema_name="acme-mugs").exists()


def test_someone_without_a_workspace_is_told_how_to_get_one(public_client):
    User.objects.create_user("loner@example.test", PASSWORD)
    public_client.post("/accounts/login/", {"login": "loner@example.test", "password": PASSWORD})

    response = public_client.get("/workspaces/")

    assert response.status_code == 200
    assert "You do not belong to any workspace yet" in response.text
