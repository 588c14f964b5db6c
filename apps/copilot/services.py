"""Writes of the copilot besides its turns (apps/copilot/engine.py): deleting a conversation,
the retention purge, the workspace's settings."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed

from .models import Conversation
from .selectors import copilot_settings

RETENTION_DAYS_MAX = 365


def conversation_delete(*, conversation: Conversation) -> None:
    conversation.delete()


def conversations_purge() -> int:
    """Delete the conversations untouched for longer than the workspace's retention (with their
    messages and actions); returns how many conversations went."""
    cutoff = timezone.now() - timedelta(days=copilot_settings().retention_days)
    _deleted, counts = Conversation.objects.filter(updated_at__lt=cutoff).delete()
    return counts.get(Conversation._meta.label, 0)


def copilot_settings_save(*, retention_days: int):
    if (
        isinstance(retention_days, bool)
        or not isinstance(retention_days, int)
        or not 1 <= retention_days <= RETENTION_DAYS_MAX
    ):
        raise ValidationFailed(
            details={
                "retention_days": [_("A number of days from 1 to %(max)d.") % {"max": RETENTION_DAYS_MAX}]
            }
        )
    current = copilot_settings()
    current.retention_days = retention_days
    current.save()
    return current
