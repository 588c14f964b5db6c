"""Reads of the copilot: a person's (or an API key's) own conversations, never another's."""

from django.db.models import Q, QuerySet

from apps.designs.selectors import design_thumb_urls

from .actions import action_images
from .models import Conversation, CopilotSettings, PendingAction


def _owned(*, user_id: int | None, api_key_id: int | None) -> QuerySet[Conversation]:
    if user_id is not None:
        return Conversation.objects.filter(user_id=user_id)
    return (
        Conversation.objects.filter(api_key_id=api_key_id)
        if api_key_id is not None
        else Conversation.objects.none()
    )


def conversation_list(
    *, user_id: int | None, api_key_id: int | None = None, search: str = ""
) -> QuerySet[Conversation]:
    """The owner's conversations, most recent first; `search` in titles and messages."""
    conversations = _owned(user_id=user_id, api_key_id=api_key_id)
    if search:
        conversations = conversations.filter(
            Q(title__icontains=search) | Q(messages__text__icontains=search)
        ).distinct()
    return conversations


def conversation_get(pk: int, *, user_id: int | None, api_key_id: int | None = None) -> Conversation | None:
    return _owned(user_id=user_id, api_key_id=api_key_id).filter(pk=pk).first()


def conversation_messages(conversation: Conversation) -> list:
    """The conversation's messages with their actions; each answer's `thumbnails`: the designs
    its tools showed (`[{"id", "url"}]`, signed links made now, so they never go stale); each
    waiting action's `images` (`[{"label", "url"}]`, e.g. a correction's before and after), alike."""
    messages = list(conversation.messages.prefetch_related("actions"))
    shown = {message.pk: [d for use in message.tools for d in use.get("designs", [])] for message in messages}
    urls = design_thumb_urls({design for designs in shown.values() for design in designs})
    for message in messages:
        message.thumbnails = [{"id": d, "url": urls[d]} for d in shown[message.pk] if d in urls]
        for action in message.actions.all():
            action.images = action_images(action)
    return messages


def action_get(key, *, user_id: int | None, api_key_id: int | None = None) -> PendingAction | None:
    """A proposed action of one of the owner's conversations, by its key (a UUID)."""
    owned = _owned(user_id=user_id, api_key_id=api_key_id)
    return PendingAction.objects.filter(key=key, message__conversation__in=owned).first()


def copilot_settings() -> CopilotSettings:
    return CopilotSettings.objects.first() or CopilotSettings()
