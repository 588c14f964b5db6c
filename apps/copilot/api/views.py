"""The copilot API: a key's own conversations, questions answered with sources, and the actions
the copilot proposed, confirmed or cancelled. Another key's or another workspace's conversation
is a 404."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.serializers import validated
from apps.core.api.views import found, path_id
from apps.tenants.api.idempotency import idempotent

from ..engine import action_cancel, action_confirm, ask, key_asker
from ..selectors import action_get, conversation_get, conversation_list
from ..services import conversation_delete
from .serializers import (
    ActionSerializer,
    AnswerSerializer,
    AskSerializer,
    ConversationDetailSerializer,
    ConversationFilterSerializer,
    ConversationSerializer,
)

READ, WRITE = "copilot:read", "copilot:write"
SCOPES = {"GET": READ, "POST": WRITE, "DELETE": WRITE}
ASKING = (
    "Answers with the question and the copilot's answer: Markdown whose every figure comes from a tool "
    "reading the workspace's data (`tools`), the dashboard pages that show them (`sources`), and the "
    "actions it proposes (`actions`, run only when confirmed). Each answer is also pushed, as it is "
    "written, to the websocket `/ws/copilot/{id}/`. 20 questions a minute per key (429 with `Retry-After`). "
    "With `copilot:write` the key asks as an editor (no billing figures); with only `copilot:read` it "
    "cannot ask."
)
KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description="The action's key (a UUID).")


def _answer(asked) -> dict:
    conversation = asked.conversation
    question = conversation.messages.filter(role="user").order_by("-created_at", "-pk").first()
    return AnswerSerializer(
        {"conversation": conversation, "question": question, "answer": asked.message}
    ).data


class ConversationListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = ConversationSerializer

    @extend_schema(parameters=[ConversationFilterSerializer], summary="The key's conversations, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = validated(ConversationFilterSerializer, self.request.query_params)
        return conversation_list(user_id=None, api_key_id=self.request.auth.pk, **filters)

    @extend_schema(
        request=AskSerializer,
        responses={201: AnswerSerializer},
        summary="Start a conversation with a question",
        description=ASKING,
    )
    @idempotent
    def post(self, request):
        data = validated(AskSerializer, request.data)
        asked = ask(None, key_asker(request.auth), data["text"], page=data.get("page", ""))
        return Response(_answer(asked), status=status.HTTP_201_CREATED)


class ConversationDetailView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("conversation")],
        responses={200: ConversationDetailSerializer},
        summary="A conversation with its messages",
    )
    def get(self, request, pk: int):
        conversation = found(conversation_get(pk, user_id=None, api_key_id=request.auth.pk))
        return Response(ConversationDetailSerializer(conversation).data)

    @extend_schema(
        parameters=[path_id("conversation")], responses={204: None}, summary="Delete a conversation"
    )
    def delete(self, request, pk: int):
        conversation_delete(
            conversation=found(conversation_get(pk, user_id=None, api_key_id=request.auth.pk))
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("conversation")],
        request=AskSerializer,
        responses={200: AnswerSerializer},
        summary="Ask a question in a conversation",
        description=ASKING,
    )
    @idempotent
    def post(self, request, pk: int):
        conversation = found(conversation_get(pk, user_id=None, api_key_id=request.auth.pk))
        data = validated(AskSerializer, request.data)
        asked = ask(conversation, key_asker(request.auth), data["text"], page=data.get("page", ""))
        return Response(_answer(asked))


class ActionDecideView(APIView):
    required_scopes = SCOPES
    decide = None

    def post(self, request, key):
        action = found(action_get(key, user_id=None, api_key_id=request.auth.pk))
        return Response(ActionSerializer(self.decide(action, key_asker(request.auth))).data)


def _decide_view(name: str, decide, summary: str, description: str):
    view = type(name, (ActionDecideView,), {"decide": staticmethod(decide)})
    schema = extend_schema(
        parameters=[KEY],
        request=None,
        responses={200: ActionSerializer},
        summary=summary,
        description=description,
    )
    view.post = schema(idempotent(ActionDecideView.post))
    return view


ActionConfirmView = _decide_view(
    "ActionConfirmView",
    action_confirm,
    "Confirm an action the copilot proposed",
    "Runs it once, with the key's rights checked now: `status` becomes `done` (with `result` and "
    "`result_url`) or `failed` (with why). 409 `action_decided` once it was confirmed or cancelled.",
)
ActionCancelView = _decide_view(
    "ActionCancelView",
    action_cancel,
    "Cancel an action the copilot proposed",
    "It will never run. 409 `action_decided` once it was confirmed or cancelled.",
)
