"""Attach the orders placed before the CRM existed to their customers (one per e-mail)."""

from django.db import migrations

CHANNELS = {"widget", "api", "shopify", "woocommerce"}


def backfill(apps, schema_editor):
    Customer = apps.get_model("crm", "Customer")
    CustomerOrder = apps.get_model("crm", "CustomerOrder")
    Order = apps.get_model("orders", "Order")
    customers = {customer.email: customer for customer in Customer.objects.exclude(email="").order_by("-pk")}
    linked = set(CustomerOrder.objects.values_list("order_id", flat=True))
    links = []
    for order in Order.objects.order_by("created_at", "pk").iterator():
        if order.pk in linked:
            continue
        email = (order.customer_email or "").strip().lower()
        customer = customers.get(email) if email else None
        if customer is None:
            first, _, last = (order.customer_name or "").strip().partition(" ")
            address = order.shipping_address or {}
            customer = Customer.objects.create(
                email=email,
                first_name=first[:120],
                last_name=last[:120],
                phone=(order.customer_phone or "")[:32],
                city=str(address.get("city", ""))[:120],
                postal_code=str(address.get("postal_code", ""))[:20],
                country=str(address.get("country", ""))[:2].upper(),
                source=order.source if order.source in CHANNELS else "api",
                created_at=order.created_at,
            )
            if email:
                customers[email] = customer
        links.append(CustomerOrder(customer=customer, order=order))
    CustomerOrder.objects.bulk_create(links, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial"), ("orders", "0003_shops_move_to_integrations")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
