"""Reads for the catalog (the current schema's)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Option, Product, Variant, View


def product_list(
    *, status: str | None = None, brand: int | None = None, search: str | None = None
) -> QuerySet[Product]:
    """Products, newest first; `search` matches the name or the SKU."""
    products = Product.objects.select_related("brand")
    if status:
        products = products.filter(status=status)
    if brand:
        products = products.filter(brand_id=brand)
    if search:
        products = products.filter(Q(name__icontains=search) | Q(sku__icontains=search))
    return products


def product_list_with_counts(**filters) -> QuerySet[Product]:
    return product_list(**filters).annotate(view_count=Count("views")).order_by("-created_at", "-pk")


def product_get(*, pk: int) -> Product:
    """The product, or Http404."""
    return get_object_or_404(Product.objects.select_related("brand"), pk=pk)


def variant_list(*, product: Product) -> QuerySet[Variant]:
    return product.variants.all()


def view_list(*, product: Product) -> QuerySet[View]:
    return product.views.select_related("variant")


def option_list(*, product: Product) -> QuerySet[Option]:
    return product.options.all()


def view_of_active_product(*, pk: int) -> View | None:
    """A view whose product is on sale (what shoppers may see), or None."""
    return View.objects.filter(pk=pk, product__status=Product.Status.ACTIVE).first()
