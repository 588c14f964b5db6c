"""Dashboard page Settings → Integrations: connect a shop, import its products, see its webhooks."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.brands.forms import add_service_errors
from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, member_required

from .forms import FORMS, ConnectForm
from .models import Integration
from .selectors import LIVE, import_progress, inbound_webhook_list, integration_get, integration_hints
from .services import (
    SHOPS,
    integration_connect,
    integration_disconnect,
    integration_import_queue,
)

LIST = "dashboard:integrations:list"


def _shop(request, kind: str, form: ConnectForm | None = None) -> dict:
    """Everything the page shows about one kind of shop."""
    integration = integration_get(kind=kind)
    connected = integration is not None and integration.status in LIVE
    if form is None:
        initial = {"shop_url": integration.shop_url, "brand": integration.brand_id} if integration else None
        form = FORMS[kind](initial=initial)
    return {
        "kind": kind,
        "label": Integration.Kind(kind).label,
        "integration": integration,
        "connected": connected,
        "form": form,
        "hints": integration_hints(integration=integration) if connected else [],
        "webhook_url": request.build_absolute_uri(reverse("integration_webhook", kwargs={"kind": kind})),
        "topic": SHOPS[kind].WEBHOOK.order_topic,
        "progress": import_progress(kind=kind),
        "deliveries": inbound_webhook_list(kind=kind) if integration else [],
    }


def _live(kind: str) -> Integration:
    integration = integration_get(kind=kind)
    if integration is None or integration.status not in LIVE:
        raise Http404
    return integration


@member_required
def integration_list(request):
    return render(request, "integrations/list.html", {"shops": [_shop(request, kind) for kind in FORMS]})


@member_required
def integration_import_status(request, kind: str):
    """One shop's import status: polled by the page while an import runs."""
    return render(request, "integrations/partials/import.html", {"shop": _shop(request, kind)})


@never_cache
@require_POST
@admin_required
def integration_connect_view(request, kind: str):
    form = FORMS[kind](request.POST)
    if form.is_valid():
        try:
            integration_connect(
                kind=kind,
                shop_url=form.cleaned_data["shop_url"],
                credentials=form.credentials(),
                brand=form.cleaned_data["brand"],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%s is connected.") % Integration.Kind(kind).label)
            return redirect(LIST)
    shops = [_shop(request, name, form if name == kind else None) for name in FORMS]
    return render(request, "integrations/list.html", {"shops": shops}, status=400)


@require_POST
@admin_required
def integration_disconnect_view(request, kind: str):
    integration_disconnect(integration=_live(kind))
    messages.success(request, _("%s is disconnected.") % Integration.Kind(kind).label)
    return redirect(LIST)


@require_POST
@admin_required
def integration_import_view(request, kind: str):
    if integration_import_queue(integration=_live(kind)):
        messages.success(request, _("Import started. New products arrive as drafts."))
    else:
        messages.warning(request, _("An import is already under way."))
    return redirect(LIST)
