"""Dashboard pages for orders: list with filters and counts, detail, status moves, pack, roles, tenancy."""

import pytest
from django.db import connection
from django.urls import reverse

from apps.orders.models import Order
from apps.orders.selectors import order_number_parse
from apps.orders.services import order_transition
from apps.orders.tasks import order_pack_build_task
from apps.tenants.models import Role
from tests.support.clients import dashboard_client, operator_client
from tests.support.factories.orders import ADDRESS, CUSTOMER, order_make
from tests.support.widget import widget_ready_design
from tests.support.workspaces import member

AWAITING_BADGE = "data-awaiting-payment"


@pytest.fixture
def order(design) -> Order:
    return order_make(design)


def test_the_list_shows_orders_with_counts_filters_and_search(as_role, design):
    ada = order_make(design)
    bob = order_make(design, customer={"email": "bob@example.com", "name": "Bob Marley"})
    order_transition(order=bob, status="paid")
    viewer = as_role(Role.VIEWER)

    page = viewer.get("/orders/")
    paid = viewer.get("/orders/", {"status": "paid"})
    by_number = viewer.get("/orders/", {"q": ada.reference})
    by_email = viewer.get("/orders/", {"q": "bob@example"})
    from_shopify = viewer.get("/orders/", {"source": "shopify"})

    assert page.status_code == 200
    html = page.content.decode()
    assert ada.reference in html
    assert "Bob Marley" in html
    chips = {chip["label"]: chip["count"] for chip in page.context["chips"]}
    assert (chips["All"], chips["Pending"], chips["Paid"], chips["Shipped"]) == (2, 1, 1, 0)
    assert list(paid.context["page"].object_list) == [bob]
    assert list(by_number.context["page"].object_list) == [ada]
    assert list(by_email.context["page"].object_list) == [bob]
    assert list(from_shopify.context["page"].object_list) == []
    assert "No order matches these filters." in from_shopify.content.decode()


def test_the_detail_shows_items_previews_addresses_totals_and_timeline(as_role, order):
    order_transition(order=order, status="paid", note="Paid by card", actor="user:owner@alpha.test")

    page = as_role(Role.VIEWER).get(f"/orders/{order.number}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert order.reference in html
    assert 'class="design-thumb" src="/designs/assets/' in html
    assert "1 rue de la Paix" in html
    assert f"{order.total} {order.currency}" in html
    assert "Paid by card" in html
    assert "Pending → Paid" in html
    assert "Mark as" not in html  # viewers cannot move orders
    assert "Rebuild the pack" not in html
    assert "Build the pack" not in html


def test_editors_see_only_the_allowed_moves_and_can_make_one(as_role, order):
    editor = as_role(Role.EDITOR)

    page = editor.get(f"/orders/{order.number}/").content.decode()
    moved = editor.post(f"/orders/{order.number}/transition/", {"status": "paid", "note": "Wire received"})
    illegal = editor.post(f"/orders/{order.number}/transition/", {"status": "pending"}, follow=True)

    assert "Mark as Paid" in page
    assert "Mark as Cancelled" in page
    assert "Mark as Shipped" not in page
    assert moved.status_code == 302
    assert moved["Location"] == f"/orders/{order.number}/"
    order.refresh_from_db()
    assert order.status == "paid"
    change = order.history.last()
    assert (change.note, change.actor) == ("Wire received", f"user:{Role.EDITOR}@alpha.test")
    assert "cannot move from this status" in illegal.content.decode()


def test_viewers_cannot_move_orders_or_build_packs(as_role, order):
    viewer = as_role(Role.VIEWER)

    moved = viewer.post(f"/orders/{order.number}/transition/", {"status": "paid"})
    built = viewer.post(f"/orders/{order.number}/pack/")

    assert moved.status_code == built.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.pack_status) == ("pending", "none")


def test_an_editor_builds_the_pack_then_downloads_it(as_role, order):
    editor = as_role(Role.EDITOR)

    early = editor.get(f"/orders/{order.number}/pack/download/", follow=True)
    built = editor.post(f"/orders/{order.number}/pack/")
    building = editor.get(f"/orders/{order.number}/").content.decode()
    order_pack_build_task.apply(args=[order.pk])
    page = editor.get(f"/orders/{order.number}/").content.decode()
    download = editor.get(f"/orders/{order.number}/pack/download/")
    zip_file = editor.get(download["Location"])

    assert "not ready yet" in early.content.decode()
    assert built.status_code == 302
    assert 'hx-trigger="every 3s"' in building  # the pack card refreshes itself while building
    assert "Download the pack" in page
    assert "every 3s" not in page  # built: the card stops polling
    assert "Rebuild the pack" in page
    assert download.status_code == 302
    assert download["Location"].startswith("/orders/packs/")
    assert zip_file.status_code == 200
    assert zip_file["Content-Type"] == "application/zip"


