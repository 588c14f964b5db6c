"""The planner API's shapes: scenarios with their objectives, targets (and live sizes) and
resources; plan versions with their items; the lists' filters and the bodies of writes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.campaigns.models import Audience
from apps.core.api.serializers import QuerySerializer, StrictSerializer, one_line_field, text_field
from apps.crm.models.scores import Segment

from ..chat import ACTIONS, TEXT_MAX
from ..checks import LABEL_MAX
from ..models import ChatMessage, PlanItem, PlanVersion, Resource, Scenario
from ..services import METRIC_MAX, NAME_MAX, THEME_MAX, UNIT_MAX

PARTS = ("objectives", "targets", "resources")
AMOUNT = {"max_digits": 14, "decimal_places": 2}  # the models' amounts


# --- scenarios -----------------------------------------------------------------------------------


class ScenarioInputSerializer(StrictSerializer):
    name = one_line_field(max_length=NAME_MAX)
    theme = one_line_field(
        max_length=THEME_MAX, required=False, help_text="What the plan is about, in one line."
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(
        required=False, allow_null=True, help_text="Not before `period_start` (422 otherwise)."
    )


class ScenarioChangeSerializer(ScenarioInputSerializer):
    status = serializers.ChoiceField(
        choices=[(Scenario.Status.ARCHIVED.value, Scenario.Status.ARCHIVED.label)],
        required=False,
        help_text="`archived`: the scenario can no longer change (there is no delete).",
    )


class ScenarioFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=200, help_text="Part of the name or theme.")
    status = serializers.ChoiceField(
        choices=Scenario.Status.choices,
        required=False,
        help_text="Only scenarios of this status; without it, every one but archived ones.",
    )


class ScenarioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    theme = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(
        choices=Scenario.Status.choices, help_text="`draft`, `ready` once it has a plan, `archived`."
    )
    plan_version = serializers.IntegerField(
        source="current_version.number",
        allow_null=True,
        help_text="The current plan's number; null before one.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    metric = serializers.CharField()
    target_value = serializers.DecimalField(**AMOUNT)
    deadline = serializers.DateField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    """A target with its size now (apps.planner.selectors.SizedTarget)."""

    id = serializers.IntegerField(source="target.pk")
    label = serializers.CharField(source="target.label")
    segment = serializers.CharField(source="target.segment", help_text="An RFM segment code, or empty.")
    audience = serializers.IntegerField(
        source="target.audience_id", allow_null=True, help_text="A campaigns audience id, or null."
    )
    size = serializers.IntegerField(
        allow_null=True, help_text="Customers in its segment or audience now; null for free text."
    )


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    label = serializers.CharField()
    amount = serializers.DecimalField(**AMOUNT, allow_null=True)
    unit = serializers.CharField()


class ScenarioDetailSerializer(ScenarioSerializer):
    objectives = ObjectiveSerializer(many=True, source="objectives.all")
    targets = TargetSerializer(many=True, source="sized_targets")
    resources = ResourceSerializer(many=True, source="resources.all")
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=PARTS),
        help_text="Which parts the scenario has none of yet; a plan needs all three.",
    )


# --- its parts -----------------------------------------------------------------------------------


class ObjectiveInputSerializer(StrictSerializer):
    label = one_line_field(max_length=LABEL_MAX)
    metric = one_line_field(max_length=METRIC_MAX, help_text="e.g. `revenue`, `orders`, `design-start rate`.")
    target_value = serializers.DecimalField(**AMOUNT)
    deadline = serializers.DateField(required=False, allow_null=True)


class TargetInputSerializer(StrictSerializer):
    """Free text, or an RFM segment, or an audience (not both: 422)."""

    label = one_line_field(max_length=LABEL_MAX, help_text="Unique in the scenario, whatever its case.")
    segment = serializers.ChoiceField(choices=Segment.choices, required=False, allow_blank=True)
    audience = serializers.PrimaryKeyRelatedField(
        queryset=Audience.objects.all(), required=False, allow_null=True, help_text="An audience id."
    )


class ResourceInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    label = one_line_field(max_length=LABEL_MAX)
    amount = serializers.DecimalField(
        **AMOUNT, required=False, allow_null=True, help_text="Required for `lead_time` (days, 0 or more)."
    )
    unit = one_line_field(max_length=UNIT_MAX, required=False, help_text='e.g. "EUR", "people", "days".')


# --- plans ---------------------------------------------------------------------------------------


class PlanItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    format = serializers.ChoiceField(choices=PlanItem.Format.choices)
    message = serializers.CharField()
    channel = serializers.CharField()
    frequency = serializers.CharField()
    kpi = serializers.CharField()
    target = serializers.CharField(source="target.label", allow_null=True, help_text="A target's label.")
    deadline = serializers.DateField(allow_null=True)
    campaign = serializers.IntegerField(
        source="campaign_id", allow_null=True, help_text="The draft campaign this e-mail item became."
    )


class PlanVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scenario = serializers.IntegerField(source="scenario_id")
    number = serializers.IntegerField()
    summary = serializers.CharField()
    provider = serializers.ChoiceField(choices=PlanVersion.Provider.choices)
    current = serializers.SerializerMethodField(help_text="Whether it is the scenario's current plan.")
    created_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_current(self, version: PlanVersion) -> bool:
        return version.scenario.current_version_id == version.pk


class PlanVersionDetailSerializer(PlanVersionSerializer):
    items = PlanItemSerializer(many=True, source="items.all")


class CampaignDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TargetSuggestionSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    label = serializers.CharField()
    customers = serializers.IntegerField()
    monetary = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Net incl. tax, in all.")
    recency_days = serializers.FloatField(help_text="Mean days since their last purchase.")
    explanation = serializers.CharField(help_text="Why to target them.")


# --- chat ----------------------------------------------------------------------------------------


class ChatInputSerializer(StrictSerializer):
    """A typed message, or a button's action (with the fields of its form for an "add" action)."""

    text = text_field(
        required=False,
        max_length=TEXT_MAX,
        help_text="What the person types, e.g. “add a target: customers who bought Riesling last year”.",
    )
    action = serializers.ChoiceField(
        choices=[(code, str(action.label)) for code, action in ACTIONS.items()],
        required=False,
        help_text="A button's code, from `actions` of the last reply.",
    )
    payload = serializers.DictField(
        required=False,
        help_text=(
            "For `add_objective`: `label`, `metric`, `target_value`, `deadline`; `add_target`: `label`, "
            "`segment` or `audience`; `add_resource`: `kind`, `label`, `amount`, `unit`."
        ),
    )


class ChatMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=ChatMessage.Role.choices)
    text = serializers.CharField(
        help_text="Markdown for the assistant's replies (render it without raw HTML)."
    )
    action = serializers.CharField(help_text="The action the message ran, or empty.")
    created_at = serializers.DateTimeField()


class ChatActionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    form = serializers.CharField(
        help_text="`objective`, `target` or `resource`: the action needs a `payload`."
    )


class ChatReplySerializer(serializers.Serializer):
    reply = ChatMessageSerializer()
    actions = ChatActionSerializer(many=True, help_text="The buttons the scenario's state now calls for.")
    state = serializers.DictField(
        help_text="The scenario's state: status, objectives, targets (with sizes), resources, missing, plan."
    )
