"""Copilot → Connectors (admins): connect, test and disconnect Notion, WhatsApp (Twilio) and Gmail
(its consent flow: views_gmail.py); and
Twilio's status callback and customers' replies, public on the workspace host and checked by
their signature.

Plain forms that htmx enhances: with `HX-Request` a connector's card is swapped in place."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.brands.forms import add_service_errors
from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required

from ..models import Connector
from . import proofs, services
from .forms import FORMS, form_initial
from .gmail import google_app
from .selectors import connector_get, connector_mask, whatsapp_message_list
from .whatsapp import inbound_url, status_callback_url

PAGE = "dashboard:copilot:connectors"
ABOUT = {
    "notion": gettext_lazy("Export copilot conversations and marketing plans as Notion pages."),
    "gmail": gettext_lazy(
        "Triage the inbox's recent threads into labels applied in Gmail (order question, complaint, "
        "supplier, other) and draft replies you review: the copilot never sends an e-mail."
    ),
    "whatsapp": gettext_lazy(
        "Send WhatsApp template messages through your Twilio account when an order is placed or a "
        "design is ready — only to customers who agreed to marketing messages and have a phone number."
    ),
}


def _kind(kind: str) -> str:
    if kind not in Connector.Kind.values:
        raise Http404
    return kind


def _card(kind: str, form=None) -> dict:
    connector = connector_get(kind=kind)
    return {
        "kind": kind,
        "label": Connector.Kind(kind).label,
        "about": ABOUT[kind],
        "connector": connector,
        "mask": connector_mask(connector) if connector else "",
        "form": form or (FORMS[kind](initial=form_initial(kind, connector)) if kind in FORMS else None),
        "google_ready": kind == Connector.Kind.GMAIL and google_app() is not None,
        "sent": whatsapp_message_list() if kind == "whatsapp" and connector else [],
    }


def _page(request, status: int = 200, **forms):
    cards = [_card(kind, forms.get(kind)) for kind in Connector.Kind.values]
    return render(request, "copilot/connectors.html", {"cards": cards}, status=status)


def _answer(request, kind: str, *, status: int = 200, form=None):
    """htmx: the connector's card; otherwise the page (after a success, redirected to it)."""
    if request.headers.get("HX-Request"):
        return render(request, "copilot/connectors_card.html", {"card": _card(kind, form)}, status=status)
    if status == 200:
        return redirect(PAGE)
    return _page(request, status, **{kind: form})


@never_cache
@require_GET
@admin_required
def connectors_page(request):
    return _page(request)


@never_cache
@require_POST
@admin_required
def connect_action(request, kind: str):
    if kind not in FORMS:
        raise Http404
    form = FORMS[kind](request.POST)
    if form.is_valid():
        try:
            services.connector_connect(kind=kind, credentials=form.credentials(), options=form.options())
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%s is connected.") % Connector.Kind(kind).label)
            return _answer(request, kind)
    return _answer(request, kind, status=400, form=form)


@never_cache
@require_POST
@admin_required
def test_action(request, kind: str):
    connector = connector_get(kind=_kind(kind))
    if connector is None:
        raise Http404
    connector = services.connector_test(connector=connector)
    if connector.status == Connector.Status.CONNECTED:
        messages.success(request, _("%s answered: the connection works.") % connector.get_kind_display())
    else:
        messages.error(request, connector.last_error)
    return _answer(request, kind)


@never_cache
@require_http_methods(["GET", "POST"])
@admin_required
def disconnect_action(request, kind: str):
    """GET: the confirmation step; POST: the connector and its credentials are deleted."""
    connector = connector_get(kind=_kind(kind))
    if connector is None:
        raise Http404
    if request.method == "GET":
        return render(request, "copilot/connectors_disconnect.html", {"connector": connector})
    services.connector_disconnect(connector=connector)
    label = connector.get_kind_display()
    messages.success(request, _("%s is disconnected: its credentials are erased.") % label)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(PAGE)
        return response
    return redirect(PAGE)


@csrf_exempt
@require_POST
def whatsapp_status(request):
    """Twilio's status callback: 403 unless signed, 400 bad input, 404 an unknown message."""
    try:
        services.whatsapp_status_record(
            url=status_callback_url(),
            params=dict(request.POST.lists()),
            signature=request.headers.get("X-Twilio-Signature", ""),
        )
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)


EMPTY_TWIML = "<Response/>"  # Twilio expects a 200 with TwiML: an empty one sends no reply


@csrf_exempt
@require_POST
def whatsapp_inbound(request):
    """A customer's WhatsApp reply, posted by Twilio: 403 unless signed, 400 bad input; otherwise
    200 with empty TwiML, whether or not a proof awaited it."""
    try:
        proofs.whatsapp_reply_record(
            url=inbound_url(),
            params=dict(request.POST.lists()),
            signature=request.headers.get("X-Twilio-Signature", ""),
        )
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml; charset=utf-8")
