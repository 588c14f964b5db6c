"""Staff security: the staff groups, two-factor authentication (required on the console, offered
to everyone) and the console's shorter sessions."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client

from apps.billing.admin import PlanForm
from apps.billing.models import Plan
from apps.billing.services import plan_get
from apps.console.staff import (
    ADMIN,
    BILLING,
    SUPPORT,
    VIEW_AS,
    staff_groups_after_migrate,
    staff_groups_ensure,
)
from apps.tenants.models import Tenant, User
from tests.support.clients import (
    PUBLIC_HOST,
    admin_url,
    dashboard_client,
    operator_client,
    staff_login,
    totp_activate,
    totp_code,
)
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import host, member

ACTIVATE = "/accounts/2fa/totp/activate/"


def _staff(email: str = "staff@luneo.test", group: str | None = None) -> User:
    user = User.objects.create_user(email, PASSWORD, is_staff=True)
    if group:
        user.groups.add(staff_groups_ensure()[group])
    return user


def _log_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- staff groups -----------------------------------------------------------------------------


def test_migrate_makes_the_staff_groups_once_every_permission_exists(db):
    Group.objects.filter(name__in=[SUPPORT, BILLING, ADMIN]).delete()
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]

    staff_groups_after_migrate(sender=with_models[0])
    assert not Group.objects.filter(name=SUPPORT).exists()  # not before the last app's post_migrate
    staff_groups_after_migrate(sender=with_models[-1])
    staff_groups_ensure()  # idempotent

    groups = {group.name: group for group in Group.objects.filter(name__in=[SUPPORT, BILLING, ADMIN])}
    assert set(groups) == {SUPPORT, BILLING, ADMIN}
    support = set(groups[SUPPORT].permissions.values_list("content_type__app_label", "codename"))
    billing = set(groups[BILLING].permissions.values_list("content_type__app_label", "codename"))
    assert {("tenants", "view_tenant"), ("billing", "view_plan"), ("audit", "view_auditentry")} <= support
    assert not any(codename.split("_")[0] in ("add", "change", "delete") for _app, codename in support)
    assert {
        ("billing", "change_plan"),
        ("billing", "add_subscription"),
        ("billing", "change_invoice"),
    } <= billing
    assert ("tenants", "change_tenant") not in billing
    assert ("billing", "delete_plan") not in billing
    assert groups[ADMIN].permissions.count() == Permission.objects.count()
    assert groups[SUPPORT].permissions.count() == len(support)


def test_support_gets_view_as_once_its_permission_exists(db):
    app_label, codename = VIEW_AS.split(".")
    content_type = Permission.objects.filter(content_type__app_label=app_label).first().content_type
    Permission.objects.get_or_create(
        codename=codename, content_type=content_type, defaults={"name": "View as"}
    )

    support = staff_groups_ensure()[SUPPORT]

    assert support.permissions.filter(codename=codename, content_type__app_label=app_label).exists()


def test_each_staff_group_opens_what_it_should_and_no_more(tenant):
    connection.set_schema_to_public()
    support = staff_login(Client(HTTP_HOST=PUBLIC_HOST), _staff("support@luneo.test", SUPPORT))
    billing = staff_login(Client(HTTP_HOST=PUBLIC_HOST), _staff("billing@luneo.test", BILLING))
    admin = staff_login(Client(HTTP_HOST=PUBLIC_HOST), _staff("admin@luneo.test", ADMIN))
    plan = plan_get(Plan.Code.STARTER)
    form = {
        name: "" if value is None else value
        for name, value in model_to_dict(plan, PlanForm.Meta.fields).items()
    }
    changed = {**form, "ai_tokens_per_month": "4321"}

    # Support views workspaces and plans, and changes nothing
    assert support.get(admin_url(Tenant, "changelist")).status_code == 200
    assert support.get(admin_url(Tenant, "change", tenant.pk)).status_code == 200
    assert support.get(admin_url(Plan, "change", plan.pk)).status_code == 200
    assert support.post(admin_url(Plan, "change", plan.pk), changed).status_code == 403
    assert support.get(admin_url(Plan, "add")).status_code == 403
    assert support.get(admin_url(User, "add")).status_code == 403
    # Billing changes plans, and not people
    saved = billing.post(admin_url(Plan, "change", plan.pk), changed)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert billing.get(admin_url(Tenant, "change", tenant.pk)).status_code == 200
    assert billing.get(admin_url(User, "add")).status_code == 403
    # Admin does everything, without being a superuser
    assert admin.get(admin_url(User, "add")).status_code == 200
    assert admin.get(admin_url(Plan, "add")).status_code == 200
    plan.refresh_from_db()
    assert plan.ai_tokens_per_month == 4321


def test_the_people_list_shows_each_staff_members_roles(db):
    _staff("support@luneo.test", SUPPORT)
    page = operator_client().get(
        admin_url(User, "changelist"), {"groups__id__exact": Group.objects.get(name=SUPPORT).pk}
    )

    assert page.status_code == 200
    assert "support@luneo.test" in page.text
    assert "Staff roles" in page.text
    assert ">Support<" in page.text


# --- two-factor authentication: required on the console ----------------------------------------


def test_staff_with_an_app_confirm_a_session_that_did_not_give_a_code(db):
    user = _staff(group=ADMIN)
    secret = totp_activate(user)
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(user)  # e.g. a session older than the requirement

    asked = client.get("/admin/tenants/tenant/?status=active")
    assert (
        asked["Location"]
        == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Ftenants%2Ftenant%2F%3Fstatus%3Dactive"
    )
    assert client.post(asked["Location"], {"code": "12345"}).status_code == 200
    confirmed = client.post(asked["Location"], {"code": totp_code(secret)})
    assert confirmed["Location"] == "/admin/tenants/tenant/?status=active"
    assert client.get(confirmed["Location"]).status_code == 200


def test_the_admins_own_login_form_leads_to_allauths(db):
    response = Client(HTTP_HOST=PUBLIC_HOST).get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_login_asks_for_the_code_and_refuses_a_wrong_one(db):
    user = _staff(group=SUPPORT)
    secret = totp_activate(user)
    client = Client(HTTP_HOST=PUBLIC_HOST)

    asked = _log_in(client, "staff@luneo.test")
    assert asked["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # not logged in yet
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if totp_code(secret) != "000000" else "1"}
    )
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.text
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_logs_in_once(db):
    user = _staff(group=SUPPORT)
    totp_activate(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    first = Client(HTTP_HOST=PUBLIC_HOST)
    _log_in(first, "staff@luneo.test")
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert first.get("/admin/").status_code == 200

    again = Client(HTTP_HOST=PUBLIC_HOST)
    _log_in(again, "staff@luneo.test")
    refused = again.post("/accounts/2fa/authenticate/", {"code": code})
    assert refused.status_code == 200
    assert "Incorrect code." in refused.text


def test_staff_cannot_turn_their_authenticator_app_off(db):
    client = operator_client()

    page = client.get("/accounts/2fa/totp/deactivate/")
    client.post("/accounts/2fa/totp/deactivate/")

    assert "You cannot deactivate two-factor authentication." in page.text
    assert Authenticator.objects.filter(user__email="ops@luneo.test", type=Authenticator.Type.TOTP).exists()


def test_the_authenticator_secret_is_encrypted_at_rest(db):
    user = _staff()
    secret = totp_activate(user)

    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]

    assert secret not in stored
    assert Authenticator.objects.get(user=user).wrap().validate_code(totp_code(secret))


# --- two-factor authentication: available to brand users ---------------------------------------


def test_a_brand_user_turns_on_two_factor_from_the_dashboard_and_is_then_asked_for_it(tenant):
    person = member(tenant, email="maker@alpha.test")
    client = dashboard_client(tenant, person)

    settings_page = client.get("/settings/")
    assert "Two-factor authentication off" in settings_page.text
    assert 'href="/accounts/2fa/"' in settings_page.text
    assert client.get("/accounts/2fa/").status_code == 200
    confirm = client.get(ACTIVATE)
    client.post(confirm["Location"], {"password": PASSWORD})
    secret = client.get(ACTIVATE).context["form"].secret
    assert client.post(ACTIVATE, {"code": totp_code(secret)}).status_code == 302
    assert "Two-factor authentication on" in client.get("/settings/").text
    index = client.get("/accounts/2fa/")
    assert "Back to settings" in index.text
    assert "There are 10 out of 10 recovery codes available." in index.text

    # The next login on the workspace's host asks for a code
    browser = Client(HTTP_HOST=host(tenant))
    assert _log_in(browser, "maker@alpha.test")["Location"] == "/accounts/2fa/authenticate/"
    assert (
        browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret, offset=3)}).status_code == 200
    )
    assert browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    assert browser.get("/settings/").status_code == 200


# --- sessions ----------------------------------------------------------------------------------


def test_a_console_session_is_shorter_than_a_dashboard_one(tenant):
    connection.set_schema_to_public()
    operator = operator_client()
    dashboard = dashboard_client(tenant, member(tenant))

    console_page = operator.get("/admin/")
    dashboard_page = dashboard.get("/")

    assert console_page.status_code == 200
    assert dashboard_page.status_code == 200
    assert settings.ADMIN_SESSION_SECONDS < settings.SESSION_COOKIE_AGE
    assert operator.session.get_expiry_age() == settings.ADMIN_SESSION_SECONDS
    assert console_page.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.ADMIN_SESSION_SECONDS
    assert dashboard.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize("path", ["/admin/", "/admin/designs/moderation/"])
def test_people_who_are_not_staff_get_no_console(db, path):
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(User.objects.create_user("someone@example.test", PASSWORD))

    response = client.get(path)

    assert response.status_code in (302, 403)
    assert ACTIVATE not in response.get("Location", "")


# Last: a transactional test empties the tables (the next test re-creates its workspace).


def test_staff_without_an_authenticator_app_set_one_up_before_the_console_opens(transactional_db):
    # transactional: allauth announces the activation once committed, inside the request, as in production
    _staff(group=ADMIN)
    client = Client(HTTP_HOST=PUBLIC_HOST)
    assert _log_in(client, "staff@luneo.test").status_code == 302

    # Every console page leads to the authenticator app's set-up, with a message
    refused = client.get("/admin/", follow=True)
    assert refused.redirect_chain[0] == (ACTIVATE, 302)
    assert any("requires two-factor authentication" in text for text in _messages(refused))
    assert client.get("/admin/tenants/tenant/")["Location"] == ACTIVATE
    # allauth asks for the password again first
    confirm = client.get(ACTIVATE)
    assert confirm["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(confirm["Location"], {"password": PASSWORD})["Location"] == ACTIVATE
    # then shows the QR code and the secret, and takes a code from the app
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text
    secret = page.context["form"].secret
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert "Incorrect code." in wrong.text
    activated = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert activated["Location"] == "/accounts/2fa/recovery-codes/"
    codes = client.get(activated["Location"])
    assert len(codes.context["unused_codes"]) == 10
    assert 'href="/admin/"' in codes.text  # "Go to the operators' console"

    # and the console opens
    assert client.get("/admin/").status_code == 200
