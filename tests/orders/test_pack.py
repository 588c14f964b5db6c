"""The production pack: its content, the build task's outcomes, the signed download link."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.test import Client

from apps.designs.models import DesignAsset
from apps.orders.models import Order
from apps.orders.pack import order_pack_request
from apps.orders.services import ItemInput, order_create
from apps.orders.signing import pack_url
from apps.orders.tasks import order_pack_build_task
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import ADDRESS, CUSTOMER, order_make
from tests.support.factories.products import ProductFactory, product_make
from tests.support.workspaces import host, member

P = Order.PackStatus


def build(order: Order) -> Order:
    """Ask for the pack and run the task in this process, as a worker would."""
    order_pack_request(order=order)
    order_pack_build_task.apply(args=[order.pk])
    order.refresh_from_db()
    return order


def pack_zip(order: Order) -> zipfile.ZipFile:
    with order.pack.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_the_pack_holds_print_files_per_item_and_view_the_json_and_the_pdf(tenant, design, product):
    # Given an order of two designs: one of a two-view product, one of a one-view product
    mug = product_make(views=("wrap",))
    other = ready_design(mug)
    order = order_make(design, other, quantity=2)

    # When the pack is built
    order = build(order)

    # Then it is ready, with each item's print PNG and PDF per view, order.json and order.pdf
    assert (order.pack_status, order.pack_error) == (P.READY, "")
    assert order.pack_built_at is not None
    archive = pack_zip(order)
    assert sorted(archive.namelist()) == sorted(
        [
            f"items/1-{product.sku}/front.png",
            f"items/1-{product.sku}/front.pdf",
            f"items/1-{product.sku}/back.png",
            f"items/1-{product.sku}/back.pdf",
            f"items/2-{mug.sku}/wrap.png",
            f"items/2-{mug.sku}/wrap.pdf",
            "order.json",
            "order.pdf",
        ]
    )
    front_png = design.assets.get(view__name="front", kind=DesignAsset.Kind.PRINT_PNG)
    with front_png.file.open("rb") as file:
        assert archive.read(f"items/1-{product.sku}/front.png") == file.read()
    assert archive.read(f"items/1-{product.sku}/front.pdf").startswith(b"%PDF")
    summary = json.loads(archive.read("order.json"))
    assert summary["number"] == order.reference
    assert summary["total"] == str(order.total)
    assert [item["design"] for item in summary["items"]] == [design.public_id, other.public_id]
    assert summary["customer"]["email"] == CUSTOMER["email"]
    pdf = archive.read("order.pdf")
    assert pdf.startswith(b"%PDF")
    assert pages(pdf) == 1


def test_a_long_order_summary_takes_several_pages(tenant):
    lines = [
        ItemInput(product=ProductFactory(), unit_price=Decimal("1.00"), title=f"Line {n}") for n in range(40)
    ]
    order = order_create(
        source=Order.Source.SHOPIFY, items=lines, customer=CUSTOMER, shipping_address=ADDRESS
    )

    order = build(order)

    pdf = pack_zip(order).read("order.pdf")
    assert order.pack_status == P.READY
    assert pages(pdf) >= 2


def test_markup_in_customer_and_item_text_is_drawn_as_written_and_fetches_nothing(tenant, receiver):
    # Given an order whose every shopper- or shop-given text is markup pointing at a local server
    markup = f'<img src="{receiver.url}/x" width="1" height="1"/> <b broken'
    line = ItemInput(unit_price=Decimal("1.00"), title=markup, sku="SKU-1")  # a shop line of no product
    customer = {**CUSTOMER, "name": markup}
    order = order_create(
        source=Order.Source.SHOPIFY,
        items=[line],
        customer=customer,
        shipping_address={**ADDRESS, "line1": markup},
        note=markup,
    )

    # When the pack is built
    order = build(order)

    # Then the summary is made (the text drawn, not read as markup) and nothing was fetched
    assert (order.pack_status, order.pack_error) == (P.READY, "")
    assert pages(pack_zip(order).read("order.pdf")) == 1
    assert receiver.requests == []


def test_the_task_is_a_no_op_unless_a_build_was_asked(tenant, design):
    order = build(order_make(design))
    built_at, name = order.pack_built_at, order.pack.name

    order_pack_build_task.apply(args=[order.pk])  # redelivered
    order_pack_build_task.apply(args=[0])  # deleted meanwhile

    order.refresh_from_db()
    assert (order.pack_status, order.pack_built_at, order.pack.name) == (P.READY, built_at, name)


def test_a_rebuild_replaces_the_zip_and_retires_the_old_link(tenant, design, anonymous):
    order = build(order_make(design))
    old_name, old_url = order.pack.name, pack_url(order)

    order = build(order)
    new_url = pack_url(order)

    assert order.pack.name != old_name
    assert not order.pack.storage.exists(old_name)
    assert anonymous.get(old_url).status_code == 404
    assert anonymous.get(new_url).status_code == 200


def test_a_missing_print_file_fails_the_pack_with_the_reason(tenant, design):
    order = order_make(design)
    asset = design.assets.filter(kind=DesignAsset.Kind.PRINT_PNG).first()
    asset.file.storage.delete(asset.file.name)

    order = build(order)

    assert order.pack_status == P.FAILED
    assert "missing" in order.pack_error
    assert pack_url(order) is None
    assert build(order).pack_status == P.FAILED  # safe to repeat


def test_the_link_is_signed_and_expires(tenant, design, anonymous, settings):
    order = build(order_make(design))
    url = pack_url(order)

    tampered = anonymous.get(url.replace("/packs/", "/packs/x"))
    settings.ASSET_URL_MAX_AGE = -1
    expired = anonymous.get(url)

    assert tampered.status_code == expired.status_code == 404


def test_the_link_works_on_its_workspace_host_never_on_another(other_tenant, tenant, design):
    order = build(order_make(design))
    url = pack_url(order)
    stranger = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="h2@beta.test"))
    own = dashboard_client(tenant, member(tenant, Role.VIEWER))

    assert own.get(url).status_code == 200
    assert stranger.get(url).status_code == 404


@pytest.mark.parametrize("status", [P.NONE, P.FAILED, P.READY, P.BUILDING])
def test_asking_for_the_pack_marks_it_building_whatever_it_was(tenant, status):
    lines = [ItemInput(product=ProductFactory(), unit_price=Decimal("1.00"))]
    order = order_create(
        source=Order.Source.SHOPIFY, items=lines, customer=CUSTOMER, shipping_address=ADDRESS
    )
    Order.objects.filter(pk=order.pk).update(pack_status=status, pack_error="old")

    order.refresh_from_db()
    order_pack_request(order=order)

    order.refresh_from_db()
    assert (order.pack_status, order.pack_error) == (P.BUILDING, "")


def test_the_link_needs_no_login_on_the_workspace_host(tenant, design):
    # Needs "/orders/packs/" in apps.tenants.middleware.OPEN_PREFIXES (the token is the credential).
    order = build(order_make(design))

    response = Client(HTTP_HOST=host(tenant)).get(pack_url(order))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
