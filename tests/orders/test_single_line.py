"""A customer's name is one line, whoever sends the order."""

from django.test import Client

from apps.orders.models import Order
from tests.support.clients import api_client, error_code, post_json
from tests.support.factories.orders import ADDRESS, CUSTOMER


def test_an_order_whose_customer_name_holds_a_line_break_is_422_naming_the_field(tenant, design):
    client: Client = api_client(tenant, ["orders:write"])
    data = {
        "items": [{"design": design.public_id}],
        "customer": {**CUSTOMER, "name": "Ada\nBcc: x@y"},
        "shipping_address": ADDRESS,
    }

    response = post_json(client, "/api/v1/orders", data)

    assert response.status_code == 422
    assert error_code(response) == "order_invalid"
    assert set(response.json()["error"]["details"]["fields"]) == {"customer.name"}
    assert not Order.objects.exists()
