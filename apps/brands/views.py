"""Dashboard pages for brands (Settings → Brands): parse the request, call a service, render."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, member_required

from .embed import embed_snippet
from .forms import BrandForm, add_service_errors
from .selectors import brand_get, brand_list, brand_publishable_key
from .services import brand_create, brand_publishable_key_create, brand_update


@member_required
def brands(request):
    return render(request, "brands/list.html", {"brands": brand_list()})


def _to_embed(brand):
    """The brand page, scrolled to its key and embed snippet."""
    return redirect(reverse("dashboard:brand", args=[brand.pk]) + "#embed")


@admin_required
def brand_new(request):
    form = BrandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            brand = brand_create(**form.service_fields(), logo=form.cleaned_data["logo_upload"])
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            brand_publishable_key_create(brand=brand, created_by=request.user)
            messages.success(request, _("Brand created. Paste its embed snippet into your shop."))
            return _to_embed(brand)
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
    publishable_key = brand_publishable_key(brand=brand)
    context = {
        "form": form,
        "brand": brand,
        "publishable_key": publishable_key,
        "snippet": embed_snippet(publishable_key),
    }
    return render(request, "brands/form.html", context, status=400 if form.errors else 200)


@require_POST
@admin_required
def brand_key_rotate(request, pk: int):
    brand = brand_get(pk=pk)
    brand_publishable_key_create(brand=brand, created_by=request.user)
    messages.success(
        request, _("New key created; the previous one has stopped working. Update the snippet on your sites.")
    )
    return _to_embed(brand)


@member_required
def brand_logo(request, pk: int):
    brand = brand_get(pk=pk)
    if not brand.logo:
        raise Http404
    response = FileResponse(brand.logo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
