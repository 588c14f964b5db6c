"""The planner API: scenarios with their objectives, targets and resources; plans made by the
offline assistant, kept as versions and restored; exports; plans turned into campaign drafts;
target suggestions from the workspace's CRM segments."""

from contextlib import contextmanager

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import ErrorSerializer
from apps.core.api.pagination import CursorPagination
from apps.core.api.serializers import validated
from apps.core.api.views import found, key_user_id, path_id
from apps.core.errors import ValidationFailed
from apps.tenants.api.idempotency import idempotent

from .. import services
from ..chat import Speaker, chat_act, chat_messages, chat_say
from ..exports import plan_csv_response, plan_json
from ..selectors import (
    plan_missing,
    scenario_get,
    scenario_search,
    target_sized,
    target_suggestions,
    targets_sized,
    version_get,
    version_list,
)
from .errors import ChatRequestInvalid, ScenarioIncomplete, ScenarioInvalid
from .serializers import (
    CampaignDraftSerializer,
    ChatInputSerializer,
    ChatMessageSerializer,
    ChatReplySerializer,
    ObjectiveInputSerializer,
    ObjectiveSerializer,
    PlanVersionDetailSerializer,
    PlanVersionSerializer,
    ResourceInputSerializer,
    ResourceSerializer,
    ScenarioChangeSerializer,
    ScenarioDetailSerializer,
    ScenarioFilterSerializer,
    ScenarioInputSerializer,
    ScenarioSerializer,
    TargetInputSerializer,
    TargetSerializer,
    TargetSuggestionSerializer,
)

READ, WRITE = "planner:read", "planner:write"
SCOPES = {"GET": READ, "POST": WRITE, "PUT": WRITE, "PATCH": WRITE, "DELETE": WRITE}
ARCHIVED = "409 `scenario_archived` when the scenario is archived (it can no longer change)."


@contextmanager
def _refused():
    """The services' refusals of well-formed input as a 422: `scenario_incomplete` with
    `details.missing`, or `scenario_invalid` with each problem under `details.fields`."""
    try:
        yield
    except ValidationFailed as error:
        if "missing" in error.details:
            raise ScenarioIncomplete(error.message, details=error.details) from None
        raise ScenarioInvalid(error.message, details={"fields": error.details}) from None


def _scenario_detail(scenario) -> dict:
    scenario.sized_targets, scenario.missing = targets_sized(scenario), plan_missing(scenario)
    return ScenarioDetailSerializer(scenario).data


# --- scenarios -----------------------------------------------------------------------------------


class ScenarioListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = ScenarioSerializer

    @extend_schema(parameters=[ScenarioFilterSerializer], summary="List scenarios, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return scenario_search(**validated(ScenarioFilterSerializer, self.request.query_params))

    @extend_schema(
        request=ScenarioInputSerializer,
        responses={201: ScenarioDetailSerializer},
        summary="Create a scenario (a draft)",
        description=(
            "A name, and optionally a theme and a period. Add objectives, targets and resources, then "
            "`POST …/plan`. 400 `validation_error` (`details.fields`) for a name on several lines or "
            "text too long; 422 `scenario_invalid` (`details.fields`) for an end before the start."
        ),
    )
    @idempotent
    def post(self, request):
        data = validated(ScenarioInputSerializer, request.data)
        with _refused():
            scenario = services.scenario_create(**data, user_id=key_user_id(request))
        return Response(_scenario_detail(scenario), status=status.HTTP_201_CREATED)


class ScenarioDetailView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("scenario")],
        responses={200: ScenarioDetailSerializer},
        summary="A scenario with its objectives, targets (and their live size) and resources",
        description=(
            "`plan_version`: the current plan's number; `missing`: which of objectives, targets and "
            "resources it has none of (a plan needs each)."
        ),
    )
    def get(self, request, pk: int):
        return Response(_scenario_detail(found(scenario_get(pk=pk))))

    @extend_schema(
        parameters=[path_id("scenario")],
        request=ScenarioChangeSerializer,
        responses={200: ScenarioDetailSerializer},
        summary="Change a scenario's name, theme or period, or archive it",
        description=(
            "Only the fields sent change; 422 `scenario_invalid` for an end before the start. "
            '`{"status": "archived"}` archives it: scenarios are never '
            f"deleted, archiving is how one is put away (and it leaves the default list). {ARCHIVED}"
        ),
    )
    def patch(self, request, pk: int):
        scenario = found(scenario_get(pk=pk))
        data = dict(validated(ScenarioChangeSerializer, request.data, partial=True))
        archive = data.pop("status", None)
        if data:
            fields = ("name", "theme", "period_start", "period_end")
            with _refused():
                services.scenario_update(
                    scenario=scenario,
                    **{field: data.get(field, getattr(scenario, field)) for field in fields},
                )
        if archive:
            services.scenario_archive(scenario=scenario)
        return Response(_scenario_detail(scenario))


# --- its parts -----------------------------------------------------------------------------------


