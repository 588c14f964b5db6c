"""Gmail: connecting it through Google's consent (admins), and Copilot → Inbox (editors): the
triaged threads, their labels and the order each is about, and reply drafts saved to Gmail.

Google sends everyone back to one address on the public host (`google_return`), which forwards
the browser to the workspace the signed `state` names; there the admin's session must hold the
state's nonce before the code is exchanged (a consent started elsewhere cannot land here)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, role_required
from apps.tenants.models import Role
from apps.tenants.selectors import tenant_by_schema
from apps.tenants.services import tenant_url

from ..engine import action_propose, member_asker
from ..models import Connector, EmailThread
from . import gmail, inbox, services
from .selectors import connector_get, email_thread_get, email_thread_list

CONNECTORS = "dashboard:copilot:connectors"
INBOX = "dashboard:copilot:inbox"
PAGE_SIZE = 25
editor_required = role_required(Role.EDITOR)


@never_cache
@require_POST
@admin_required
def gmail_authorize(request):
    """Off to Google's consent page."""
    try:
        return redirect(gmail.authorize_url(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(CONNECTORS)


@never_cache
@require_GET
def google_return(request):
    """Public host: Google's answer, forwarded to the workspace its signed state names."""
    data = gmail.state_read(request.GET.get("state", ""))
    tenant = tenant_by_schema(data["schema"]) if data else None
    if tenant is None:
        return HttpResponseBadRequest(_("This Google sign-in link is invalid or has expired."))
    query = urlencode({key: request.GET.get(key, "") for key in ("code", "state", "error")})
    callback = reverse("dashboard:copilot:gmail-callback", urlconf=settings.ROOT_URLCONF)
    return redirect(tenant_url(tenant, f"{callback}?{query}"))


@never_cache
@require_GET
@admin_required
def gmail_callback(request):
    """The workspace: the state checked against this admin's session, then the code exchanged."""
    if not gmail.state_check(request, request.GET.get("state", "")):
        messages.error(request, _("This Google sign-in link is invalid or has expired: connect Gmail again."))
    elif request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("Gmail was not connected: the access was not granted on Google's page."))
    else:
        try:
            connector = services.gmail_connect(code=request.GET["code"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Gmail is connected: %(email)s.") % {"email": connector.settings["email"]}
            )
    return redirect(CONNECTORS)


# --- the inbox -----------------------------------------------------------------------------------


@never_cache
@require_GET
@editor_required
def inbox_page(request):
    label = request.GET.get("label", "")
    label = label if label in EmailThread.Label.values else ""
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(email_thread_list(label=label, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "connector": connector_get(kind=Connector.Kind.GMAIL),
        "page": page,
        "query": query.urlencode(),
        "label": label,
        "search": search,
        "labels": EmailThread.Label.choices,
        "progress": inbox.inbox_progress(),
    }
    template = "copilot/inbox_list.html" if request.headers.get("HX-Request") else "copilot/inbox.html"
    return render(request, template, context)


@never_cache
@require_POST
@editor_required
def inbox_sync_action(request):
    try:
        queued = inbox.inbox_sync_request()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if queued:
            messages.success(request, _("Triage started: new threads appear as they are read."))
        else:
            messages.info(request, _("A triage is already running."))
    return redirect(INBOX)


def _thread(pk: int) -> EmailThread:
    thread = email_thread_get(pk=pk)
    if thread is None:
        raise Http404
    return thread


@never_cache
@require_GET
@editor_required
def thread_page(request, pk: int):
    thread = _thread(pk)
    draft, provider = thread.draft, ""
    if not draft:
        draft, provider = inbox.draft_suggest(thread)
    return render(request, "copilot/inbox_thread.html", _thread_context(thread, draft, provider))


def _thread_context(thread: EmailThread, draft: str, provider: str, error: str = "") -> dict:
    reprint = thread.correction.get("wrong") and thread.order_number
    return {
        "thread": thread,
        "draft": draft,
        "provider": provider,
        "error": error,
        "reprint_url": reverse("dashboard:copilot:inbox-reprint", args=[thread.pk]) if reprint else "",
    }


@never_cache
@require_POST
@editor_required
def draft_action(request, pk: int):
    """Save the reviewed reply as a Gmail draft (never sent)."""
    thread = _thread(pk)
    text = request.POST.get("draft", "")
    try:
        inbox.draft_save(thread=thread, text=text)
    except ApplicationError as exc:
        context = _thread_context(thread, text, "", exc.message)
        return render(request, "copilot/inbox_thread.html", context, status=exc.status)
    messages.success(request, _("The draft is saved in Gmail: review and send it from there."))
    return redirect("dashboard:copilot:inbox-thread", pk=thread.pk)


@never_cache
@require_POST
@editor_required
def reprint_action(request, pk: int):
    """The copilot's card for the correction the e-mail asks for, in a new conversation: the
    before/after preview, and nothing done until confirmed there."""
    thread = _thread(pk)
    if not (thread.correction.get("wrong") and thread.order_number):
        raise Http404
    arguments = {"order": f"LU-{thread.order_number:06d}", **thread.correction}
    text = _(
        "Reprint order %(order)s: “%(right)s” instead of “%(wrong)s” (as %(sender)s asks by e-mail)."
    ) % {
        **arguments,
        "sender": thread.sender,
    }
    try:
        answer = action_propose(
            member_asker(request.user, request.membership.role), text, "reprint_corrected_design", arguments
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:copilot:inbox-thread", pk=thread.pk)
    return redirect("dashboard:copilot:conversation", pk=answer.conversation.pk)
