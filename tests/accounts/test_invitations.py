"""Accepting an invitation on the workspace host: new people, existing accounts, wrong ones, dead links."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Invitation
from apps.accounts.services import invitation_create
from apps.tenants.models import Membership, Role, User
from tests.support.clients import dashboard_client
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import member


@pytest.fixture
def invite(tenant, django_capture_on_commit_callbacks, mailoutbox):
    """`invite(email, role)` → the invitation link's path, taken from the email sent."""

    def send(email: str, role: str = Role.EDITOR) -> str:
        owner = Membership.objects.get(tenant=tenant, user__email="owner@alpha.test")
        with django_capture_on_commit_callbacks(execute=True):
            invitation_create(
                tenant=tenant, email=email, role=role, inviter_role=owner.role, invited_by=owner.user
            )
        link = re.search(r"http://alpha\.localhost(/invitations/\S+/)", mailoutbox[-1].body)
        return link.group(1)

    return send


def anonymous() -> Client:
    return Client(HTTP_HOST="alpha.localhost")


def test_a_new_person_sets_a_password_and_joins(tenant, invite, mailoutbox):
    path = invite("newcomer@alpha.test", Role.EDITOR)
    assert "owner@alpha.test invites you" in mailoutbox[-1].body
    client = anonymous()

    page = client.get(path)
    assert page.status_code == 200
    assert "Choose a password to create your account and join." in page.text
    response = client.post(path, {"password1": "a-Strong-pass-42", "password2": "a-Strong-pass-42"})

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(email="newcomer@alpha.test")
    assert user.check_password("a-Strong-pass-42")
    assert Membership.objects.get(user=user, tenant=tenant).role == Role.EDITOR
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome to Alpha. You joined as Editor." in home.text
    assert client.get(path).status_code == 404  # used


def test_a_weak_or_mismatched_password_is_a_form_error(tenant, invite):
    path = invite("newcomer@alpha.test")
    client = anonymous()

    weak = client.post(path, {"password1": "123", "password2": "123"})
    mismatch = client.post(path, {"password1": "a-Strong-pass-42", "password2": "a-Strong-pass-43"})

    assert weak.status_code == 400
    assert "password1" in weak.context["form"].errors
    assert mismatch.context["form"].errors["password2"] == ["The two passwords do not match."]
    assert not User.objects.filter(email="newcomer@alpha.test").exists()


def test_someone_with_an_account_logs_in_first(tenant, other_tenant, invite):
    path = invite("owner@beta.test", Role.VIEWER)
    client = anonymous()

    page = client.get(path)
    assert "Log in to join" in page.text
    assert f'href="/accounts/login/?next={path.replace("/", "%2F")}"' in page.text
    refused = client.post(path, {"password1": "a-Strong-pass-42", "password2": "a-Strong-pass-42"})
    assert not Membership.objects.filter(user__email="owner@beta.test", tenant=tenant).exists()
    assert refused.status_code == 400

    login = client.post(f"/accounts/login/?next={path}", {"login": "owner@beta.test", "password": PASSWORD})
    assert login.url == path
    joined = client.post(path)

    assert joined.url == "/"
    assert Membership.objects.get(user__email="owner@beta.test", tenant=tenant).role == Role.VIEWER


def test_a_user_logged_in_with_another_email_gets_a_clear_error(tenant, invite):
    path = invite("someone@alpha.test")
    client = dashboard_client(tenant, member(tenant, Role.VIEWER))

    page = client.get(path)
    post = client.post(path)

    assert page.status_code == 403
    assert "This invitation was sent to someone@alpha.test, but you are logged in as viewer@alpha.test." in (
        page.text
    )
    assert post.status_code == 403
    assert Invitation.objects.get(email="someone@alpha.test").accepted_at is None


def test_an_expired_invitation_shows_a_clear_page(tenant, invite):
    path = invite("late@alpha.test")
    Invitation.objects.filter(email="late@alpha.test").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = anonymous().get(path)

    assert response.status_code == 404
    assert "This invitation is no longer valid" in response.text


def test_a_revoked_or_unknown_token_shows_the_same_page(tenant, invite):
    path = invite("gone@alpha.test")
    Invitation.objects.filter(email="gone@alpha.test").update(revoked_at=timezone.now())

    assert anonymous().get(path).status_code == 404
    assert anonymous().post("/invitations/not-a-token/").status_code == 404


def test_an_invitation_only_works_on_its_own_workspace(tenant, other_tenant, invite):
    path = invite("newcomer@alpha.test")

    response = Client(HTTP_HOST="beta.localhost").get(path)

    assert response.status_code == 404
