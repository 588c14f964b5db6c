"""Every Luneo order belongs to a customer: attached as it is placed, and backfilled for orders
placed before the CRM existed."""

import importlib

import pytest
from django.apps import apps as django_apps

from apps.crm.models import Customer, CustomerOrder
from apps.crm.services import customer_match
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import CUSTOMER, order_make
from tests.support.factories.products import product_make

backfill = importlib.import_module("apps.crm.migrations.0002_orders_backfill").backfill


@pytest.fixture
def design(tenant):
    return ready_design(product_make())


def test_an_order_creates_its_customer_and_the_next_one_with_the_same_email_joins_it(design):
    first = order_make(design)
    second = order_make(design, customer={**CUSTOMER, "email": "  ADA@Example.com "})

    customer = Customer.objects.get()
    assert (customer.email, customer.first_name, customer.last_name) == ("ada@example.com", "Ada", "Lovelace")
    assert (customer.city, customer.postal_code, customer.country) == ("Paris", "75002", "FR")
    assert customer.source == "api"
    assert {link.order_id for link in customer.order_links.all()} == {first.pk, second.pk}


def test_a_client_code_wins_over_the_email(tenant):
    coded = Customer.objects.create(external_id="C00001", email="shared@example.com")
    Customer.objects.create(email="shared@example.com")

    assert customer_match(external_id="C00001", email="other@example.com") == coded
    assert customer_match(email="SHARED@example.com ") == coded  # the oldest with the e-mail
    assert customer_match(external_id="C99999") is None


def test_orders_placed_before_the_crm_are_attached_once(design):
    order = order_make(design)
    order_make(design, customer={**CUSTOMER, "email": "grace@example.com", "name": "Grace Hopper"})
    CustomerOrder.objects.all().delete()
    Customer.objects.all().delete()

    backfill(django_apps, None)
    backfill(django_apps, None)  # run again: nothing doubles

    assert Customer.objects.count() == 2
    assert CustomerOrder.objects.count() == 2
    assert CustomerOrder.objects.get(order=order).customer.email == "ada@example.com"
