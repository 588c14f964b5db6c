"""Operators' console: workspaces. The list (plan, status, trial, MRR, this month's usage, last
activity, owner), each workspace's page (members, domains, keys, usage history, audit, failed
designs and webhook deliveries) and its actions, each behind a confirmation page and recorded in
the audit log: suspend (with a reason), reactivate, change plan, extend trial, export its data,
delete (after a grace period) and restore.

Every change goes through the owning app's service; Tenant and Subscription writes are audited
by `apps.audit.recorder` with the operator as actor. Permissions are Django's model permissions
(`change` for every action, `delete` to mark a workspace for deletion) so staff groups can get them.
"""

from datetime import UTC, date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name, tenant_context

from apps.accounts import services as accounts
from apps.accounts.forms import clean_slug
from apps.accounts.support import can_view_as
from apps.ai.selectors import ai_cost_by_month, ai_cost_by_schema
from apps.audit.selectors import audit_last_at, audit_list
from apps.billing import selectors as billing
from apps.billing import services as billing_services
from apps.billing.entitlements import month_start
from apps.billing.models import Limit, Plan, Subscription
from apps.designs.models import Design
from apps.designs.selectors import design_list
from apps.tenants import services as tenancy
from apps.tenants.models import Domain, Membership, Role, Tenant
from apps.webhooks.selectors import deliveries_failing

from .workspace_exports import workspace_export_task

RECENT_AUDIT_ENTRIES = 20
RECENT_FAILURES = 10
USAGE_MONTHS = 12
TRIAL_DAYS_MAX = 365


# --- creation and inlines ------------------------------------------------------------------------


