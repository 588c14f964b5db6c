"""The Luneo admin site: branded, and its index made of the sections an operator works in rather
than one block per Django app. Stripe's own models (dj-stripe's) are grouped under "Stripe
(advanced)" and shown only when Stripe is configured."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.billing.services import billing_mode

from .platform import platform_overview

# (section, model labels in the order shown); a model in no section goes to "Other".
SECTIONS = [
    (_("Workspaces"), ["tenants.tenant", "tenants.domain", "tenants.apikey"]),
    (
        _("People"),
        ["tenants.user", "tenants.membership", "accounts.invitation", "auth.group", "mfa.authenticator"],
    ),
    (
        _("Plans & billing"),
        [
            "billing.plan",
            "billing.subscription",
            "billing.usagecounter",
            "billing.invoice",
            "billing.stripeevent",
        ],
    ),
    (
        _("Workspace records"),
        ["brands.brand", "products.product", "designs.design", "orders.order", "crm.customer"],
    ),
    (_("Moderation"), ["console.moderation"]),
    (
        _("Jobs & webhooks"),
        [
            "console.jobs",
            "console.failedtask",
            "webhooks.webhookendpoint",
            "webhooks.webhookevent",
            "webhooks.webhookdelivery",
            "django_celery_beat.periodictask",
        ],
    ),
    (_("Support access"), ["accounts.supportsession"]),
    (_("AI usage"), ["ai.aiusage"]),
    (_("Audit"), ["audit.auditentry"]),
]
STRIPE_APP = "djstripe"


class LuneoAdminSite(admin.AdminSite):
    site_header = _("Luneo operators")
    site_title = _("Luneo operators")
    index_title = _("Operators' console")
    index_template = "admin/console_index.html"

    def index(self, request, extra_context=None):
        """The index: the platform's overview above the sections."""
        return super().index(request, {"overview": platform_overview(), **(extra_context or {})})

    def login(self, request, extra_context=None):
        """allauth's login page (its rate limits, then the second factor), not the admin's own form."""
        return secure_admin_login(super().login)(request, extra_context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        return sections(apps, stripe=billing_mode() == "stripe")


def _section(name, models: list[dict], label: str) -> dict:
    return {"name": name, "app_label": label, "app_url": "", "has_module_perms": True, "models": models}


def sections(apps: list[dict], *, stripe: bool) -> list[dict]:
    """Django's per-app index regrouped into SECTIONS; dj-stripe's apps become one "Stripe
    (advanced)" section when `stripe`, and are left out otherwise; the rest goes to "Other"."""
    by_label = {
        f"{app['app_label']}.{model['object_name'].lower()}": model
        for app in apps
        if app["app_label"] != STRIPE_APP
        for model in app["models"]
    }
    result, placed = [], set()
    for index, (name, labels) in enumerate(SECTIONS):
        models = [by_label[label] for label in labels if label in by_label]
        placed.update(labels)
        if models:
            result.append(_section(name, models, f"section-{index}"))
    other = [model for label, model in by_label.items() if label not in placed]
    if other:
        result.append(_section(_("Other"), other, "section-other"))
    stripe_models = [model for app in apps if app["app_label"] == STRIPE_APP for model in app["models"]]
    if stripe and stripe_models:
        result.append(_section(_("Stripe (advanced)"), stripe_models, "section-stripe"))
    return result
