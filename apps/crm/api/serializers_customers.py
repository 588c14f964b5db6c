"""The customers API's shapes: a customer with their RFM and estimates, recommendations with
their reasons, segments; the list's filters and the PATCH input."""

from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer, StrictSerializer

from ..models.scores import Segment
from ..scoring.reasons import reason_text


class ConsentSerializer(serializers.Serializer):
    marketing = serializers.BooleanField(
        source="marketing_consent",
        allow_null=True,
        help_text="E-mail marketing: true, false, or null (never asked).",
    )
    changed_at = serializers.DateTimeField(source="consent_at", allow_null=True)
    source = serializers.CharField(source="consent_source", help_text="Where it was given or withdrawn.")


class EstimatesSerializer(serializers.Serializer):
    label = serializers.SerializerMethodField(help_text="Always `estimate`: model figures, not facts.")
    p_alive = serializers.FloatField(
        allow_null=True, help_text="Probability the customer still buys (BG/NBD)."
    )
    expected_purchases_90d = serializers.FloatField(
        source="expected_purchases", allow_null=True, help_text="Expected purchases in the next 90 days."
    )

    def get_label(self, score) -> str:
        return "estimate"


class ScoreSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    recency_days = serializers.IntegerField(allow_null=True, help_text="Days since the last sale document.")
    frequency = serializers.IntegerField(help_text="Distinct sale documents (credit notes excluded).")
    monetary = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Net incl. tax.")
    r = serializers.IntegerField(help_text="1–5 (quintile); 0 without a sale.")
    f = serializers.IntegerField()
    m = serializers.IntegerField()
    segment = serializers.CharField(help_text="Empty without a sale.")
    estimates = EstimatesSerializer(source="*")


class CustomerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(help_text="The ERP's client code.")
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    language = serializers.CharField()
    source = serializers.CharField()
    consent = ConsentSerializer(source="*")
    rfm = ScoreSerializer(source="score", allow_null=True, help_text="Null until the first refresh.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RecommendedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.CharField()
    label = serializers.CharField()
    vintage = serializers.CharField()
    family = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class RecommendationSerializer(serializers.Serializer):
    item = RecommendedItemSerializer()
    kind = serializers.CharField(help_text="`cross_sell`, `rebuy` or `diversity`.")
    score = serializers.FloatField()
    reason = serializers.JSONField(
        help_text="`code` (`rebuy`, `rebuy_once`, `cross_sell`, `diversity`) and figures."
    )
    reason_text = serializers.SerializerMethodField(help_text="The reason in the request's language.")
    as_of = serializers.DateField()

    def get_reason_text(self, recommendation) -> str:
        return reason_text(recommendation.reason)


class RecommendationListSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    results = RecommendationSerializer(many=True)


class SegmentSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    label = serializers.CharField()
    customers = serializers.IntegerField()
    share = serializers.FloatField(help_text="Of the customers with a segment, 0–1.")
    monetary = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Their net amount incl. tax."
    )


class SegmentListSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True, help_text="The date of the last refresh.")
    customers = serializers.IntegerField()
    design_abandoned = serializers.IntegerField(
        help_text="Customers who finished a design in the widget and never ordered it "
        "(`/crm/customers?abandoned=true` lists them); whatever their RFM segment."
    )
    results = SegmentSerializer(many=True)


# --- input ----------------------------------------------------------------------------------


class CustomerFilterSerializer(QuerySerializer):
    external_id = serializers.CharField(required=False, max_length=64, help_text="Exact client code.")
    email = serializers.CharField(required=False, max_length=254, help_text="Exact e-mail (any case).")
    segment = serializers.ChoiceField(choices=Segment.choices, required=False)
    search = serializers.CharField(
        required=False, max_length=200, help_text="Part of a name, e-mail or code."
    )
    abandoned = serializers.BooleanField(
        required=False, help_text="`true`: only customers who left a finished design unordered."
    )


class CustomerUpdateSerializer(StrictSerializer):
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2, e.g. `FR`."
    )
    language = serializers.CharField(required=False, allow_blank=True, max_length=10)
    marketing_consent = serializers.BooleanField(
        required=False, allow_null=True, help_text="E-mail marketing consent: true, false or null."
    )
    consent_source = serializers.CharField(
        required=False,
        max_length=40,
        help_text="Where the consent was given or withdrawn (default `api`); recorded with the time.",
    )
