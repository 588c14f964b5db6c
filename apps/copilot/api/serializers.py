"""The copilot API's shapes: conversations, their messages with sources and proposed actions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer, StrictSerializer, text_field

from ..actions import action_images
from ..engine import PAGE_MAX, PAGE_PATH, TEXT_MAX
from ..models import Message, PendingAction


class AskSerializer(StrictSerializer):
    text = text_field(max_length=TEXT_MAX, help_text="The question, e.g. “How did we do last week?”.")
    page = serializers.RegexField(
        PAGE_PATH,
        required=False,
        max_length=PAGE_MAX,
        help_text="The path of the page the question is asked from: vague questions are answered for it.",
    )


class ConversationFilterSerializer(QuerySerializer):
    search = serializers.CharField(
        required=False, max_length=200, help_text="Part of the title or of a message."
    )


class SourceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="The dashboard page that shows the figures (a path).")


class ToolUseSerializer(serializers.Serializer):
    name = serializers.CharField()
    arguments = serializers.DictField()
    designs = serializers.ListField(
        child=serializers.CharField(), default=list, help_text="Designs (`dsg_…`) the answer shows."
    )


class ImageSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="A signed path: prefix the workspace's host.")


class ActionSerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="Confirm or cancel it with this key.")
    kind = serializers.CharField()
    arguments = serializers.DictField()
    status = serializers.ChoiceField(choices=PendingAction.Status.choices)
    card = serializers.CharField(help_text="Markdown: what confirming does.")
    result = serializers.CharField(help_text="Markdown: what was done, or why it failed.")
    result_url = serializers.CharField(help_text="The dashboard page of what was made, if any.")
    decided_at = serializers.DateTimeField(allow_null=True)
    images = serializers.SerializerMethodField(
        help_text="While it waits, images the card shows: `[{label, url}]`, e.g. a correction's before "
        "and after (signed paths, made now: they expire)."
    )

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, action: PendingAction) -> list[dict]:
        return action_images(action)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Message.Role.choices)
    text = serializers.CharField(help_text="Markdown for the copilot's answers (render it without raw HTML).")
    provider = serializers.CharField(help_text="`offline` or `openai` for an answer, empty for a question.")
    page = serializers.CharField()
    sources = SourceSerializer(many=True)
    tools = ToolUseSerializer(many=True, help_text="The tools the answer used, with their arguments.")
    actions = ActionSerializer(many=True, source="actions.all")
    created_at = serializers.DateTimeField()


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, source="messages.all")


class AnswerSerializer(serializers.Serializer):
    conversation = ConversationSerializer()
    question = MessageSerializer()
    answer = MessageSerializer()