class TenantCreationForm(forms.ModelForm):
    """Add a workspace through the provisioning service (schema, domain, owner, subscription)."""

    schema_name = forms.CharField(label=gettext_lazy("Slug"), max_length=30)
    owner_email = forms.EmailField(label=gettext_lazy("Owner email"))
    owner_password = forms.CharField(
        label=gettext_lazy("Owner password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=gettext_lazy("Only for a new user; leave empty for an existing one."),
    )

    class Meta:
        model = Tenant
        fields = ["schema_name", "name"]

    def clean_schema_name(self) -> str:
        return clean_slug(self.cleaned_data["schema_name"])


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary", "verified_at"]
    readonly_fields = ["verified_at"]


class MembershipFormSet(forms.BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        if commit:
            tenancy.membership_delete(membership=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


# --- list filters ----------------------------------------------------------------------------------


class DeletionFilter(admin.SimpleListFilter):
    title = gettext_lazy("deletion")
    parameter_name = "deletion"

    def lookups(self, request, model_admin):
        return [("pending", gettext_lazy("Marked for deletion")), ("none", gettext_lazy("Not marked"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(delete_after__isnull=False)
        if self.value() == "none":
            return queryset.filter(delete_after__isnull=True)
        return queryset


class TrialFilter(admin.SimpleListFilter):
    title = gettext_lazy("trial")
    parameter_name = "trial"

    def lookups(self, request, model_admin):
        return [
            ("trialing", gettext_lazy("Trialing")),
            ("ending", gettext_lazy("Trial ends within 7 days")),
            ("no", gettext_lazy("Not trialing")),
        ]

    def queryset(self, request, queryset):
        trialing = {"subscription__status": Subscription.Status.TRIALING}
        if self.value() == "trialing":
            return queryset.filter(**trialing)
        if self.value() == "ending":
            return queryset.filter(
                **trialing, subscription__trial_ends_at__lte=timezone.now() + timedelta(days=7)
            )
        if self.value() == "no":
            return queryset.exclude(**trialing)
        return queryset


# --- action forms ----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=gettext_lazy("Shown to the workspace's owners on the suspended page and e-mailed to them."),
    )


class ConfirmForm(forms.Form):
    """An action that needs nothing but the operator's confirmation (the POST itself)."""


class PlanForm(forms.Form):
    plan = forms.ModelChoiceField(label=gettext_lazy("Plan"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.all()


class TrialForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Days"),
        min_value=1,
        max_value=TRIAL_DAYS_MAX,
        initial=14,
        help_text=gettext_lazy("Added to the trial's end (or to now, if it has ended)."),
    )


class DeleteForm(ReasonForm):
    slug = forms.CharField(
        label=gettext_lazy("Type the workspace's slug to confirm"), max_length=30, strip=True
    )

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant

    def clean_slug(self) -> str:
        if self.cleaned_data["slug"] != self.tenant.schema_name:
            raise forms.ValidationError(_("This is not the workspace's slug."))
        return self.cleaned_data["slug"]


# --- the admin ---------------------------------------------------------------------------------


def _money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency.upper()}"


def _subscription(tenant: Tenant) -> Subscription | None:
    try:
        return tenant.subscription
    except Subscription.DoesNotExist:
        return None


class WorkspaceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "schema_name", "status_label", "plan", "trial_end", "mrr", "designs_month",
        "ai_cost_month", "ai_tokens_month", "emails_month", "last_activity", "owner_email",
        "member_count",
    ]  # fmt: skip
    list_filter = ["status", "subscription__plan", TrialFilter, "subscription__status", DeletionFilter]
    search_fields = ["name", "schema_name", "domains__domain", "memberships__user__email"]
    ordering = ["-created_at"]
    list_select_related = ["subscription__plan"]
    list_per_page = 50
    inlines = [DomainInline, MembershipInline]
    change_form_template = "admin/console/workspaces/change_form.html"
    actions = None  # each action has its own confirmation page, from the workspace's page

    def get_queryset(self, request):
        memberships = Membership.objects.filter(tenant=OuterRef("pk")).order_by()
        owners = memberships.filter(role=Role.OWNER).order_by("created_at").values("user__email")
        counts = memberships.values("tenant").annotate(count=Count("pk")).values("count")
        last_login = memberships.values("tenant").annotate(last=Max("user__last_login")).values("last")
        return (
            super()
            .get_queryset(request)
            .exclude(schema_name=get_public_schema_name())
            .annotate(
                member_count=Subquery(counts[:1]),
                owner_email=Subquery(owners[:1]),
                last_activity_at=Greatest(audit_last_at(), Subquery(last_login[:1])),
                designs_used=billing.usage_this_month(Limit.DESIGNS),
                emails_used=billing.usage_this_month(Limit.EMAILS),
                ai_tokens_used=billing.usage_this_month(Limit.AI_TOKENS),
            )
        )

    def get_changelist_instance(self, request):
        """The page's AI cost this month: one query over the page's schemas (ai selectors)."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        costs = ai_cost_by_schema(schemas=[t.schema_name for t in rows], since=_month_start_moment())
        for tenant in rows:
            tenant.ai_cost = costs.get(tenant.schema_name)
        return changelist

    # --- columns

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, tenant: Tenant) -> str:
        if tenant.delete_after:
            return _("Deletion on %(date)s") % {"date": f"{tenant.delete_after:%Y-%m-%d}"}
        return tenant.get_status_display()

    @admin.display(description=gettext_lazy("plan"), ordering="subscription__plan__position")
    def plan(self, tenant: Tenant) -> str:
        subscription = _subscription(tenant)
        if subscription is None:
            return "—"
        return f"{subscription.plan} ({subscription.get_status_display()})"

    @admin.display(description=gettext_lazy("trial ends"), ordering="subscription__trial_ends_at")
    def trial_end(self, tenant: Tenant):
        subscription = _subscription(tenant)
        return subscription.trial_ends_at if subscription and subscription.trial_ends_at else None

    @admin.display(description=gettext_lazy("MRR"))
    def mrr(self, tenant: Tenant) -> str:
        subscription = _subscription(tenant)
        cents = billing.subscription_mrr(subscription)
        return _money(cents, subscription.currency) if cents else "—"

    @admin.display(description=gettext_lazy("AI designs (month)"), ordering="designs_used")
    def designs_month(self, tenant: Tenant) -> int:
        return tenant.designs_used or 0

    @admin.display(description=gettext_lazy("e-mails (month)"), ordering="emails_used")
    def emails_month(self, tenant: Tenant) -> int:
        return tenant.emails_used or 0

    @admin.display(description=gettext_lazy("AI tokens (month)"), ordering="ai_tokens_used")
    def ai_tokens_month(self, tenant: Tenant) -> int:
        return tenant.ai_tokens_used or 0

    @admin.display(description=gettext_lazy("AI cost (month, USD)"))
    def ai_cost_month(self, tenant: Tenant) -> str:
        cost = getattr(tenant, "ai_cost", None)
        return f"{cost:.2f}" if cost is not None else "—"

    @admin.display(description=gettext_lazy("last activity"), ordering="last_activity_at")
    def last_activity(self, tenant: Tenant):
        return tenant.last_activity_at

    @admin.display(description=gettext_lazy("owner"), ordering="owner_email")
    def owner_email(self, tenant: Tenant) -> str:
        return tenant.owner_email or "—"

    @admin.display(description=gettext_lazy("members"), ordering="member_count")
    def member_count(self, tenant: Tenant) -> int:
        return tenant.member_count or 0

    # --- add and change forms

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TenantCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["schema_name", "name", "owner_email", "owner_password"]
        return ["name", "schema_name", "status", "created_at", "suspended_at", "suspension_reason"] + [
            "delete_after"
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["schema_name", "status", "created_at", "suspended_at", "suspension_reason", "delete_after"]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        tenant = accounts.tenant_provision(
            slug=form.cleaned_data["schema_name"],
            name=form.cleaned_data["name"],
            owner_email=form.cleaned_data["owner_email"],
            owner_password=form.cleaned_data["owner_password"] or None,
        )
        obj.pk = tenant.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # no immediate delete: "Delete" marks the workspace, dropped after the grace period

    def can_mark_for_deletion(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('delete', opts)}")

    # --- the workspace's page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tenant = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if tenant is not None:
            extra.update(self._page_context(request, tenant))
        return super().change_view(request, object_id, form_url, extra)

    def _page_context(self, request, tenant: Tenant) -> dict:
        since = month_start(timezone.now() - timedelta(days=31 * (USAGE_MONTHS - 1)))
        with tenant_context(tenant):
            failed_designs = list(
                design_list(status=Design.Status.FAILED).order_by("-created_at")[:RECENT_FAILURES]
            )
            failing_deliveries = deliveries_failing(limit=RECENT_FAILURES)
            ai_costs = ai_cost_by_month(since=_month_start_moment(since))
        usage = billing.usage_history(tenant, months=USAGE_MONTHS)
        by_period = {row["period"]: row for row in usage}
        for period in ai_costs:
            by_period.setdefault(period, {"period": period})
        usage_rows = [
            {
                "period": period,
                "designs": by_period[period].get(Limit.DESIGNS, 0),
                "emails": by_period[period].get(Limit.EMAILS, 0),
                "ai_tokens": by_period[period].get(Limit.AI_TOKENS, 0),
                "ai_cost": ai_costs.get(period),
            }
            for period in sorted(by_period, reverse=True)
        ]
        subscription = billing.subscription_get(tenant)
        can_change = self.has_change_permission(request, tenant)
        return {
            "workspace": tenant,
            "subscription": subscription,
            "mrr": _money(billing.subscription_mrr(subscription), subscription.currency)
            if subscription
            else "",
            "api_keys": list(tenant.api_keys.order_by("-created_at")),
            "usage_rows": usage_rows,
            "audit_entries": list(audit_list(tenant=tenant)[:RECENT_AUDIT_ENTRIES]),
            "failed_designs": failed_designs,
            "failing_deliveries": failing_deliveries,
            "can_change": can_change,
            "can_delete": self.can_mark_for_deletion(request),
            "export_pending": tenant.export_requested_at is not None,
            "export_ready": bool(tenant.export_file),
            "can_view_as": tenant.is_active and can_view_as(request.user),
            "view_as_url": reverse("admin-support-start", args=[tenant.pk]),
            "action_urls": {
                name: reverse(
                    f"admin:tenants_tenant_{name}", args=[tenant.pk], current_app=self.admin_site.name
                )
                for name in ACTIONS
            },
        }

    # --- actions: each a confirmation page

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/{name.replace('_', '-')}/",
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name=f"tenants_tenant_{name}",
            )
            for name in ACTIONS
        ]
        return urls + super().get_urls()

    def _tenant_or_404(self, request, object_id) -> Tenant:
        tenant = self.get_object(request, object_id)
        if tenant is None:
            raise Http404
        return tenant

    def _change_url(self, tenant: Tenant) -> str:
        return reverse("admin:tenants_tenant_change", args=[tenant.pk], current_app=self.admin_site.name)

    def _action(
        self, request, object_id, *, form_class, title, intro, submit, apply, danger=False, **form_kwargs
    ):
        """The confirmation page of an action (GET), and the action once confirmed (POST)."""
        tenant = self._tenant_or_404(request, object_id)
        if not self.has_change_permission(request, tenant):
            raise PermissionDenied
        form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                message = apply(tenant, form.cleaned_data)
            if message:
                self.log_change(request, tenant, message)
                self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(self._change_url(tenant))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": tenant,
            "workspace": tenant,
            "title": title,
            "intro": intro,
            "form": form,
            "submit": submit,
            "danger": danger,
            "change_url": self._change_url(tenant),
        }
        return TemplateResponse(request, "admin/console/workspaces/action.html", context)

    def suspend_view(self, request, object_id):
        def apply(tenant, data):
            tenancy.tenant_suspend(tenant=tenant, reason=data["reason"])
            return _("Workspace suspended; its owners were told why.")

        return self._action(
            request,
            object_id,
            form_class=ReasonForm,
            title=_("Suspend the workspace"),
            intro=_(
                "Its dashboard, API keys and widget stop working until it is reactivated; its data is "
                "kept. Its owners see the reason on the suspended page and receive it by e-mail."
            ),
            submit=_("Suspend"),
            apply=apply,
            danger=True,
        )

    def reactivate_view(self, request, object_id):
        def apply(tenant, data):
            tenancy.tenant_reactivate(tenant=tenant)
            return _("Workspace reactivated.")

        return self._action(
            request,
            object_id,
            form_class=ConfirmForm,
            title=_("Reactivate the workspace"),
            intro=_("Its dashboard, API keys and widget work again at once."),
            submit=_("Reactivate"),
            apply=apply,
        )

    def plan_view(self, request, object_id):
        def apply(tenant, data):
            subscription = billing.subscription_get(tenant)
            billing_services.subscription_assign(
                tenant=tenant,
                plan=data["plan"],
                current_period_end=subscription.current_period_end if subscription else None,
            )
            return _("Plan set to %(plan)s.") % {"plan": data["plan"].name}

        intro = _(
            "The workspace is on the chosen plan from now on (any trial ends); its limits apply at once."
        )
        if billing_services.billing_mode() == "stripe":
            intro += " " + _("Stripe is configured: a Stripe subscription's next event sets its plan again.")
        return self._action(
            request,
            object_id,
            form_class=PlanForm,
            title=_("Change the plan"),
            intro=intro,
            submit=_("Change the plan"),
            apply=apply,
        )

    def trial_view(self, request, object_id):
        def apply(tenant, data):
            subscription = billing.subscription_get(tenant)
            if subscription is None:
                return None
            now = timezone.now()
            start = (
                subscription.trial_ends_at
                if subscription.trial_ends_at and subscription.trial_ends_at > now
                else now
            )
            ends = start + timedelta(days=data["days"])
            billing_services.subscription_assign(
                tenant=tenant,
                plan=subscription.plan,
                status=Subscription.Status.TRIALING,
                trial_ends_at=ends,
                current_period_end=subscription.current_period_end,
            )
            return _("Trial extended to %(date)s.") % {"date": f"{ends:%Y-%m-%d}"}

        return self._action(
            request,
            object_id,
            form_class=TrialForm,
            title=_("Extend the trial"),
            intro=_(
                "The workspace stays on a trial of its current plan until the new date, then falls back "
                "to Starter unless it subscribes."
            ),
            submit=_("Extend the trial"),
            apply=apply,
        )

    def export_view(self, request, object_id):
        def apply(tenant, data):
            tenancy.tenant_export_requested(tenant=tenant)
            transaction.on_commit(lambda: workspace_export_task.delay(tenant.pk))
            return _("Export requested: its download link appears on this page when it is ready.")

        return self._action(
            request,
            object_id,
            form_class=ConfirmForm,
            title=_("Export the workspace's data"),
            intro=_(
                "A zip of its orders, customers, products and designs (CSV) and of the workspace itself "
                "(JSON), built in the background. It holds personal data: keep it safe."
            ),
            submit=_("Export"),
            apply=apply,
        )

    def export_download_view(self, request, object_id):
        tenant = self._tenant_or_404(request, object_id)
        if not self.has_change_permission(request, tenant):
            raise PermissionDenied
        if not tenant.export_file:
            raise Http404
        filename = f"luneo-{tenant.schema_name}-export.zip"
        return FileResponse(tenant.export_file.open("rb"), as_attachment=True, filename=filename)

    def delete_soft_view(self, request, object_id):
        tenant = self._tenant_or_404(request, object_id)
        if not self.can_mark_for_deletion(request):
            raise PermissionDenied
        subscription = billing.subscription_get(tenant)
        if subscription is not None and subscription.stripe_subscription_id:
            self.message_user(
                request,
                _("Cancel the workspace's Stripe subscription first: it would still be charged."),
                messages.ERROR,
            )
            return HttpResponseRedirect(self._change_url(tenant))

        def apply(tenant, data):
            tenant = tenancy.tenant_delete_schedule(tenant=tenant, reason=data["reason"])
            return _("Workspace suspended and marked for deletion on %(date)s.") % {
                "date": f"{tenant.delete_after:%Y-%m-%d}"
            }

        return self._action(
            request,
            object_id,
            form_class=DeleteForm,
            tenant=tenant,
            title=_("Delete the workspace"),
            intro=_(
                "The workspace is suspended now and its schema and data are dropped after %(days)d days; "
                "until then it can be restored from this page. Export its data first if it is needed."
            )
            % {"days": settings.WORKSPACE_DELETION_GRACE_DAYS},
            submit=_("Delete"),
            apply=apply,
            danger=True,
        )

    def restore_view(self, request, object_id):
        def apply(tenant, data):
            if tenant.delete_after is None:
                return None
            tenancy.tenant_restore(tenant=tenant)
            return _("Deletion called off: the workspace is active again.")

        return self._action(
            request,
            object_id,
            form_class=ConfirmForm,
            title=_("Restore the workspace"),
            intro=_("Its deletion is called off and it is active again."),
            submit=_("Restore"),
            apply=apply,
        )


# url name suffix → view (`<name>_view`; "delete" is the soft one, Django's own stays off).
ACTIONS = ["suspend", "reactivate", "plan", "trial", "export", "export_download", "delete_soft", "restore"]


def _month_start_moment(day: date | None = None) -> datetime:
    """The first instant (UTC) of the month of `day` (this month by default)."""
    day = day or month_start()
    return datetime(day.year, day.month, 1, tzinfo=UTC)
