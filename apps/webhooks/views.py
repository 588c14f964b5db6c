"""Dashboard pages for webhooks (Settings → Webhooks, admins only): endpoints and their delivery log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required

from . import services
from .errors import WebhookTestTooSoon
from .forms import ERROR_FIELDS, DeliveryFilterForm, EndpointForm
from .selectors import delivery_get, delivery_list, endpoint_get, endpoint_list, endpoint_test_last

PAGE_SIZE = 25


@admin_required
def endpoint_list_page(request):
    return render(request, "webhooks/list.html", {"endpoints": endpoint_list()})


def _secret_page(request, endpoint, secret: str, *, rotated: bool):
    # The raw secret exists only in this response: it is stored encrypted and never shown again.
    context = {"endpoint": endpoint, "secret": secret, "rotated": rotated}
    return render(request, "webhooks/secret.html", context)


def _form_page(request, form: EndpointForm, endpoint=None):
    status = 422 if form.errors else 200
    return render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint}, status=status)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_new(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(**form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            return _secret_page(request, endpoint, secret, rotated=False)
    return _form_page(request, form)


@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request, pk: int):
    endpoint = endpoint_get(pk=pk)
    initial = {"url": endpoint.url, "events": endpoint.events, "description": endpoint.description}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("dashboard:webhooks:detail", endpoint.pk)
    return _form_page(request, form, endpoint)


@admin_required
def endpoint_detail(request, pk: int):
    endpoint = endpoint_get(pk=pk)
    form = DeliveryFilterForm(request.GET)
    status = form.cleaned_data.get("status") if form.is_valid() else None
    page = Paginator(delivery_list(endpoint=endpoint, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), **_test_context(endpoint)}
    return render(request, "webhooks/detail.html", context)


def _test_context(endpoint, error: str = "") -> dict:
    """The endpoint's test panel: its latest test event and that delivery's latest attempt."""
    test = endpoint_test_last(endpoint=endpoint)
    attempts = list(test.attempts.all()) if test else []
    return {
        "endpoint": endpoint,
        "test": test,
        "attempt": attempts[-1] if attempts else None,
        "test_error": error,
    }


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_test_view(request, pk: int):
    """POST: send a test event. GET: the test panel alone (htmx polls it until the answer is in)."""
    endpoint = endpoint_get(pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.endpoint_test(endpoint=endpoint)
        except WebhookTestTooSoon as exc:
            error = exc.message
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect("dashboard:webhooks:detail", pk)
    return render(request, "webhooks/partials/test_event.html", _test_context(endpoint, error))


@require_POST
@admin_required
def endpoint_enable_view(request, pk: int):
    services.endpoint_enable(endpoint=endpoint_get(pk=pk))
    messages.success(request, _("The endpoint is enabled: its waiting deliveries are sent now."))
    return redirect("dashboard:webhooks:detail", pk)


@require_POST
@admin_required
def endpoint_disable_view(request, pk: int):
    services.endpoint_disable(endpoint=endpoint_get(pk=pk))
    messages.success(request, _("The endpoint is disabled: no events are sent to it until you enable it."))
    return redirect("dashboard:webhooks:detail", pk)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_rotate_view(request, pk: int):
    endpoint = endpoint_get(pk=pk)
    if request.method == "GET":
        return render(request, "webhooks/rotate.html", {"endpoint": endpoint})
    endpoint, secret = services.endpoint_secret_rotate(endpoint=endpoint)
    return _secret_page(request, endpoint, secret, rotated=True)


@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_delete_view(request, pk: int):
    endpoint = endpoint_get(pk=pk)
    if request.method == "GET":
        return render(request, "webhooks/delete.html", {"endpoint": endpoint})
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, _("The endpoint “%(url)s” was deleted.") % {"url": endpoint.url})
    return redirect("dashboard:webhooks:list")


@require_POST
@admin_required
def delivery_redeliver_view(request, pk: int):
    delivery = delivery_get(pk=pk)
    try:
        services.delivery_redeliver(delivery=delivery)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The event %(event)s is being sent again.") % {"event": delivery.event.public_id}
        )
    return redirect("dashboard:webhooks:detail", delivery.endpoint_id)
