"""Dashboard pages of the copilot: the full page (conversations, search, one conversation), the
side panel every dashboard page opens, asking, confirming or cancelling a proposed action, and
the retention setting. Plain forms that htmx enhances: an answer swaps the conversation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import ApplicationError, RateLimited
from apps.tenants.decorators import admin_required, member_required

from . import services
from .engine import action_cancel, action_confirm, ai_copilot_on, ask, member_asker
from .forms import AskForm, CopilotSettingsForm, SearchForm
from .models import Conversation
from .selectors import (
    action_get,
    conversation_get,
    conversation_list,
    conversation_messages,
    copilot_settings,
)

PAGE_SIZE = 30
DECISIONS = {"confirm": action_confirm, "cancel": action_cancel}


def _asker(request):
    return member_asker(request.user, request.membership.role)


def _conversation(request, pk: int) -> Conversation:
    conversation = conversation_get(pk, user_id=request.user.pk)
    if conversation is None:
        raise Http404
    return conversation


def _page(request) -> str:
    """The dashboard page the copilot is asked from (the panel's form and live link carry it)."""
    return request.POST.get("page") or request.GET.get("page") or request.path


def _context(request, conversation: Conversation | None, **extra) -> dict:
    return {
        "conversation": conversation,
        "chat": conversation_messages(conversation) if conversation else [],
        "ask_form": AskForm(initial={"page": extra.pop("page", None) or _page(request)}),
        "ai_copilot": ai_copilot_on(),
        "panel": request.GET.get("panel") == "1" or request.POST.get("panel") == "1",
        **extra,
    }


def _conversation_response(request, conversation: Conversation | None, **extra):
    """htmx: the conversation (or the empty panel), swapped; otherwise its page (or the copilot's)."""
    if request.headers.get("HX-Request"):
        return render(request, "copilot/_conversation.html", _context(request, conversation, **extra))
    for error in extra.values():
        messages.error(request, error)
    if conversation is None:
        return redirect("dashboard:copilot:home")
    return redirect("dashboard:copilot:conversation", pk=conversation.pk)


@require_GET
@member_required
def copilot_page(request, pk: int | None = None):
    conversation = _conversation(request, pk) if pk is not None else None
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(conversation_list(user_id=request.user.pk, search=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = _context(request, conversation, page="/copilot/")
    context |= {"search": search, "conversations": page, "query": params.urlencode()}
    return render(request, "copilot/page.html", context)


@require_GET
@member_required
def panel_partial(request):
    """The side panel: the person's latest conversation, asked from the page they are on."""
    latest = conversation_list(user_id=request.user.pk).first()
    return render(request, "copilot/_conversation.html", _context(request, latest))


@require_GET
@member_required
def live_partial(request, pk: int):
    return render(request, "copilot/_conversation.html", _context(request, _conversation(request, pk)))


@require_POST
@member_required
def ask_action(request, pk: int | None = None):
    conversation = _conversation(request, pk) if pk is not None else None
    form = AskForm(request.POST)
    if not form.is_valid():
        return _conversation_response(request, conversation, ask_error=_("Type a question first."))
    try:
        conversation = ask(
            conversation, _asker(request), form.cleaned_data["text"], page=form.cleaned_data["page"]
        ).conversation
    except RateLimited as error:
        response = render(request, "copilot/limited.html", {"error": error}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except ApplicationError as error:
        return _conversation_response(request, conversation, ask_error=error.message)
    return _conversation_response(request, conversation)


@require_POST
@member_required
def decide_action(request, key, decision: str):
    action = action_get(key, user_id=request.user.pk)
    if action is None or decision not in DECISIONS:
        raise Http404
    try:
        DECISIONS[decision](action, _asker(request))
    except ApplicationError as error:
        return _conversation_response(request, action.message.conversation, ask_error=error.message)
    return _conversation_response(request, action.message.conversation)


@require_POST
@member_required
def delete_action(request, pk: int):
    services.conversation_delete(conversation=_conversation(request, pk))
    messages.success(request, _("The conversation is deleted."))
    return redirect(reverse("dashboard:copilot:home"))


@require_http_methods(["GET", "POST"])
@admin_required
def settings_page(request):
    form = CopilotSettingsForm(
        request.POST or None, initial={"retention_days": copilot_settings().retention_days}
    )
    if request.method == "POST" and form.is_valid():
        services.copilot_settings_save(**form.cleaned_data)
        messages.success(request, _("The copilot settings are saved."))
        return redirect("dashboard:copilot:settings")
    return render(request, "copilot/settings.html", {"form": form})
