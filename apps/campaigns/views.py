"""Dashboard pages for campaigns: the list, a campaign (start now or later, pause, resume,
cancel, live progress, funnel, send log and its CSV), and the audiences with their live size."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.csv_export import csv_download
from apps.core.errors import ApplicationError
from apps.crm.models import Customer
from apps.crm.selectors import catalog_choices
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from . import automations, services
from .delivery import sending_settings
from .forms import (
    AudienceForm,
    AutomationForm,
    CampaignFilterForm,
    CampaignForm,
    RecipientFilterForm,
    SendingSettingsForm,
    StartForm,
)
from .links import brevo_webhook_url
from .models import Audience, Campaign, Recipient, Template
from .selectors import (
    audience_list,
    audience_size,
    campaign_get,
    campaign_list,
    campaign_progress,
    campaign_revenue,
    catalog_families,
    recipient_rows,
)

PAGE_SIZE = 25
editor_required = role_required(Role.EDITOR)
admin_required = role_required(Role.ADMIN)


def _error(request, error: ApplicationError) -> None:
    # field messages only: a plan error's details also hold figures and links (`allowed`, `upgrade_url`)
    lists = [value for value in error.details.values() if isinstance(value, list | tuple)]
    details = " ".join(str(message) for messages_ in lists for message in messages_)
    messages.error(request, f"{error.message} {details}".strip())


# --- campaigns ---------------------------------------------------------------------------------


@require_GET
@member_required
def campaign_list_page(request):
    form = CampaignFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    campaigns = campaign_list(search=filters.get("q", ""), status=filters.get("status", ""))
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "has_campaigns": bool(page.object_list) or Campaign.objects.filter(automation="").exists(),
        "has_audiences": Audience.objects.exists(),
        "has_templates": Template.objects.exists(),
    }
    return render(request, "campaigns/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def campaign_create_page(request):
    form = CampaignForm(request.POST or None, initial={"audience": request.GET.get("audience")})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.cleaned_data, user_id=request.user.pk)
        except ApplicationError as error:
            _error(request, error)
        else:
            return redirect("dashboard:campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _campaign(pk: int) -> Campaign:
    campaign = campaign_get(pk=pk)
    if campaign is None:
        raise Http404
    return campaign


@require_GET
@member_required
def campaign_detail_page(request, pk: int):
    campaign = _campaign(pk)
    filter_form = RecipientFilterForm(request.GET or None)
    status = filter_form.cleaned_data.get("status", "") if filter_form.is_valid() else ""
    recipients = campaign.recipients.order_by("pk")
    if status:
        recipients = recipients.filter(status=status)
    context = {
        "campaign": campaign,
        "progress": campaign_progress(campaign),
        "revenue": campaign_revenue(campaign),
        "size": audience_size(campaign.audience.rules) if campaign.status == Campaign.Status.DRAFT else None,
        "start_form": StartForm(),
        "filter_form": filter_form,
        "page": Paginator(recipients, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": Campaign.Status,
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_GET
@member_required
def campaign_progress_partial(request, pk: int):
    """The progress card alone: the page polls it while the campaign sends."""
    campaign = _campaign(pk)
    context = {"campaign": campaign, "progress": campaign_progress(campaign), "statuses": Campaign.Status}
    return render(request, "campaigns/_progress.html", context)


@require_POST
@editor_required
def campaign_start_action(request, pk: int):
    campaign = _campaign(pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("dashboard:campaigns:detail", pk=pk)
    try:
        campaign = services.campaign_start(campaign=campaign, at=form.send_at())
    except ApplicationError as error:
        _error(request, error)
    else:
        if campaign.status == Campaign.Status.SCHEDULED:
            messages.success(request, _("The campaign is scheduled."))
        else:
            messages.success(request, _("The campaign is sending."))
    return redirect("dashboard:campaigns:detail", pk=pk)


ACTIONS = {
    "pause": (services.campaign_pause, gettext_lazy("The campaign is paused.")),
    "resume": (services.campaign_resume, gettext_lazy("The campaign is sending again.")),
    "cancel": (
        services.campaign_cancel,
        gettext_lazy("The campaign is cancelled: nothing more will be sent."),
    ),
}


@require_POST
@editor_required
def campaign_action(request, pk: int, action: str):
    change, done = ACTIONS[action]
    try:
        change(campaign=_campaign(pk))
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, done)
    return redirect("dashboard:campaigns:detail", pk=pk)


@require_GET
@member_required
def campaign_recipients_export(request, pk: int):
    campaign = _campaign(pk)
    status = request.GET.get("status", "")
    status = status if status in Recipient.Status.values else ""
    return csv_download(recipient_rows(campaign, status=status), f"campaign-{campaign.pk}-recipients.csv")


# --- audiences ---------------------------------------------------------------------------------


def _audience_form(request, *, initial=None) -> AudienceForm:
    data = request.POST if request.method == "POST" else (request.GET if "name" in request.GET else None)
    return AudienceForm(data, initial=initial, catalog_items=catalog_choices(), families=catalog_families())


@require_GET
@member_required
def audience_list_page(request):
    search = request.GET.get("q", "").strip()
    page = Paginator(audience_list(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(audience, audience_size(audience.rules, sample=False)) for audience in page.object_list]
    context = {"page": page, "rows": rows, "search": search, "has_audiences": Audience.objects.exists()}
    return render(request, "campaigns/audience_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def audience_edit_page(request, pk: int | None = None):
    audience = get_object_or_404(Audience, pk=pk) if pk else None
    form = _audience_form(request, initial=AudienceForm.initial_from(audience) if audience else None)
    if request.method == "POST" and form.is_valid():
        try:
            audience = services.audience_save(
                audience=audience, name=form.cleaned_data["name"], rules=form.rules(), user_id=request.user.pk
            )
        except ApplicationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The audience is saved."))
            return redirect("dashboard:campaigns:audience", pk=audience.pk)
    rules = audience.rules if audience else {}
    context = {"form": form, "audience": audience, "size": audience_size(rules)}
    return render(request, "campaigns/audience_form.html", context)


@require_GET
@member_required
def audience_size_partial(request):
    """The live count and sample while the rules are edited (the form's fields, as a GET)."""
    form = AudienceForm(request.GET, catalog_items=catalog_choices(), families=catalog_families())
    form.is_valid()
    form.cleaned_data.setdefault("countries", [])
    try:
        size = audience_size(services.rules_clean(form.rules()))
    except ApplicationError as error:
        return render(request, "campaigns/_audience_size.html", {"error": error.message})
    return render(request, "campaigns/_audience_size.html", {"size": size})


@require_POST
@editor_required
def audience_delete_action(request, pk: int):
    try:
        services.audience_delete(audience=get_object_or_404(Audience, pk=pk))
    except ApplicationError as error:
        _error(request, error)
        return redirect("dashboard:campaigns:audience", pk=pk)
    messages.success(request, _("The audience is deleted."))
    return redirect("dashboard:campaigns:audiences")


# --- a person's data (GDPR) --------------------------------------------------------------------


@require_GET
@admin_required
def contact_privacy_page(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    return render(request, "campaigns/contact_privacy.html", {"customer": customer})


@require_GET
@admin_required
def contact_export(request, pk: int):
    """Everything held about the person, as one JSON file (an access request)."""
    customer = get_object_or_404(Customer, pk=pk)
    response = JsonResponse(
        services.contact_data(customer), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}-data.json"'
    return response


@require_POST
@admin_required
def contact_erase_action(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    typed = request.POST.get("confirm", "").strip().lower()
    if not customer.email or typed != customer.email:
        messages.error(request, _("Type the customer's e-mail address to confirm the erasure."))
        return redirect("dashboard:campaigns:contact-privacy", pk=pk)
    services.contact_erase(customer=customer)
    messages.success(
        request, _("The customer's personal data is erased; their address is on the suppression list.")
    )
    return redirect("dashboard:crm:detail", pk=pk)


# --- how the workspace sends -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def sending_settings_page(request):
    current = sending_settings()
    initial = {"from_email": current.from_email, "rate_per_minute": current.rate_per_minute}
    form = SendingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.sending_settings_save(**form.cleaned_data)
        messages.success(request, _("The sending settings are saved."))
        return redirect("dashboard:campaigns:sending-settings")
    context = {
        "form": form,
        "current": current,
        "platform_brevo": bool(settings.BREVO_API_KEY),
        "brevo_webhook_url": brevo_webhook_url(),
    }
    return render(request, "campaigns/sending_settings.html", context)


# --- automations -------------------------------------------------------------------------------


def _automation_form(spec, campaign, data=None) -> AutomationForm:
    initial = {"delay": spec.delay_default, "enabled": True}
    if campaign is not None:
        initial = {
            "template": campaign.template_id,
            "delay": campaign.automation_delay,
            "enabled": automations.automation_on(campaign),
        }
    return AutomationForm(data, spec=spec, initial=initial)


def _automation_cards(bound: dict | None = None) -> list[dict]:
    bound = bound or {}
    return [
        {
            "kind": kind,
            "spec": spec,
            "campaign": campaign,
            "progress": campaign_progress(campaign) if campaign else None,
            "form": bound.get(kind) or _automation_form(spec, campaign),
        }
        for kind, spec, campaign in automations.automations()
    ]


def _automations_render(request, cards: list[dict], status: int = 200):
    context = {
        "cards": cards,
        "has_templates": Template.objects.exists(),
        "can_edit": request.membership.has_role(Role.EDITOR),
    }
    return render(request, "campaigns/automation_list.html", context, status=status)


@require_GET
@member_required
def automation_list_page(request):
    return _automations_render(request, _automation_cards())


@require_POST
@editor_required
def automation_save_action(request, kind: str):
    spec = automations.SPECS.get(kind)
    if spec is None:
        raise Http404
    form = _automation_form(spec, automations.automation_get(kind), request.POST)
    if form.is_valid():
        try:
            automations.automation_save(kind=kind, **form.cleaned_data, user_id=request.user.pk)
        except ApplicationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The automation is saved."))
            return redirect("dashboard:campaigns:automations")
    return _automations_render(request, _automation_cards({kind: form}), status=400)
