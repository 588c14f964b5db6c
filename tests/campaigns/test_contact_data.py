"""A person's data on request: everything exported as JSON, or erased (orders anonymised, the
address kept on the suppression list only)."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from apps.campaigns import services
from apps.campaigns.models import Recipient, Suppression
from apps.campaigns.sending import batch_send
from apps.crm.models import ConsentEvent, Customer, CustomerOrder, SalesLine
from apps.crm.services import customer_update
from apps.orders.models import Order
from apps.tenants.models import Role
from tests.support.campaigns import campaign_make
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, item_make, line_make
from tests.support.workspaces import member


@pytest.fixture
def loic(tenant):
    loic = customer_make(
        first_name="Loïc", last_name="Lefèvre", email="loic@example.fr", phone="+33123456789"
    )
    customer_update(customer=loic, marketing_consent=True, consent_source="shop", consent_ip="192.0.2.1")
    line_make(loic, item_make("RIES", "Riesling"), day=timezone.localdate(), amount="26.00")
    order = Order.objects.create(
        number=1,
        source="api",
        customer_email="loic@example.fr",
        customer_name="Loïc Lefèvre",
        currency="EUR",
        total="30.00",
        shipping_address={"line1": "1 rue de l'Église", "city": "Mulhouse"},
    )
    CustomerOrder.objects.create(customer=loic, order=order)
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    batch_send(campaign)
    return Customer.objects.get(pk=loic.pk)


def test_an_admin_downloads_everything_held_about_a_person(tenant, loic):
    client = dashboard_client(tenant, member(tenant, Role.ADMIN))

    answer = client.get(f"/campaigns/contacts/{loic.pk}/data.json")

    data = json.loads(answer.content)
    assert answer["Content-Disposition"] == f'attachment; filename="customer-{loic.pk}-data.json"'
    assert data["customer"]["email"] == "loic@example.fr"
    assert data["customer"]["phone"] == "+33123456789"
    assert [event["ip"] for event in data["consent_log"]] == ["192.0.2.1"]
    assert [line["label"] for line in data["sales_lines"]] == ["Riesling"]
    assert [order["number"] for order in data["orders"]] == [1]
    assert [(message["campaign"], message["status"]) for message in data["messages"]] == [
        ("Riesling 2024", "sent")
    ]


def test_erasing_blanks_the_person_anonymises_orders_and_keeps_the_address_suppressed(tenant, loic):
    client = dashboard_client(tenant, member(tenant, Role.OWNER))
    refused = client.post(
        f"/campaigns/contacts/{loic.pk}/erase/", {"confirm": "someone@else.com"}, follow=True
    )
    assert "Type the customer" in refused.text
    assert Customer.objects.get(pk=loic.pk).email == "loic@example.fr"

    client.post(f"/campaigns/contacts/{loic.pk}/erase/", {"confirm": " LOIC@example.fr "})

    loic.refresh_from_db()
    assert (loic.email, loic.first_name, loic.last_name, loic.phone) == ("", "", "", "")
    assert loic.marketing_consent is None
    assert not ConsentEvent.objects.filter(customer=loic).exists()
    order = Order.objects.get(number=1)
    assert (order.customer_email, order.customer_name, order.shipping_address) == (
        "erased@invalid.invalid",
        "—",
        {},
    )
    assert order.total == 30
    assert SalesLine.objects.filter(customer=loic).count() == 1  # the figures stay, anonymous
    assert set(Recipient.objects.values_list("email", flat=True)) == {""}
    assert Suppression.objects.get().reason == Suppression.Reason.ERASED
    assert "loic@example.fr" not in json.dumps(services.contact_data(loic), default=str)


def test_editors_cannot_export_or_erase_and_other_workspaces_get_404(other_tenant, tenant, loic):
    editor = dashboard_client(tenant, member(tenant, Role.EDITOR))
    intruder = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    assert editor.get(f"/campaigns/contacts/{loic.pk}/data.json").status_code == 403
    assert (
        editor.post(f"/campaigns/contacts/{loic.pk}/erase/", {"confirm": "loic@example.fr"}).status_code
        == 403
    )
    assert intruder.get(f"/campaigns/contacts/{loic.pk}/").status_code == 404
    assert intruder.get(f"/campaigns/contacts/{loic.pk}/data.json").status_code == 404
    assert (
        intruder.post(f"/campaigns/contacts/{loic.pk}/erase/", {"confirm": "loic@example.fr"}).status_code
        == 404
    )
    connection.set_tenant(tenant)
    assert Customer.objects.get(pk=loic.pk).email == "loic@example.fr"
