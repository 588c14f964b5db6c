"""Reads for workspaces, people and keys (the dashboard and the API share them)."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiKey, Invitation, Membership, Tenant, User


def member_list(
    *, tenant: Tenant, role: str | None = None, search: str | None = None
) -> QuerySet[Membership]:
    members = Membership.objects.filter(tenant=tenant).select_related("user")
    if role:
        members = members.filter(role=role)
    if search:
        members = members.filter(user__email__icontains=search)
    return members


def invitation_list_pending(*, tenant: Tenant) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def api_key_list(*, tenant: Tenant) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(tenant=tenant, type=ApiKey.Type.SECRET).select_related("created_by")


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("tenant").order_by("tenant__name")
