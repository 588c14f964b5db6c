"""Dashboard pages for the catalog: parse the request, call a service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.brands.embed import embed_snippet
from apps.brands.forms import add_service_errors
from apps.brands.selectors import brand_count, brand_list, brand_publishable_key
from apps.core.errors import ApplicationError
from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from . import services
from .forms import OptionForm, ProductFilterForm, ProductForm, VariantForm, ViewForm
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


def _detail_page(request, product, *, variant_form=None, option_form=None, status: int = 200):
    context = {
        **_embed(product),
        "product": product,
        "views": view_list(product=product),
        "variants": variant_list(product=product),
        "options": option_list(product=product),
        "can_edit": request.membership.has_role(Role.EDITOR),
        "variant_form": variant_form or VariantForm(prefix="variant"),
        "option_form": option_form or OptionForm(prefix="option"),
    }
    return render(request, "products/detail.html", context, status=status)


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


def _part_add(request, pk: int, form_class, prefix: str, create):
    product = product_get(pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            create(product=product, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("dashboard:product", pk=pk)
    return _detail_page(request, product, **{f"{prefix}_form": form}, status=400)


@require_POST
@editor_required
def variant_add(request, pk: int):
    return _part_add(request, pk, VariantForm, "variant", services.variant_create)


@require_POST
@editor_required
def option_add(request, pk: int):
    return _part_add(request, pk, OptionForm, "option", services.option_create)


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


@require_POST
@editor_required
def option_delete(request, pk: int, option_pk: int):
    option = get_object_or_404(option_list(product=product_get(pk=pk)), pk=option_pk)
    return _part_delete(request, pk, option, lambda o: services.option_delete(option=o))


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
