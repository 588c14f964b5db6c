"""The campaigns API's shapes: audiences with their live size, templates, campaigns with their
progress and revenue; the lists' filters and the bodies of writes."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer, StrictSerializer, one_line_field
from apps.core.errors import ValidationFailed
from apps.crm.models import CatalogItem
from apps.crm.models.scores import Segment

from ..models import Audience, Campaign, Template
from ..rendering import LANGUAGES
from ..services import LAST_PURCHASE_VALUES, MAX_RULE_VALUES, rules_clean
from ..templates_services import NAME_MAX


def name_field(**kwargs) -> serializers.RegexField:
    return one_line_field(max_length=NAME_MAX, **kwargs)


class TextField(serializers.CharField):
    """Text only: a number in a list is refused, not turned into text (DRF's CharField would)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# --- audiences -----------------------------------------------------------------------------------


class AudienceRulesSerializer(StrictSerializer):
    """Who the audience is; an empty or missing rule does not filter."""

    segments = serializers.ListField(
        child=serializers.ChoiceField(choices=Segment.choices),
        required=False,
        max_length=MAX_RULE_VALUES,
        help_text="RFM segments (any of them).",
    )
    last_purchase = serializers.ChoiceField(
        choices=sorted(LAST_PURCHASE_VALUES),
        required=False,
        allow_blank=True,
        help_text="Last purchase within 30, 90 or 365 days, `older`, `never`, or empty (any).",
    )
    items = serializers.PrimaryKeyRelatedField(
        queryset=CatalogItem.objects.all(),
        many=True,
        required=False,
        help_text="Catalogue item ids (at most 200): customers who bought any of them. An id that "
        "is not in the catalogue: 404 `items_not_found`.",
    )
    families = serializers.ListField(
        child=TextField(max_length=120),
        required=False,
        max_length=MAX_RULE_VALUES,
        help_text="Catalogue families: customers who bought in any of them.",
    )
    languages = serializers.ListField(
        child=TextField(max_length=10), required=False, max_length=MAX_RULE_VALUES
    )
    countries = serializers.ListField(
        child=TextField(max_length=2),
        required=False,
        max_length=MAX_RULE_VALUES,
        help_text="ISO 3166-1 alpha-2 codes.",
    )
    abandoned_design = serializers.BooleanField(
        required=False, help_text="Only customers who left a finished design unordered."
    )

    def to_internal_value(self, data):
        # DRF's many=True field takes any iterable: an object would pass as an empty list
        if hasattr(data, "keys") and "items" in data and not isinstance(data["items"], list):
            raise serializers.ValidationError({"items": [_("Expected a list of catalogue item ids.")]})
        return super().to_internal_value(data)

    def validate(self, data):
        data = dict(data)
        if "items" in data:
            data["items"] = [item.pk for item in data["items"]]
        try:
            return rules_clean(data)
        except ValidationFailed as error:  # e.g. a catalogue item that does not exist
            raise serializers.ValidationError(error.details) from None


class AudienceInputSerializer(StrictSerializer):
    name = name_field()
    rules = AudienceRulesSerializer(required=False)


class AudienceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rules = serializers.JSONField(help_text="The rules as stored: every key present, lists sorted.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class LeftOutSerializer(serializers.Serializer):
    no_email = serializers.IntegerField(help_text="No e-mail address.")
    no_consent = serializers.IntegerField(help_text="Marketing consent not given.")
    suppressed = serializers.IntegerField(help_text="Address on the suppression list.")
    shared = serializers.IntegerField(
        help_text="Sharing their address with another: one message per address."
    )


class AudienceSizeSerializer(serializers.Serializer):
    matching = serializers.IntegerField(help_text="Customers the rules select.")
    sendable = serializers.IntegerField(help_text="Those a campaign would write to now.")
    left_out = LeftOutSerializer(source="*", help_text="Why the others are left out (first reason).")


class AudienceDetailSerializer(AudienceSerializer):
    size = AudienceSizeSerializer(help_text="Counted now, from the CRM as it stands.")


class AudienceFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=200, help_text="Words of the name.")


# --- templates -----------------------------------------------------------------------------------


class TemplateInputSerializer(StrictSerializer):
    name = name_field()
    default_language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    content = serializers.DictField(
        required=False,
        help_text=(
            'Per language (`en`, `fr`, `zh-hans`): `{"subject", "preheader", "blocks": [{"kind", …}]}`; '
            "block kinds `heading`, `text`, `image`, `button`, `products`, `divider`, "
            "`recommendations`, `rebuy_design`. The default language's version is required. Refused "
            "blocks: 422 `template_invalid`, each problem naming its block."
        ),
    )


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    default_language = serializers.CharField()
    content = serializers.JSONField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class TemplateFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=200, help_text="Words of the name.")


