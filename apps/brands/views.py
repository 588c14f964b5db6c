"""Dashboard pages for brands (Settings → Brands): parse the request, call a service, render."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, member_required
from apps.tenants.services import public_url

from .forms import BrandForm, add_service_errors
from .selectors import brand_get, brand_list, brand_publishable_key
from .services import brand_create, brand_publishable_key_create, brand_update


@member_required
def brands(request):
    return render(request, "brands/list.html", {"brands": brand_list()})


def _key_created(request, brand, api_key, raw: str):
    """The raw key exists only in this response: it is never stored, nor shown again."""
    context = {
        "brand": brand,
        "api_key": api_key,
        "raw_key": raw,
        "script_url": public_url("/widget/v1/luneo.js"),
    }
    return render(request, "brands/key_created.html", context)


@never_cache
@admin_required
def brand_new(request):
    form = BrandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            brand = brand_create(**form.service_fields(), logo=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            api_key, raw = brand_publishable_key_create(brand=brand, created_by=request.user)
            return _key_created(request, brand, api_key, raw)
    return render(request, "brands/form.html", {"form": form}, status=400 if form.errors else 200)


@admin_required
def brand_edit(request, pk: int):
    brand = brand_get(pk=pk)
    form = BrandForm(request.POST or None, request.FILES or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        try:
            brand_update(brand=brand, **form.service_fields(), logo=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Brand saved."))
            return redirect("dashboard:brand", pk=brand.pk)
    context = {"form": form, "brand": brand, "publishable_key": brand_publishable_key(brand=brand)}
    return render(request, "brands/form.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
@admin_required
def brand_key_rotate(request, pk: int):
    brand = brand_get(pk=pk)
    api_key, raw = brand_publishable_key_create(brand=brand, created_by=request.user)
    return _key_created(request, brand, api_key, raw)


@member_required
def brand_logo(request, pk: int):
    brand = brand_get(pk=pk)
    if not brand.logo:
        raise Http404
    response = FileResponse(brand.logo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
