"""Dashboard pages for customers: the list (search, filters, sort, CSV export, upcoming
occasions), the design affinity groups, one customer's 360 page, and the change of their e-mail
consent."""

from itertools import chain

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.csv_export import csv_download
from apps.designs.signing import asset_url
from apps.products.selectors import product_list
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role
from apps.tenants.streaming import workspace_bound

from .forms import ConsentForm, CustomerFilterForm
from .models import Customer
from .models.customers import Channel
from .selectors import (
    abandoned_customers,
    affinity_groups,
    catalog_choices,
    customer_360,
    customer_list,
    occasions_upcoming,
)
from .services import customer_update

PAGE_SIZE = 25
# Occasions read every design of every customer (about 3 s at 20,000 designs): the list shows
# them from the cache, per workspace and day, recomputed at most this often.
OCCASIONS_CACHE_SECONDS = 600
editor_required = role_required(Role.EDITOR)


def imports_url() -> str:
    return reverse("dashboard:crm_imports:list")


def _filter_form(request) -> CustomerFilterForm:
    return CustomerFilterForm(
        request.GET, catalog_items=catalog_choices(), products=product_list().order_by("name", "pk")
    )


@require_GET
@member_required
def customer_list_page(request):
    form = _filter_form(request)
    filters = form.filters()
    page = Paginator(customer_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(value for key, value in filters.items() if key != "sort")
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": filtered,
        "has_customers": filtered or bool(page.object_list) or Customer.objects.exists(),
        "occasions": cache.get_or_set(
            f"crm:occasions:{timezone.localdate()}", occasions_upcoming, OCCASIONS_CACHE_SECONDS
        ),
        "imports_url": imports_url(),
        "today": timezone.localdate(),
    }
    return render(request, "crm/customers_list.html", context)


@require_GET
@member_required
def customer_affinity(request):
    """Customers grouped by the styles and words of their designs, and those who left a design
    unordered; each group links to the list filtered on it."""
    context = {"groups": affinity_groups(), "abandoned": abandoned_customers().count()}
    return render(request, "crm/customers_affinity.html", context)


CSV_HEADER = [
    "client_code", "first_name", "last_name", "email", "phone", "postal_code", "city", "country",
    "marketing_consent", "segment", "recency_days", "frequency", "monetary", "last_purchase",
]  # fmt: skip


def _csv_row(customer: Customer) -> list:
    score = getattr(customer, "score", None)
    consent = {True: "yes", False: "no"}.get(customer.marketing_consent, "")
    return [
        customer.external_id, customer.first_name, customer.last_name, customer.email, customer.phone,
        customer.postal_code, customer.city, customer.country, consent,
        score.segment if score else "", score.recency_days if score else None,
        score.frequency if score else None, score.monetary if score else None,
        customer.last_purchase.isoformat() if customer.last_purchase else "",
    ]  # fmt: skip


@require_GET
@member_required
def customer_export(request):
    """The filtered list as CSV (every page), text cells neutralised against formulas."""
    filters = _filter_form(request).filters()
    customers = customer_list(**filters).iterator(chunk_size=2000)
    rows = chain([CSV_HEADER], map(_csv_row, customers))
    return csv_download(workspace_bound(rows), f"customers-{timezone.localdate():%Y-%m-%d}.csv")


@require_GET
@member_required
def customer_detail(request, pk: int):
    view = customer_360(customer_id=pk)
    if view is None:
        raise Http404
    customer = view.customer
    initial = {True: "yes", False: "no"}.get(customer.marketing_consent, "unknown")
    context = {
        "view": view,
        "customer": customer,
        "designs": [(design, asset_url(thumb) if thumb else None) for design, thumb in view.designs],
        "abandoned": [(design, asset_url(thumb) if thumb else None) for design, thumb in view.abandoned],
        "score": getattr(customer, "score", None),
        "consent_form": ConsentForm(initial={"consent": initial}),
        "can_edit": request.membership.has_role(Role.EDITOR),
    }
    return render(request, "crm/customers_detail.html", context)


@require_POST
@editor_required
def customer_consent(request, pk: int):
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None:
        raise Http404
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or unknown."))
        return redirect("dashboard:crm:detail", customer.pk)
    customer_update(
        customer=customer, marketing_consent=form.consent_value(), consent_source=Channel.DASHBOARD
    )
    messages.success(request, _("The e-mail consent is saved."))
    return redirect("dashboard:crm:detail", customer.pk)