# --- campaigns -----------------------------------------------------------------------------------

TRACK_OPENS_HELP = (
    "Record opens with a 1×1 image in each message. Off by default, for the recipients' privacy."
)


class CampaignInputSerializer(StrictSerializer):
    name = name_field()
    audience = serializers.PrimaryKeyRelatedField(
        queryset=Audience.objects.all(), help_text="An audience id."
    )
    template = serializers.PrimaryKeyRelatedField(queryset=Template.objects.all(), help_text="A template id.")
    attribution_days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        default=7,
        help_text="Orders within this many days of a click count as the campaign's.",
    )
    track_opens = serializers.BooleanField(default=False, help_text=TRACK_OPENS_HELP)


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Campaign.Status.choices)
    audience = serializers.IntegerField(
        source="audience_id", allow_null=True, help_text="null for an automation's campaign."
    )
    template = serializers.IntegerField(source="template_id")
    automation = serializers.CharField(
        help_text="`design_abandoned` or `occasion` for an automation's campaign, else empty."
    )
    attribution_days = serializers.IntegerField()
    track_opens = serializers.BooleanField(help_text=TRACK_OPENS_HELP)
    scheduled_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    paused_reason = serializers.CharField(help_text="Why it was paused or cancelled, when it says.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Recipients queued.")
    waiting = serializers.IntegerField(help_text="Not sent yet.")
    percent = serializers.IntegerField(help_text="Done, 0–100.")
    sent = serializers.IntegerField()
    failed = serializers.IntegerField(help_text="Failed or skipped (consent withdrawn, suppressed).")
    delivered = serializers.IntegerField()
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    bounced = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    complained = serializers.IntegerField()


class RevenueSerializer(serializers.Serializer):
    orders = serializers.IntegerField(help_text="Orders placed within the window after a first click.")
    by_currency = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text='Their totals per currency, e.g. `{"EUR": "120.00"}`.',
    )


class CampaignDetailSerializer(CampaignSerializer):
    progress = ProgressSerializer()
    revenue = RevenueSerializer()


class CampaignFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Campaign.Status.choices, required=False)
    search = serializers.CharField(required=False, max_length=200, help_text="Part of the name.")


class ScheduleSerializer(StrictSerializer):
    """Either `at` or `now: true`; `at` in the future (422 `schedule_invalid` otherwise)."""

    at = serializers.DateTimeField(
        required=False, help_text="ISO 8601 with its offset, in the future: e.g. `2027-03-01T09:00:00+01:00`."
    )
    now = serializers.BooleanField(required=False, help_text="`true`: start sending now.")

    def validate_at(self, value):
        raw = self.initial_data.get("at")
        parsed = parse_datetime(raw) if isinstance(raw, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise serializers.ValidationError(_("Give the time with its offset, e.g. +01:00 or Z."))
        return value


DELAY_HELP = (
    "Hours after the design is ready (`design_abandoned`, 1–720); days before the day (`occasion`, 1–60)."
)


class AutomationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Campaign.Automation.choices)
    label = serializers.CharField()
    enabled = serializers.BooleanField(help_text="Whether events schedule messages and due ones leave.")
    template = serializers.IntegerField(allow_null=True, help_text="null until it is set up.")
    delay = serializers.IntegerField(allow_null=True, help_text=DELAY_HELP)
    campaign = serializers.IntegerField(
        allow_null=True, help_text="Its campaign: `GET /api/v1/campaigns/{id}` has its progress and revenue."
    )


class AutomationInputSerializer(StrictSerializer):
    template = serializers.PrimaryKeyRelatedField(queryset=Template.objects.all(), help_text="A template id.")
    delay = serializers.IntegerField(min_value=1, help_text=DELAY_HELP)
    enabled = serializers.BooleanField()
