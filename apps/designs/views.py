"""Dashboard pages for designs: list, new, detail (live over /ws/designs/<id>/), actions.

A design is named by its id, `dsg_…`, never by its primary key.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import ApplicationError
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from .forms import ERROR_FIELDS, DesignFilterForm, DesignForm
from .models import REPORT_NOTE_MAX_LENGTH, DesignAsset
from .selectors import design_get, design_list, design_own_assets, design_thumbs
from .services import design_cancel, design_create, design_report, design_retry, design_variation
from .signing import asset_url

PAGE_SIZE = 24
editor_required = role_required(Role.EDITOR)


def _design_or_404(design_id: str):
    design = design_get(design_id)
    if design is None:
        raise Http404
    return design


@member_required
def design_list_page(request):
    form = DesignFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    designs = design_list(status=filters.get("status"), search=filters.get("q"))
    page = Paginator(designs, PAGE_SIZE).get_page(request.GET.get("page"))
    thumbs = {design_id: asset_url(asset) for design_id, asset in design_thumbs(page.object_list).items()}
    rows = [(design, thumbs.get(design.pk)) for design in page.object_list]
    can_create = request.membership.has_role(Role.EDITOR)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "can_create": can_create, "query": query.urlencode()}
    return render(request, "designs/list.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def design_new(request):
    form = DesignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            design = design_create(
                product=data["product"].pk,
                variant=data["variant"].pk if data["variant"] else None,
                prompt=data["prompt"],
                style=data["style"],
                text_layers=form.text_layers(),
                photo=data["photo"],
                created_by=request.user.pk,
            )
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            return redirect("dashboard:designs:detail", design.public_id)
    status = 422 if form.errors else 200
    return render(request, "designs/new.html", {"form": form}, status=status)


def _view_assets(design) -> list[dict]:
    """Per view: its name and signed links by kind; then the design's own (GLB) under None."""
    views: dict = {}
    for asset in design_own_assets(design):
        key = asset.view_id
        entry = views.setdefault(key, {"name": asset.view.name if asset.view_id else None, "assets": {}})
        entry["assets"][asset.kind] = {"url": asset_url(asset), "asset": asset}
    return list(views.values())


@member_required
def design_detail(request, design_id: str):
    design = _design_or_404(design_id)
    groups = _view_assets(design)
    own = next((group["assets"] for group in groups if group["name"] is None), {})
    context = {
        "design": design,
        "views": [group for group in groups if group["name"] is not None],
        "glb": own.get(DesignAsset.Kind.GLB),
        "children": design.variations.order_by("-created_at"),
        "can_edit": request.membership.has_role(Role.EDITOR),
        "reports": design.reports.all(),
        "report_note_max": REPORT_NOTE_MAX_LENGTH,
    }
    return render(request, "designs/detail.html", context)


def _action(request, design_id: str, service, done: str):
    design = _design_or_404(design_id)
    try:
        result = service(design=design)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:designs:detail", design.public_id)
    messages.success(request, done)
    return redirect("dashboard:designs:detail", result.public_id)


@require_POST
@editor_required
def design_retry_view(request, design_id: str):
    return _action(request, design_id, design_retry, _("The design starts again."))


@require_POST
@editor_required
def design_cancel_view(request, design_id: str):
    return _action(request, design_id, design_cancel, _("The design was cancelled."))


@require_POST
@editor_required
def design_variation_view(request, design_id: str):
    def vary(*, design):
        return design_variation(design=design, created_by=request.user.pk)

    return _action(request, design_id, vary, _("A new variation is on its way."))


@require_POST
@member_required
def design_report_view(request, design_id: str):
    """Any member reports the design to Luneo's operators with a note (their moderation console)."""
    design = _design_or_404(design_id)
    try:
        design_report(design=design, note=request.POST.get("note", ""), created_by=request.user.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: Luneo's team will review this design."))
    return redirect("dashboard:designs:detail", design.public_id)
