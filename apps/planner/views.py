"""Dashboard pages of the marketing-plan assistant: the scenarios, a new one (by form or by a
sentence), a scenario edited or archived (after a confirmation page), a scenario with its sidebar
(parts removed, suggested segments added in one click), chat, action buttons and plan (versions
compared and restored, exports, campaign drafts), and the planner's settings. Every page works
with plain forms; with htmx, an action swaps the sidebar, the chat and the plan together
(`_live.html`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import ApplicationError, PermissionDenied, RateLimited, ValidationFailed
from apps.tenants.decorators import admin_required, member_required, role_required
from apps.tenants.models import Role

from . import services
from .chat import (
    ACTIONS,
    actions_for,
    ai_assistant_on,
    can_write,
    chat_act,
    chat_messages,
    chat_say,
    chat_start,
    member_speaker,
    scenario_state,
)
from .errors import ScenarioArchived
from .exports import plan_csv_response, plan_json
from .forms import (
    PART_FORMS,
    ChatForm,
    PlannerSettingsForm,
    ScenarioFilterForm,
    ScenarioForm,
    StartForm,
    part_payload,
    service_errors,
)
from .models import Scenario
from .selectors import (
    planner_settings,
    scenario_get,
    scenario_search,
    target_suggestions,
    targets_sized,
    version_list,
)

PAGE_SIZE = 25
editor_required = role_required(Role.EDITOR)
# The parts the sidebar's "Remove" buttons name in their URL, and what is said once one is removed.
REMOVED = {
    "objective": gettext_lazy("Objective “%(label)s” removed."),
    "target": gettext_lazy("Target “%(label)s” removed."),
    "resource": gettext_lazy("Resource “%(label)s” removed."),
}


def _error(request, error: ApplicationError) -> None:
    lists = [value for value in error.details.values() if isinstance(value, list | tuple)]
    details = " ".join(str(message) for messages_ in lists for message in messages_)
    messages.error(request, f"{error.message} {details}".strip())


def _scenario(pk: int) -> Scenario:
    scenario = scenario_get(pk=pk)
    if scenario is None:
        raise Http404
    return scenario


def _refused(request, error: ApplicationError):
    """A chat request refused: the 403 page for a viewer, 429 with Retry-After past the limit."""
    if isinstance(error, RateLimited):
        response = render(request, "planner/limited.html", {"error": error}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    return render(request, "403.html", {"required_role": Role(Role.EDITOR).label}, status=403)


# --- scenarios ---------------------------------------------------------------------------------


@require_GET
@member_required
def scenario_list_page(request):
    form = ScenarioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scenarios = scenario_search(search=filters.get("q", ""), status=filters.get("status", ""))
    page = Paginator(scenarios, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    context = {"form": form, "page": page, "query": query, "has_scenarios": Scenario.objects.exists()}
    return render(request, "planner/scenario_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def scenario_create_page(request):
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(**form.cleaned_data, user_id=request.user.pk)
        except ApplicationError as error:
            service_errors(form, error)
        else:
            return redirect("dashboard:planner:detail", pk=scenario.pk)
    return render(request, "planner/scenario_form.html", {"form": form, "start_form": StartForm()})


@require_POST
@editor_required
def scenario_start_action(request):
    """A new scenario from a typed sentence, its chat opened."""
    form = StartForm(request.POST)
    if not form.is_valid():
        return render(request, "planner/scenario_form.html", {"form": ScenarioForm(), "start_form": form})
    try:
        scenario, _reply = chat_start(member_speaker(request.user), form.cleaned_data["text"])
    except (PermissionDenied, RateLimited) as error:
        return _refused(request, error)
    except ApplicationError as error:
        _error(request, error)
        return redirect("dashboard:planner:create")
    return redirect(reverse("dashboard:planner:detail", args=[scenario.pk]) + "#chat")


@require_http_methods(["GET", "POST"])
@editor_required
def scenario_edit_page(request, pk: int):
    """The scenario's name, theme and period, saved by `scenario_update`: each problem under its
    field; an archived scenario answers 409 with why, unchanged."""
    scenario = _scenario(pk)
    initial = {name: getattr(scenario, name) for name in ScenarioForm.base_fields}
    form = ScenarioForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(scenario=scenario, **form.cleaned_data)
        except ApplicationError as error:  # each problem under its field; archived: 409, with why
            service_errors(form, error)
            status = 200 if isinstance(error, ValidationFailed) else error.status
        else:
            messages.success(request, _("The scenario is saved."))
            return redirect("dashboard:planner:detail", pk=scenario.pk)
    archived = scenario.status == Scenario.Status.ARCHIVED
    context = {"form": form, "scenario": scenario, "archived": ScenarioArchived.message if archived else ""}
    return render(request, "planner/scenario_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def scenario_archive_page(request, pk: int):
    """GET: what archiving means, and the button that confirms it; POST: archived, read-only."""
    scenario = _scenario(pk)
    if request.method == "GET":
        return render(request, "planner/scenario_archive.html", {"scenario": scenario})
    if scenario.status != Scenario.Status.ARCHIVED:
        services.scenario_archive(scenario=scenario)
        messages.success(request, _("The scenario is archived: it can still be read and exported."))
    return redirect("dashboard:planner:detail", pk=scenario.pk)


def _context(request, scenario: Scenario, **extra) -> dict:
    writer = can_write(request.user)
    version = scenario.current_version
    items = version.items.select_related("target", "campaign") if version else []
    actions = actions_for(scenario, writer=writer)
    return {
        "scenario": scenario,
        "state": scenario_state(scenario),
        "actions": actions,
        "buttons": [
            (action, PART_FORMS[action.form](prefix=action.form) if action.form else None)
            for action in actions
        ],
        "chat": chat_messages(scenario),
        "chat_form": ChatForm(),
        "version": version,
        "items": items,
        "versions": version_list(scenario),
        "writer": writer and scenario.status != Scenario.Status.ARCHIVED,
        "ai_assistant": ai_assistant_on(),
        **_sidebar(scenario, writer=writer),
        **extra,
    }


def _sidebar(scenario: Scenario, *, writer: bool) -> dict:
    """The parts as rows the sidebar's "Remove" buttons name, and the RFM segments with customers
    no target has yet (offered to editors in one click while the scenario is not archived)."""
    sized = targets_sized(scenario)
    suggestions = []
    if writer and scenario.status != Scenario.Status.ARCHIVED:
        targeted = {row.target.segment for row in sized}
        suggestions = [row for row in target_suggestions() if row["segment"] not in targeted]
    return {
        "objectives": list(scenario.objectives.all()),
        "targets": sized,
        "resources": list(scenario.resources.all()),
        "suggestions": suggestions,
    }


@require_GET
@member_required
def scenario_page(request, pk: int):
    scenario = _scenario(pk)
    return render(request, "planner/scenario_detail.html", _context(request, scenario))


def _after_chat(request, scenario: Scenario, error: str = ""):
    """htmx: the sidebar, the chat and the plan, swapped together; otherwise back to the page."""
    if request.headers.get("HX-Request"):
        scenario.refresh_from_db()
        return render(request, "planner/_live.html", _context(request, scenario, chat_error=error))
    if error:
        messages.error(request, error)
    return redirect(reverse("dashboard:planner:detail", args=[scenario.pk]) + "#chat")


@require_GET
@member_required
def live_partial(request, pk: int):
    """The sidebar, the chat and the plan, fetched again when the scenario's socket says a reply is saved."""
    return render(request, "planner/_live.html", _context(request, _scenario(pk)))


