"""Settings → Team: invite, change roles, remove, revoke invitations; refusals are messages, never 500."""

from apps.accounts.models import Invitation
from apps.tenants.models import Membership, Role
from tests.support.workspaces import member

HTMX = {"HTTP_HX_REQUEST": "true"}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_admin_invites_by_email_with_a_role(as_role, tenant, mailoutbox, django_capture_on_commit_callbacks):
    client = as_role(Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settings/team/invite/", {"email": "New@Alpha.test", "role": Role.EDITOR})

    assert response.status_code == 302
    invitation = Invitation.objects.get(tenant=tenant, email="new@alpha.test")
    assert invitation.role == Role.EDITOR
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@alpha.test"]
    assert "http://alpha.localhost/invitations/" in mailoutbox[0].body
    page = client.get("/settings/team/")
    assert "Invitation sent to new@alpha.test." in page.text
    assert "new@alpha.test" in page.text


def test_inviting_a_member_is_a_form_error(as_role, tenant):
    response = as_role(Role.OWNER).post(
        "/settings/team/invite/", {"email": "owner@alpha.test", "role": "viewer"}
    )

    assert response.status_code == 409
    assert response.context["invite_form"].errors["email"] == [
        "This person is already a member of the workspace."
    ]
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_an_admin_cannot_invite_an_owner(as_role, tenant):
    response = as_role(Role.ADMIN).post(
        "/settings/team/invite/", {"email": "boss@alpha.test", "role": "owner"}
    )

    assert response.status_code == 400
    assert "role" in response.context["invite_form"].errors
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_an_invalid_email_is_a_form_error(as_role, tenant):
    response = as_role(Role.OWNER).post("/settings/team/invite/", {"email": "not-an-email", "role": "viewer"})

    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors


def test_owner_changes_a_role_with_a_plain_form(as_role, tenant):
    editor = Membership.objects.get(user=member(tenant, Role.EDITOR), tenant=tenant)
    client = as_role(Role.OWNER)

    response = client.post(f"/settings/team/members/{editor.pk}/role/", {"role": Role.ADMIN}, follow=True)

    editor.refresh_from_db()
    assert editor.role == Role.ADMIN
    assert "editor@alpha.test is now Admin." in messages_of(response)


def test_role_change_with_htmx_returns_the_row_and_the_message(as_role, tenant):
    viewer = Membership.objects.get(user=member(tenant, Role.VIEWER), tenant=tenant)

    response = as_role(Role.ADMIN).post(
        f"/settings/team/members/{viewer.pk}/role/", {"role": "editor"}, **HTMX
    )

    assert response.status_code == 200
    assert f'<tr id="member-{viewer.pk}">' in response.text
    assert '<option value="editor" selected>' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert "viewer@alpha.test is now Editor." in response.text


def test_admin_cannot_touch_an_owner(as_role, tenant):
    owner = Membership.objects.get(user__email="owner@alpha.test", tenant=tenant)
    client = as_role(Role.ADMIN)

    demoted = client.post(f"/settings/team/members/{owner.pk}/role/", {"role": "viewer"}, follow=True)
    removed = client.post(f"/settings/team/members/{owner.pk}/remove/", follow=True)

    assert "Only an owner can grant, change or remove the owner role." in messages_of(demoted)
    assert "Only an owner can grant, change or remove the owner role." in messages_of(removed)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_last_owner_cannot_be_demoted(as_role, tenant):
    owner = Membership.objects.get(user__email="owner@alpha.test", tenant=tenant)
    second_owner = as_role(Role.OWNER)  # the same owner, from another session

    response = second_owner.post(f"/settings/team/members/{owner.pk}/role/", {"role": "admin"}, **HTMX)

    assert response.status_code == 200
    assert "A workspace needs at least one owner." in response.text
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_an_unknown_role_is_refused(as_role, tenant):
    viewer = Membership.objects.get(user=member(tenant, Role.VIEWER), tenant=tenant)

    response = as_role(Role.OWNER).post(
        f"/settings/team/members/{viewer.pk}/role/", {"role": "god"}, follow=True
    )

    assert "Choose a valid role." in messages_of(response)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_admin_removes_a_member(as_role, tenant):
    editor = Membership.objects.get(user=member(tenant, Role.EDITOR), tenant=tenant)

    response = as_role(Role.ADMIN).post(f"/settings/team/members/{editor.pk}/remove/", **HTMX)

    assert response.status_code == 200
    assert "<tr" not in response.text
    assert "editor@alpha.test was removed." in response.text
    assert not Membership.objects.filter(pk=editor.pk).exists()


def test_members_of_another_workspace_are_out_of_reach(as_role, other_tenant):
    stranger = Membership.objects.get(user__email="owner@beta.test", tenant=other_tenant)
    client = as_role(Role.OWNER)

    assert client.post(f"/settings/team/members/{stranger.pk}/role/", {"role": "viewer"}).status_code == 404
    assert client.post(f"/settings/team/members/{stranger.pk}/remove/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.role == Role.OWNER


def test_admin_revokes_a_pending_invitation(as_role, tenant, django_capture_on_commit_callbacks):
    client = as_role(Role.ADMIN)
    client.post("/settings/team/invite/", {"email": "late@alpha.test", "role": "viewer"})
    invitation = Invitation.objects.get(tenant=tenant, email="late@alpha.test")

    response = client.post(f"/settings/team/invitations/{invitation.pk}/revoke/", follow=True)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "The invitation to late@alpha.test was revoked." in messages_of(response)
    assert "No pending invitations." in response.text
