"""Operators' admin (public host): plans, each workspace's subscription and usage, MRR by plan."""

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .entitlements import month_start
from .models import Feature, Invoice, Limit, Plan, StripeEvent, Subscription, UsageCounter


class PlanForm(forms.ModelForm):
    features = forms.MultipleChoiceField(
        choices=Feature.choices, widget=forms.CheckboxSelectMultiple, required=False, label=_("features")
    )

    class Meta:
        model = Plan
        fields = ["code", "name", "position", "self_serve", "monthly_price_eur", "monthly_price_usd"]
        fields += ["yearly_months_charged", "designs_per_month", "overage", "overage_price_eur"]
        fields += ["overage_price_usd", "emails_per_month", "ai_tokens_per_month", "brands", "seats"]
        fields += ["webhook_endpoints"]
        fields += ["features"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    form = PlanForm
    list_display = ["name", "code", "monthly_price_eur", "designs_per_month", "overage", "brands", "seats"]
    list_display += ["emails_per_month", "ai_tokens_per_month", "webhook_endpoints", "self_serve"]
    readonly_fields = ["stripe_prices"]

    def save_model(self, request, obj, form, change):
        services.plan_save(plan=obj)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """A plan is assigned by hand here (manual mode, invoiced deals); Stripe keeps the others in sync."""

    change_list_template = "admin/billing/subscription/change_list.html"
    list_display = ["tenant", "plan", "status", "designs_this_month", "trial_ends_at", "grace_ends_at"]
    list_display += ["current_period_end", "stripe_customer_id"]
    list_filter = ["plan", "status", "currency"]
    search_fields = ["tenant__name", "tenant__schema_name", "stripe_customer_id", "stripe_subscription_id"]
    list_select_related = ["tenant", "plan"]
    fields = ["tenant", "plan", "status", "trial_ends_at", "current_period_end", "grace_ends_at"]
    fields += ["cancel_at_period_end", "currency", "interval", "stripe_customer_id", "stripe_subscription_id"]
    readonly_fields = ["tenant", "grace_ends_at", "cancel_at_period_end", "currency", "interval"]
    readonly_fields += ["stripe_customer_id", "stripe_subscription_id"]

    def has_add_permission(self, request) -> bool:
        return False  # every workspace gets one when it is created

    def get_queryset(self, request):
        designs = UsageCounter.objects.filter(
            tenant=OuterRef("tenant"), metric=Limit.DESIGNS, period=month_start()
        ).values("count")
        return super().get_queryset(request).annotate(designs_used=Subquery(designs[:1]))

    @admin.display(description=_("AI designs this month"), ordering="designs_used")
    def designs_this_month(self, obj) -> int:
        return obj.designs_used or 0

    def save_model(self, request, obj, form, change):
        services.subscription_assign(
            tenant=obj.tenant,
            plan=obj.plan,
            status=obj.status,
            trial_ends_at=obj.trial_ends_at,
            current_period_end=obj.current_period_end,
        )

    def changelist_view(self, request, extra_context=None):
        extra = {"revenue": selectors.revenue_by_plan(), "mode": services.billing_mode()}
        return super().changelist_view(request, {**(extra_context or {}), **extra})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UsageCounter)
class UsageCounterAdmin(ReadOnlyAdmin):
    list_display = ["tenant", "metric", "period", "count", "overage", "overage_reported"]
    list_filter = ["metric", "period"]
    search_fields = ["tenant__schema_name"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "tenant", "status", "amount_due", "amount_paid", "currency", "created_at"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "stripe_id", "tenant__schema_name"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["stripe_id", "type", "tenant", "outcome", "received_at"]
    list_filter = ["type"]
    search_fields = ["stripe_id", "tenant__schema_name"]