@require_POST
@member_required
def chat_act_action(request, pk: int):
    """A button: its action code, and for an "add" button the fields of its form."""
    scenario = _scenario(pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _after_chat(request, scenario, _("Unknown action."))
    payload = part_payload(request.POST, action.form) if action.form else {}
    try:
        chat_act(scenario, member_speaker(request.user), action.code, payload)
    except (PermissionDenied, RateLimited) as error:
        return _refused(request, error)
    return _after_chat(request, scenario)


@require_POST
@member_required
def chat_say_action(request, pk: int):
    scenario = _scenario(pk)
    try:
        chat_say(scenario, member_speaker(request.user), request.POST.get("text", ""))
    except (PermissionDenied, RateLimited) as error:
        return _refused(request, error)
    except ApplicationError as error:
        return _after_chat(request, scenario, error.message)
    return _after_chat(request, scenario)


@require_POST
@editor_required
def part_remove_action(request, pk: int, kind: str, part_pk: int):
    """A sidebar "Remove" button: an objective, a target or a resource goes (`part_remove`)."""
    scenario = _scenario(pk)
    if kind not in REMOVED:
        raise Http404
    part = getattr(scenario, f"{kind}s").filter(pk=part_pk).first()
    if part is None:
        raise Http404
    try:
        services.part_remove(part=part)
    except ApplicationError as error:
        return _after_part(request, scenario, error=error.message)
    return _after_part(request, scenario, done=REMOVED[kind] % {"label": part.label})


def _after_part(request, scenario: Scenario, *, done: str = "", error: str = ""):
    """htmx: the sidebar, the chat and the plan swapped (what was done in the messages, a refusal
    in the sidebar); otherwise back to the page with a message."""
    if done:
        messages.success(request, done)
    if request.headers.get("HX-Request"):
        scenario.refresh_from_db()
        context = _context(request, scenario, part_error=error)
        return render(request, "planner/_live_response.html", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("dashboard:planner:detail", args=[scenario.pk]) + "#scenario-state")


# --- plans -------------------------------------------------------------------------------------


@require_GET
@member_required
def versions_compare_page(request, pk: int):
    scenario = _scenario(pk)
    versions = version_list(scenario)
    numbers = [request.GET.get("a"), request.GET.get("b")]
    chosen = [versions.filter(number=number).prefetch_related("items").first() for number in numbers]
    context = {"scenario": scenario, "versions": versions, "chosen": chosen, "numbers": numbers}
    return render(request, "planner/compare.html", context)


@require_POST
@editor_required
def version_restore_action(request, pk: int, number: int):
    version = version_list(_scenario(pk)).filter(number=number).first()
    if version is None:
        raise Http404
    try:
        services.plan_restore(version=version)
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Plan version %(number)d is current again.") % {"number": number})
    return redirect("dashboard:planner:detail", pk=pk)


@require_GET
@member_required
def plan_json_export(request, pk: int):
    scenario = _scenario(pk)
    response = JsonResponse(plan_json(scenario), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.json"'
    return response


@require_GET
@member_required
def plan_csv_export(request, pk: int):
    scenario = _scenario(pk)
    try:
        return plan_csv_response(scenario)
    except ApplicationError as error:
        _error(request, error)
        return redirect("dashboard:planner:detail", pk=pk)


# --- settings ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def settings_page(request):
    form = PlannerSettingsForm(
        request.POST or None, initial={"chat_ttl_days": planner_settings().chat_ttl_days}
    )
    if request.method == "POST" and form.is_valid():
        services.planner_settings_save(**form.cleaned_data)
        messages.success(request, _("The planner settings are saved."))
        return redirect("dashboard:planner:settings")
    return render(request, "planner/settings.html", {"form": form})
