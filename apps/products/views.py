"""Dashboard pages for the catalog: parse the request, call a service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.brands.embed import embed_snippet
from apps.brands.forms import add_service_errors
from apps.brands.selectors import brand_count, brand_list, brand_publishable_key
from apps.core.errors import ApplicationError
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from . import services
from .forms import AttributeFormSet, OptionFormSet, ProductFilterForm, ProductForm, VariantForm, ViewForm
from .selectors import option_list, product_get, product_list_with_counts, variant_list, view_list

PAGE_SIZE = 25
editor_required = role_required(Role.EDITOR)


@member_required
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    products = product_list_with_counts(status=filters.get("status"), search=filters.get("search"))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "products/list.html", context)


def _product_form_page(request, form: ProductForm, product=None, status: int = 200):
    context = {"form": form, "product": product, "has_brands": brand_count() > 0}
    return render(request, "products/form.html", context, status=status)


@editor_required
def product_new(request):
    brands = list(brand_list()[:2])
    initial = {"brand": brands[0]} if len(brands) == 1 else None  # the only brand is the one meant
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                **form.cleaned_data_for_service(), base_model=form.cleaned_data["base_model_upload"]
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product created. Add its views and print areas."))
            return redirect("dashboard:product", pk=product.pk)
    return _product_form_page(request, form, status=400 if form.errors else 200)


@editor_required
def product_edit(request, pk: int):
    product = product_get(pk=pk)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                product=product,
                **form.cleaned_data_for_service(),
                base_model=form.cleaned_data["base_model_upload"],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("dashboard:product", pk=product.pk)
    return _product_form_page(request, form, product, status=400 if form.errors else 200)


def _embed(product) -> dict:
    """The product's embed snippet, or why there is none (no brand at all, or none chosen)."""
    if product.brand is None:
        return {"has_brands": brand_count() > 0}
    publishable_key = brand_publishable_key(brand=product.brand)
    return {"publishable_key": publishable_key, "snippet": embed_snippet(publishable_key, sku=product.sku)}


def _detail_page(request, product):
    context = {
        **_embed(product),
        "product": product,
        "views": view_list(product=product),
        "variants": variant_list(product=product),
        "options": option_list(product=product),
        "can_edit": request.membership.has_role(Role.EDITOR),
    }
    return render(request, "products/detail.html", context)


@member_required
def product_detail(request, pk: int):
    return _detail_page(request, product_get(pk=pk))


@require_POST
@editor_required
def product_delete(request, pk: int):
    product = product_get(pk=pk)
    try:
        services.product_delete(product=product)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:product", pk=pk)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": product.name})
    return redirect("dashboard:products")


# --- variants and options ----------------------------------------------------------------------


def _variant_form_page(request, product, variant=None):
    form = VariantForm(request.POST or None, instance=variant)
    attributes = AttributeFormSet(request.POST or None, variant=variant, prefix="attributes")
    if request.method == "POST" and form.is_valid() and attributes.is_valid():
        fields = form.service_fields()
        try:
            if variant is None:
                services.variant_create(product=product, **fields, attributes=attributes.attributes())
            else:
                services.variant_update(variant=variant, **fields, attributes=attributes.attributes())
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Variant saved."))
            return redirect(reverse("dashboard:product", args=[product.pk]) + "#variants")
    context = {"form": form, "attributes": attributes, "product": product, "variant": variant}
    status = 400 if request.method == "POST" else 200  # a saved one was redirected
    return render(request, "products/variant_form.html", context, status=status)


@editor_required
def variant_new(request, pk: int):
    return _variant_form_page(request, product_get(pk=pk))


@editor_required
def variant_edit(request, pk: int, variant_pk: int):
    product = product_get(pk=pk)
    return _variant_form_page(
        request, product, get_object_or_404(variant_list(product=product), pk=variant_pk)
    )


@editor_required
def options_edit(request, pk: int):
    """Every option of the product in one form: rename, reprice, remove, add."""
    product = product_get(pk=pk)
    rows = OptionFormSet(request.POST or None, product=product, prefix="options")
    if request.method == "POST" and rows.is_valid():
        changes = rows.changes()
        try:
            services.option_list_save(product=product, rows=[row for _form, row in changes])
        except ApplicationError as exc:
            add_service_errors(changes[exc.details.pop("row")][0], exc)
        else:
            messages.success(request, _("Options saved."))
            return redirect(reverse("dashboard:product", args=[product.pk]) + "#options")
    status = 400 if request.method == "POST" else 200  # saved ones were redirected
    return render(request, "products/options_form.html", {"rows": rows, "product": product}, status=status)


def _part_delete(request, pk: int, part, delete):
    try:
        delete(part)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Deleted."))
    return redirect("dashboard:product", pk=pk)


@require_POST
@editor_required
def variant_delete(request, pk: int, variant_pk: int):
    variant = get_object_or_404(variant_list(product=product_get(pk=pk)), pk=variant_pk)
    return _part_delete(request, pk, variant, lambda v: services.variant_delete(variant=v))


# --- views ----------------------------------------------------------------------------------------


def _view_get(pk: int, view_pk: int):
    return get_object_or_404(view_list(product=product_get(pk=pk)), pk=view_pk)


def _view_form_page(request, product, view=None):
    form = ViewForm(request.POST or None, request.FILES or None, instance=view, product=product)
    if request.method == "POST" and form.is_valid():
        files = {"mockup": form.cleaned_data["mockup_upload"], "mask": form.cleaned_data["mask_upload"]}
        try:
            if view is None:
                services.view_create(product=product, **files, **form.service_fields())
            else:
                services.view_update(view=view, **files, **form.service_fields())
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("View saved."))
            return redirect("dashboard:product", pk=product.pk)
    context = {"form": form, "product": product, "view": view}
    return render(request, "products/view_form.html", context, status=400 if form.errors else 200)


@editor_required
def view_new(request, pk: int):
    return _view_form_page(request, product_get(pk=pk))


@editor_required
def view_edit(request, pk: int, view_pk: int):
    view = _view_get(pk, view_pk)
    return _view_form_page(request, view.product, view)


@require_POST
@editor_required
def view_delete(request, pk: int, view_pk: int):
    return _part_delete(request, pk, _view_get(pk, view_pk), lambda v: services.view_delete(view=v))


@member_required
def view_image(request, pk: int, view_pk: int, kind: str):
    """A view's mockup or mask, for members only (media files are never served publicly)."""
    image = getattr(_view_get(pk, view_pk), kind)
    if not image:
        raise Http404
    response = FileResponse(image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