class _PartAddView(APIView):
    """POST …/scenarios/{id}/<part>: add one."""

    required_scopes = SCOPES
    input_serializer = add = present = None

    @idempotent
    def post(self, request, pk: int):
        scenario = found(scenario_get(pk=pk))
        data = validated(self.input_serializer, request.data)
        with _refused():
            part = self.add(scenario=scenario, **data)
        return Response(self.present(part), status=status.HTTP_201_CREATED)


class _PartRemoveView(APIView):
    """DELETE …/scenarios/{id}/<part>/{part_id}: remove one."""

    required_scopes = SCOPES
    part = ""

    def delete(self, request, pk: int, part_pk: int):
        scenario = found(scenario_get(pk=pk))
        services.part_remove(part=found(getattr(scenario, self.part).filter(pk=part_pk).first()))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _part_views(part: str, one: str, input_serializer, output_serializer, add, present, note: str):
    """The add and remove views of one kind of part (`one`: "an objective")."""
    add_view = type(
        f"{part.title()}AddView",
        (_PartAddView,),
        {"input_serializer": input_serializer, "add": staticmethod(add), "present": staticmethod(present)},
    )
    remove_view = type(f"{part.title()}RemoveView", (_PartRemoveView,), {"part": part})
    add_schema = extend_schema(
        parameters=[path_id("scenario")],
        request=input_serializer,
        responses={201: output_serializer},
        summary=f"Add {one} to a scenario",
        description=(
            "400 `validation_error` (`details.fields`) for input the schema refuses; 422 `scenario_invalid` "
            f"(`details.fields`) for what the scenario's rules refuse. {note}{ARCHIVED}"
        ),
    )
    remove_schema = extend_schema(
        parameters=[path_id("scenario"), path_id(one.split()[-1], "part_pk")],
        responses={204: None},
        summary=f"Remove {one} from a scenario",
        description=f"404 when the scenario has no such {one.split()[-1]}. {ARCHIVED}",
    )
    return extend_schema_view(post=add_schema)(add_view), extend_schema_view(delete=remove_schema)(
        remove_view
    )


ObjectiveAddView, ObjectiveRemoveView = _part_views(
    "objectives",
    "an objective",
    ObjectiveInputSerializer,
    ObjectiveSerializer,
    services.objective_add,
    lambda objective: ObjectiveSerializer(objective).data,
    "",
)
TargetAddView, TargetRemoveView = _part_views(
    "targets",
    "a target",
    TargetInputSerializer,
    TargetSerializer,
    services.target_add,
    lambda target: TargetSerializer(target_sized(target)).data,
    "Free text, an RFM `segment` or an `audience` (not both); a label the scenario already has "
    "(whatever its case), or both a segment and an audience, is a 422; an audience of another "
    "workspace is a 404 `audience_not_found`. "
    "The answer has the target's live `size`. ",
)
ResourceAddView, ResourceRemoveView = _part_views(
    "resources",
    "a resource",
    ResourceInputSerializer,
    ResourceSerializer,
    services.resource_add,
    lambda resource: ResourceSerializer(resource).data,
    "A `lead_time` needs an `amount` (days, 0 or more). ",
)


# --- plans ---------------------------------------------------------------------------------------


class PlanGenerateView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("scenario")],
        request=None,
        responses={201: PlanVersionDetailSerializer},
        summary="Generate a plan with the offline assistant",
        description=(
            "Rules over the scenario and the workspace's CRM, no AI: the same plan for the same data. "
            "Saved as the scenario's next version, made current; the scenario becomes `ready`. "
            "422 `scenario_incomplete` while the scenario has no objectives, targets or resources: "
            '`details.missing` names them (e.g. `["targets", "resources"]`) and `message` says so. '
            f"{ARCHIVED}"
        ),
    )
    @idempotent
    def post(self, request, pk: int):
        scenario = found(scenario_get(pk=pk))
        with _refused():
            version = services.plan_generate(scenario=scenario, user_id=key_user_id(request))
        return Response(PlanVersionDetailSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionPagination(CursorPagination):
    ordering = "-number"


class PlanListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = PlanVersionSerializer
    pagination_class = VersionPagination

    @extend_schema(
        parameters=[path_id("scenario")],
        summary="A scenario's plans, newest first",
        description="Every version kept; `current` marks the scenario's current plan.",
    )
    def get(self, request, pk: int):
        self.scenario = found(scenario_get(pk=pk))
        return super().get(request)

    def get_queryset(self):
        return version_list(self.scenario).select_related("scenario")


class PlanDetailView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("plan version")],
        responses={200: PlanVersionDetailSerializer},
        summary="A plan version with its items",
    )
    def get(self, request, pk: int):
        return Response(PlanVersionDetailSerializer(found(version_get(pk=pk))).data)


class PlanRestoreView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("plan version")],
        request=None,
        responses={200: ScenarioDetailSerializer},
        summary="Make an earlier plan the scenario's current one again",
        description=f"Answers with the scenario; no version is deleted. {ARCHIVED}",
    )
    def post(self, request, pk: int):
        scenario = services.plan_restore(version=found(version_get(pk=pk)))
        return Response(_scenario_detail(scenario))


