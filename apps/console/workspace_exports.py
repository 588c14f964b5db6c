"""A workspace's data as one zip for operators (a departing brand's copy, a support case): its
orders, customers, products and designs' metadata as CSV (text cells neutralised against
spreadsheet formulas, `apps.core.csv_export`), and the workspace itself as JSON.

Built by a Celery task (`etl` queue) in the workspace's schema, read through each app's selectors;
the file is kept on the tenant (`export_file`, a random name) and downloaded from the console only.
"""

import io
import json
import logging
import zipfile
from itertools import chain

from celery import shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from apps.billing import selectors as billing
from apps.core.csv_export import csv_lines
from apps.crm.selectors import customer_list
from apps.designs.selectors import design_list
from apps.orders.selectors import order_list
from apps.products.selectors import product_list
from apps.tenants import services as tenancy
from apps.tenants.models import Tenant

logger = logging.getLogger(__name__)

ORDER_COLUMNS = [
    "number", "created_at", "status", "source", "brand", "customer_email", "customer_name",
    "customer_phone", "shipping_address", "currency", "subtotal", "shipping_total", "total",
    "external_ref", "note",
]  # fmt: skip
CUSTOMER_COLUMNS = [
    "client_code", "first_name", "last_name", "email", "phone", "postal_code", "city", "country",
    "marketing_consent", "last_purchase",
]  # fmt: skip
PRODUCT_COLUMNS = ["id", "sku", "name", "brand", "status", "price", "currency", "shape", "created_at"]
DESIGN_COLUMNS = [
    "id", "created_at", "status", "product_sku", "variant", "style", "prompt", "texts", "provider",
    "error_code", "parent",
]  # fmt: skip


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def _order_row(order) -> list:
    return [
        order.reference, _iso(order.created_at), order.status, order.source,
        order.brand.name if order.brand_id else "", order.customer_email, order.customer_name,
        order.customer_phone, json.dumps(order.shipping_address, ensure_ascii=False), order.currency,
        order.subtotal, order.shipping_total, order.total, order.external_ref, order.note,
    ]  # fmt: skip


def _customer_row(customer) -> list:
    consent = {True: "yes", False: "no"}.get(customer.marketing_consent, "")
    return [
        customer.external_id, customer.first_name, customer.last_name, customer.email, customer.phone,
        customer.postal_code, customer.city, customer.country, consent, _iso(customer.last_purchase),
    ]  # fmt: skip


def _product_row(product) -> list:
    return [
        product.pk, product.sku, product.name, product.brand.name if product.brand_id else "",
        product.status, product.price, product.currency, product.shape, _iso(product.created_at),
    ]  # fmt: skip


def _design_texts(design) -> str:
    layers = design.text_layers if isinstance(design.text_layers, list) else []
    return " | ".join(str(layer.get("text", "")) for layer in layers if isinstance(layer, dict))


def _design_row(design) -> list:
    return [
        design.public_id, _iso(design.created_at), design.status, design.product.sku,
        str(design.variant) if design.variant_id else "", design.style, design.prompt,
        _design_texts(design), design.provider, design.error_code,
        design.parent.public_id if design.parent_id else "",
    ]  # fmt: skip


def _csv(archive: zipfile.ZipFile, name: str, columns: list[str], rows) -> None:
    with archive.open(name, "w") as out:
        out.write("\ufeff".encode())  # spreadsheets read the file as UTF-8
        for line in csv_lines(chain([columns], rows)):
            out.write(line.encode())


def _workspace(tenant: Tenant) -> dict:
    subscription = billing.subscription_get(tenant)
    return {
        "slug": tenant.schema_name,
        "name": tenant.name,
        "status": tenant.status,
        "created_at": tenant.created_at,
        "exported_at": timezone.now(),
        "plan": subscription.plan.code if subscription else None,
        "domains": list(tenant.domains.values("domain", "is_primary", "verified_at")),
        "members": [
            {"email": m.user.email, "name": m.user.name, "role": m.role, "since": m.created_at}
            for m in tenant.memberships.select_related("user")
        ],
        "usage": billing.usage_history(tenant, months=24),
    }


def workspace_export_build(tenant: Tenant) -> bytes:
    """The zip's bytes: workspace.json, orders.csv, customers.csv, products.csv, designs.csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "workspace.json",
            json.dumps(_workspace(tenant), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        with tenant_context(tenant):
            orders = order_list().select_related("brand").order_by("number").iterator(chunk_size=2000)
            _csv(archive, "orders.csv", ORDER_COLUMNS, map(_order_row, orders))
            customers = customer_list().iterator(chunk_size=2000)
            _csv(archive, "customers.csv", CUSTOMER_COLUMNS, map(_customer_row, customers))
            products = product_list().order_by("pk").iterator(chunk_size=2000)
            _csv(archive, "products.csv", PRODUCT_COLUMNS, map(_product_row, products))
            designs = design_list().order_by("pk").iterator(chunk_size=2000)
            _csv(archive, "designs.csv", DESIGN_COLUMNS, map(_design_row, designs))
    return buffer.getvalue()


def workspace_export_save(tenant: Tenant) -> Tenant:
    """Build the export and keep it on the tenant (the previous one is deleted)."""
    data = workspace_export_build(tenant)
    name = f"{tenant.schema_name}-{timezone.now():%Y%m%d-%H%M}.zip"
    tenant = tenancy.tenant_export_store(tenant=tenant, filename=name, content=data)
    logger.info("export of %s built (%d bytes)", tenant.schema_name, len(data))
    return tenant


@shared_task(name="apps.console.workspace_exports.workspace_export_task", acks_late=True, queue="etl")
def workspace_export_task(tenant_id: int) -> str:
    """Queued from public by the console's Export page. Returns the file's storage name."""
    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if tenant is None:
            return ""
        return workspace_export_save(tenant).export_file.name
