"""What a campaign's recipients open, without an account, on the workspace's host: the click
redirect, the unsubscribe page (RFC 8058: a GET only shows a confirmation, because mail scanners
prefetch links; the POST unsubscribes, from the page or a mail client's one-click button) and the
preference centre. The recipient's token is the credential."""

import base64
import json

from anymail.webhooks.brevo import BrevoTrackingWebhookView
from django import forms
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tenants.utils import get_public_schema_name

from apps.core.api.errors import error_body
from apps.storefront.auth import client_ip

from . import optin
from .links import brevo_webhook_credentials, click_target
from .models import Recipient, TrackingEvent
from .services import Event, event_record, resubscribe, unsubscribe


def _workspace_only() -> None:
    """These pages exist on a workspace's host only."""
    if connection.schema_name == get_public_schema_name():
        raise Http404


def _recipient(token: str) -> Recipient:
    _workspace_only()
    recipient = Recipient.objects.select_related("customer", "campaign").filter(token=token).first()
    if recipient is None:
        raise Http404
    return recipient


@require_GET
def click(request, token: str):
    """Records the click, then sends the person where the link led. Only signed targets."""
    target = click_target(request.GET.get("u", ""))
    if target is None or not target.startswith(("https://", "http://")):
        raise Http404
    recipient = _recipient(token)
    event_record(Event(recipient=recipient, kind=TrackingEvent.Kind.CLICKED, at=timezone.now(), url=target))
    return HttpResponseRedirect(target)


# The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def opened(request, token: str):
    """The image of a campaign that tracks opens: the first load records the open."""
    recipient = _recipient(token)
    if not recipient.events.filter(event=TrackingEvent.Kind.OPENED).exists():
        event_record(Event(recipient=recipient, kind=TrackingEvent.Kind.OPENED, at=timezone.now()))
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def _page(request, recipient: Recipient, template: str, **context):
    context = {"recipient": recipient, "workspace": connection.tenant, **context}
    return render(request, f"campaigns/public_{template}.html", context)


@csrf_exempt  # RFC 8058: mail clients POST without a session or a token of ours
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token: str):
    recipient = _recipient(token)
    if request.method == "GET":
        return _page(request, recipient, "unsubscribe")
    unsubscribe(recipient=recipient, ip=client_ip(request))
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(status=200)
    return _page(request, recipient, "unsubscribed")


@csrf_exempt  # reached from an e-mail: the token is the credential
@require_http_methods(["GET", "POST"])
def preferences_page(request, token: str):
    recipient = _recipient(token)
    if request.method == "POST":
        if request.POST.get("subscribe") == "yes":
            resubscribe(recipient=recipient, ip=client_ip(request))
        else:
            unsubscribe(recipient=recipient, ip=client_ip(request), source="preference centre")
        recipient = _recipient(token)
    subscribed = bool(recipient.customer and recipient.customer.marketing_consent)
    return _page(request, recipient, "preferences", subscribed=subscribed, saved=request.method == "POST")


class BrevoEvents(BrevoTrackingWebhookView):
    """django-anymail's Brevo tracking view, given the workspace's own credentials per request."""

    warn_if_no_basic_auth = False


@csrf_exempt
@require_POST
def brevo_tracking(request):
    """Brevo's event webhook (it signs nothing): refused unless the request carries the
    workspace's basic-auth credentials (`links.brevo_webhook_credentials`, checked by anymail)."""
    _workspace_only()
    try:
        event = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        event = None
    if not isinstance(event, dict):
        return JsonResponse(error_body("invalid_json", _("The body is not a JSON object.")), status=400)
    return BrevoEvents.as_view(basic_auth=[brevo_webhook_credentials()])(request)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=120, required=False)


@csrf_exempt  # the form may sit on the brand's own site; it only ever sends a confirmation
@require_http_methods(["GET", "POST"])
def subscribe_page(request):
    _workspace_only()
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        optin.subscribe(**form.cleaned_data, language=translation.get_language(), ip=client_ip(request))
        return render(request, "campaigns/public_subscribe_sent.html", {"workspace": connection.tenant})
    return render(request, "campaigns/public_subscribe.html", {"workspace": connection.tenant, "form": form})


@csrf_exempt  # reached from the confirmation message: the signed link is the credential
@require_http_methods(["GET", "POST"])
def confirm_page(request, token: str):
    _workspace_only()
    customer = optin.confirmation_customer(token)
    context = {"workspace": connection.tenant, "customer": customer, "confirmed": False}
    if customer is None:
        return render(request, "campaigns/public_confirm.html", context, status=410)
    if request.method == "POST":
        optin.confirm(customer=customer, ip=client_ip(request))
        context["confirmed"] = True
    return render(request, "campaigns/public_confirm.html", context)