class CampaignDraftsView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("plan version")],
        request=None,
        responses={200: CampaignDraftSerializer(many=True)},
        summary="Turn a plan's e-mail items into draft campaigns",
        description=(
            "Each e-mail item whose target is an audience or an RFM segment (an audience is made for a "
            "segment) becomes a draft campaign with a template of a heading and the item's message. "
            "Made once: calling it again answers with the same drafts and makes nothing new. Answers "
            "with the items' drafts (`id`, `name`): send them with `POST /api/v1/campaigns/{id}/schedule`. "
            "422 `scenario_invalid` when the e-mail editor refuses an item's message (`details.fields`). "
            f"{ARCHIVED}"
        ),
    )
    @idempotent
    def post(self, request, pk: int):
        version = found(version_get(pk=pk))
        with _refused():
            campaigns = services.plan_to_campaign_drafts(version=version, user_id=key_user_id(request))
        return Response(CampaignDraftSerializer(campaigns, many=True).data)


# --- exports -------------------------------------------------------------------------------------


class ExportJSONView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[path_id("scenario")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Export a scenario and its current plan as JSON",
        description=(
            '`{"scenario": {id, name, theme, period_start, period_end, status}, "objectives": [...], '
            '"targets": [{label, segment, audience}], "resources": [...], "plan": {number, provider, '
            "created_at, summary, items: [{position, format, message, channel, frequency, kpi, target, "
            "deadline}]}}`; `plan` is null before a plan is made."
        ),
    )
    def get(self, request, pk: int):
        return Response(plan_json(found(scenario_get(pk=pk))))


class ExportCSVView(APIView):
    required_scopes = SCOPES

    def perform_content_negotiation(self, request, force=False):
        """The file is CSV whatever `Accept` asks; errors are JSON, in the project's format."""
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[path_id("scenario")],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            409: OpenApiResponse(ErrorSerializer, description="`no_plan`: no plan has been made yet."),
        },
        summary="Export a scenario's current plan as CSV",
        description=(
            "A file (`Content-Disposition: attachment`): a line `# <name> — generated <YYYY-MM-DD>`, then "
            "the columns Format, Message, Channel, Frequency, KPI, one line per item; text a spreadsheet "
            "would run as a formula starts with `'`. 409 `no_plan` before a plan is made."
        ),
    )
    def get(self, request, pk: int):
        return plan_csv_response(found(scenario_get(pk=pk)))


# --- chat --------------------------------------------------------------------------------------


class ChatView(ListAPIView):
    """The scenario's chat: its messages, and a message or an action answered by the assistant."""

    required_scopes = {"GET": READ, "POST": READ}
    serializer_class = ChatMessageSerializer

    @extend_schema(
        parameters=[path_id("scenario")],
        summary="A scenario's chat messages, newest first",
        description="Kept for the workspace's chat retention (7 days unless it set another).",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return chat_messages(found(scenario_get(pk=self.kwargs["pk"])))

    @extend_schema(
        parameters=[path_id("scenario")],
        request=ChatInputSerializer,
        responses={200: ChatReplySerializer},
        summary="Say something to the assistant, or run one of its actions",
        description=(
            "`text` (a typed message: the assistant runs the action it asks for, or answers) or `action` "
            "(a button's code from the last reply's `actions`, with its `payload`); both, or neither: 422 "
            "`chat_request_invalid`. Answers with the "
            "assistant's reply (Markdown), the buttons the scenario's state now calls for and that state. "
            "A refusal (a missing field, a plan the scenario is not ready for) is the reply's text. "
            f"Actions that change the scenario need `{WRITE}` (else 403). Every reply is also pushed, as "
            "it is written, to the websocket `/ws/planner/{id}/`. 30 requests a minute per key (429 with "
            "`Retry-After`)."
        ),
    )
    @idempotent
    def post(self, request, pk: int):
        scenario = found(scenario_get(pk=pk))
        data = validated(ChatInputSerializer, request.data)
        if ("text" in data) == ("action" in data) or ("payload" in data and "action" not in data):
            raise ChatRequestInvalid()
        key = request.auth
        speaker = Speaker(user_id=key_user_id(request), writer=WRITE in key.scopes, bucket=f"key:{key.pk}")
        if "text" in data:
            done = chat_say(scenario, speaker, data["text"])
        else:
            done = chat_act(scenario, speaker, data["action"], data.get("payload"))
        body = {"reply": done.reply, "actions": done.actions, "state": done.state}
        return Response(ChatReplySerializer(body).data)


# --- target suggestions --------------------------------------------------------------------------


class TargetSuggestionsView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        responses={200: TargetSuggestionSerializer(many=True)},
        summary="Targets to suggest: the workspace's CRM segments, most valuable first",
        description=(
            "Each RFM segment that has customers, with its size, value (`monetary`), mean recency and "
            "an `explanation` of why to target it. Add one with `POST …/scenarios/{id}/targets` "
            '(`{"label", "segment"}`).'
        ),
    )
    def get(self, request):
        return Response(TargetSuggestionSerializer(target_suggestions(), many=True).data)
