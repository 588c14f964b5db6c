from django.db.models import QuerySet
from django.utils import timezone

from apps.tenants.models import Tenant
from apps.tenants.selectors import member_count

from .models import Invitation


def invitation_list_pending(*, tenant: Tenant) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def seats_used(*, tenant: Tenant) -> int:
    """What the plan's seats count: members and pending invitations."""
    return member_count(tenant=tenant) + invitation_list_pending(tenant=tenant).count()
