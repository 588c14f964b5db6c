"""Dashboard pages for orders: list (filters, counts per status), detail, status moves, pack."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import ApplicationError
from apps.designs.selectors import design_thumbs
from apps.designs.signing import asset_url
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from .forms import OrderFilterForm, OrderTransitionForm
from .models import Order
from .pack import order_pack_request
from .payloads import item_previews
from .selectors import order_awaits_payment, order_get, order_list, order_status_counts
from .services import TRANSITIONS, order_transition
from .signing import pack_url

PAGE_SIZE = 25
editor_required = role_required(Role.EDITOR)


def _order_or_404(number: int) -> Order:
    order = order_get(number=number)
    if order is None:
        raise Http404
    return order


def _status_label(value: str) -> str:
    return Order.Status(value).label if value in Order.Status.values else value


def _status_chips(request, counts: dict[str, int]) -> list[dict]:
    """One link per status (and "all") keeping the other filters, with its count."""
    chips = []
    for value, label in [("", _("All")), *Order.Status.choices]:
        query = request.GET.copy()
        query.pop("page", None)
        query["status"] = value
        count = sum(counts.values()) if not value else counts.get(value, 0)
        active = request.GET.get("status", "") == value
        chips.append({"label": label, "count": count, "query": query.urlencode(), "active": active})
    return chips


@member_required
def order_list_page(request):
    form = OrderFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(order_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "chips": _status_chips(request, order_status_counts(**filters)),
        "query": query.urlencode(),
        "filtered": any(filters.values()),
    }
    return render(request, "orders/list.html", context)


@member_required
def order_detail(request, number: int):
    order = _order_or_404(number)
    items = list(order.items.all())
    thumbs = design_thumbs([item.design_id for item in items if item.design_id])
    rows = [
        {
            "item": item,
            "thumb": asset_url(thumbs[item.design_id]) if item.design_id in thumbs else None,
            "previews": item_previews(item),
        }
        for item in items
    ]
    allowed = [(value, label) for value, label in Order.Status.choices if value in TRANSITIONS[order.status]]
    context = {
        "order": order,
        "awaits_payment": order_awaits_payment(order),
        "rows": rows,
        "history": [(change, _status_label(change.from_status)) for change in order.history.all()],
        "transitions": allowed,
        "can_edit": request.membership.has_role(Role.EDITOR),
        "pack_url": pack_url(order),
    }
    return render(request, "orders/detail.html", context)


@require_POST
@editor_required
def order_transition_view(request, number: int):
    order = _order_or_404(number)
    form = OrderTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("dashboard:orders:detail", order.number)
    try:
        order = order_transition(order=order, **form.cleaned_data, actor=f"user:{request.user.email}")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The order is now %(status)s.") % {"status": order.get_status_display()})
    return redirect("dashboard:orders:detail", order.number)


@require_POST
@editor_required
def order_pack_build_view(request, number: int):
    order = order_pack_request(order=_order_or_404(number))
    messages.success(request, _("The production pack is being built: it appears here when ready."))
    return redirect("dashboard:orders:detail", order.number)


@require_GET
@member_required
def order_pack_download(request, number: int):
    order = _order_or_404(number)
    url = pack_url(order)
    if url is None:
        messages.error(request, _("The production pack is not ready yet."))
        return redirect("dashboard:orders:detail", order.number)
    return redirect(url)
