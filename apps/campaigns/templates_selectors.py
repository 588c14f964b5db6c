"""Reads for e-mail templates and their editor: the list, one template, customers to preview as."""

from django.db.models import QuerySet

from apps.crm.models import CatalogItem, Customer
from apps.crm.selectors import catalog_choices, customer_list
from apps.products.models import Product
from apps.products.selectors import product_list

from .models import Template

CUSTOMER_MATCHES = 10


def template_list(*, search: str = "") -> QuerySet[Template]:
    """Templates by name; `search`: each word in the name."""
    templates = Template.objects.all()
    for term in (search or "").split():
        templates = templates.filter(name__icontains=term)
    return templates.order_by("name", "pk")


def template_get(*, pk: int) -> Template | None:
    return Template.objects.filter(pk=pk).first()


def template_in_use(template: Template) -> bool:
    return template.campaigns.exists()


def preview_customers(*, search: str) -> list[Customer]:
    """Customers whose name or e-mail matches `search`, for "preview as" (a few, by name)."""
    if not (search or "").strip():
        return []
    return list(customer_list(search=search)[:CUSTOMER_MATCHES])


def preview_customer(*, pk) -> Customer | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return customer_list().filter(pk=pk).first()


def product_choices() -> list[tuple[str, str]]:
    """What a products block may show: Luneo products and the ERP catalogue, as `kind:id`."""
    products = [(f"product:{p.pk}", p.name) for p in product_list().order_by("name", "pk")]
    items = [(f"item:{item.pk}", str(item)) for item in catalog_choices()]
    return products + items


def products_chosen(
    *, products: list[int], items: list[int]
) -> tuple[dict[int, Product], dict[int, CatalogItem]]:
    """The Luneo products and catalogue items a products block names, by id (deleted ones absent)."""
    found_products = {product.pk: product for product in product_list().filter(pk__in=products)}
    # crm has no selector for items by id: read them here, with their linked product.
    found_items = CatalogItem.objects.select_related("product").filter(pk__in=items)
    return found_products, {item.pk: item for item in found_items}
