"""/api/v1/invitations: list pending, invite, revoke — scoped to the key's workspace."""

from django.core import mail

from apps.accounts.models import Invitation
from apps.accounts.services import invitation_create
from apps.tenants.models import Role
from tests.support.clients import bearer, new_key, post_json
from tests.support.workspaces import member


def test_a_key_invites_someone_and_the_invitation_is_emailed(tenant, django_capture_on_commit_callbacks):
    # Given a key allowed to manage the team
    client = bearer(new_key(tenant, scopes=["team:write", "account:read"])[1])

    # When it invites a new editor
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, "/api/v1/invitations", {"email": "New@Example.test", "role": "editor"})

    # Then the invitation exists, is listed as pending, and the email went out
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"]) == ("new@example.test", "editor")
    assert Invitation.objects.get(pk=body["id"]).tenant == tenant
    listed = client.get("/api/v1/invitations").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert [message.to for message in mail.outbox] == [["new@example.test"]]


def test_invalid_invitation_input_is_400_with_field_details(tenant):
    # Given a key allowed to manage the team
    client = bearer(new_key(tenant, scopes=["team:write"])[1])

    # When it sends a bad email and an unknown role
    response = post_json(client, "/api/v1/invitations", {"email": "not-an-email", "role": "emperor"})

    # Then both fields are reported and nothing is created
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"email", "role"}
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_a_key_may_not_invite_an_owner(tenant):
    # Given a key allowed to manage the team
    client = bearer(new_key(tenant, scopes=["team:write"])[1])

    # When it tries to hand out ownership
    response = post_json(client, "/api/v1/invitations", {"email": "boss@example.test", "role": "owner"})

    # Then it is refused and nothing is created
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_not_allowed"
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_inviting_a_current_member_is_409_already_member(tenant):
    # Given an existing editor
    member(tenant, Role.EDITOR, email="ed@alpha.test")
    client = bearer(new_key(tenant, scopes=["team:write"])[1])

    # When the key invites them again
    response = post_json(client, "/api/v1/invitations", {"email": "ed@alpha.test", "role": "viewer"})

    # Then it is a conflict
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_member"


def test_inviting_needs_the_team_write_scope(tenant):
    # Given a read-only key
    client = bearer(new_key(tenant, scopes=["account:read"])[1])

    # When it tries to invite
    response = post_json(client, "/api/v1/invitations", {"email": "x@example.test", "role": "viewer"})

    # Then the scope is missing and nothing is created
    assert response.status_code == 403
    assert response.json()["error"]["details"]["required_scope"] == "team:write"
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_a_key_revokes_a_pending_invitation(tenant):
    # Given a pending invitation
    invitation, _token = invitation_create(
        tenant=tenant, email="gone@example.test", role=Role.VIEWER, inviter_role=Role.OWNER, invited_by=None
    )
    client = bearer(new_key(tenant)[1])

    # When the key revokes it, twice
    first = client.delete(f"/api/v1/invitations/{invitation.pk}")
    second = client.delete(f"/api/v1/invitations/{invitation.pk}")

    # Then it is revoked and no longer listed; there is nothing left to revoke the second time
    assert first.status_code == 204
    assert second.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get("/api/v1/invitations").json()["results"] == []


def test_another_workspaces_invitations_are_invisible_and_404(tenant, other_tenant):
    # Given a pending invitation of beta
    theirs, _token = invitation_create(
        tenant=other_tenant, email="x@beta.test", role=Role.VIEWER, inviter_role=Role.OWNER, invited_by=None
    )
    client = bearer(new_key(tenant)[1])

    # When alpha's key lists invitations and tries to revoke beta's
    listed = client.get("/api/v1/invitations").json()["results"]
    response = client.delete(f"/api/v1/invitations/{theirs.pk}")

    # Then it neither sees nor touches it
    assert listed == []
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