def test_another_workspace_member_gets_404_on_this_workspaces_order(other_tenant, tenant, order):
    stranger = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="h2-owner@beta.test"))

    detail = stranger.get(f"/orders/{order.number}/")
    moved = stranger.post(f"/orders/{order.number}/transition/", {"status": "paid"})
    built = stranger.post(f"/orders/{order.number}/pack/")
    listed = stranger.get("/orders/")

    assert detail.status_code == moved.status_code == built.status_code == 404
    assert order.reference not in listed.content.decode()


def test_unknown_orders_are_404(as_role):
    assert as_role(Role.VIEWER).get("/orders/999999/").status_code == 404


def test_operators_see_a_workspaces_orders_with_items_and_history_read_only(tenant, order, settings):
    connection.set_schema_to_public()
    operator = operator_client()

    def url(name, *args):
        return reverse(f"admin:{name}", args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)

    listed = operator.get(url("orders_order_changelist"), {"workspace": "alpha"})
    searched = operator.get(url("orders_order_changelist"), {"q": order.reference})
    change = operator.get(url("orders_order_change", order.pk))
    add = operator.get(url("orders_order_add"))

    assert order.customer_email in listed.content.decode()
    assert searched.context["cl"].result_count == 1
    assert change.status_code == 200
    html = change.content.decode()
    assert "Ada Lovelace" in html
    assert "Order items" in html
    assert "Order status changes" in html
    assert add.status_code == 403


def order_request(widget, product) -> Order:
    """An order the widget took for a brand without online payment: an order request."""
    design = widget_ready_design(widget, product)
    body = {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    response = widget.post("orders", body)
    assert response.status_code == 201, response.content
    assert response.json()["payment_url"] is None
    return Order.objects.get(number=order_number_parse(response.json()["number"]))


def test_order_requests_awaiting_payment_are_badged_and_can_be_listed_alone(
    as_role, widget, widget_product, design
):
    # Given an order request, an API order with a note of its own, and an order request since paid
    request = order_request(widget, widget_product)
    noted = order_make(design, note="Gift wrap, please")
    paid = order_transition(order=order_request(widget, widget_product), status="paid")
    viewer = as_role(Role.VIEWER)

    # When the list is shown, whole then filtered to what awaits payment, and each order's page
    listed = viewer.get("/orders/").text
    awaiting = viewer.get("/orders/", {"payment": "awaiting"})
    pages = {order: viewer.get(f"/orders/{order.number}/").text for order in (request, noted, paid)}

    # Then only the unpaid order request carries the badge, in the list and on its page
    assert listed.count(AWAITING_BADGE) == 1
    row = listed.split(f">{request.reference}</a>", 1)[1].split("</tr>", 1)[0]
    assert f'<span class="badge badge-awaiting" {AWAITING_BADGE}>Awaiting payment</span>' in row
    assert AWAITING_BADGE in pages[request]
    assert AWAITING_BADGE not in pages[noted]
    assert AWAITING_BADGE not in pages[paid]
    # and the filter keeps it alone, counted under Pending
    assert list(awaiting.context["page"].object_list) == [request]
    chips = {chip["label"]: chip["count"] for chip in awaiting.context["chips"]}
    assert (chips["All"], chips["Pending"], chips["Paid"]) == (1, 1, 0)
    assert '<option value="awaiting" selected>Awaiting payment</option>' in awaiting.text


@pytest.mark.parametrize(("language", "label"), [("fr", "En attente de paiement"), ("zh-hans", "等待付款")])
def test_the_awaiting_payment_badge_is_translated(as_role, widget, widget_product, settings, language, label):
    request = order_request(widget, widget_product)
    viewer = as_role(Role.VIEWER)
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    listed = viewer.get("/orders/").text
    detail = viewer.get(f"/orders/{request.number}/").text

    assert f"{AWAITING_BADGE}>{label}</span>" in listed
    assert f"{AWAITING_BADGE}>{label}</span>" in detail


def test_another_workspace_lists_none_of_this_ones_order_requests(other_tenant, widget, widget_product):
    order_request(widget, widget_product)
    stranger = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    response = stranger.get("/orders/", {"payment": "awaiting"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert AWAITING_BADGE not in response.text
