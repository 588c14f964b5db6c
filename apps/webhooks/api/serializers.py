"""Input and output shapes of the webhooks API."""

from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer, StrictSerializer

from ..models import EVENT_TYPES, EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointInputSerializer(StrictSerializer):
    url = serializers.CharField(
        help_text="`http://` or `https://`; 422 `webhook_url_invalid` or `webhook_url_forbidden` (SSRF)."
    )
    events = serializers.ListField(
        child=serializers.CharField(),
        help_text=f"One or more of {', '.join(f'`{event}`' for event in EventType.values)} "
        "(422 `webhook_events_invalid` otherwise).",
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class EndpointUpdateSerializer(EndpointInputSerializer):
    is_active = serializers.BooleanField(
        required=False,
        help_text="`false` disables the endpoint; `true` enables it and resumes its deliveries.",
    )


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (`whsec_…`): shown in this answer only, never again."
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "status_code",
            "response_snippet",
            "error",
            "error_detail",
        ]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.public_id", help_text="The event id (`evt_…`).")
    event_type = serializers.ChoiceField(source="event.type", choices=EVENT_TYPES)
    endpoint = serializers.IntegerField(source="endpoint_id")
    attempts = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_type",
            "endpoint",
            "status",
            "attempt_count",
            "last_status_code",
            "last_attempt_at",
            "next_attempt_at",
            "created_at",
            "attempts",
        ]


class DeliveryFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices, required=False)
