"""Settings → Audit log (admins): every write by people and API keys, filtered and paginated."""

from django.core.paginator import Paginator
from django.shortcuts import render

from apps.tenants.decorators import admin_required

from .forms import AuditFilterForm
from .selectors import audit_list, audit_object_types

PAGE_SIZE = 50


@admin_required
def audit_page(request):
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types(tenant=request.tenant))
    filters = {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    page = Paginator(audit_list(tenant=request.tenant, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})
