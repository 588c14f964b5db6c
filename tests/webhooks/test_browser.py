"""An admin in headless Chromium: add a webhook endpoint, copy its secret, read the delivery log."""

import pytest
from django.db import connection

from apps.tenants.models import Role
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.services import delivery_attempt, endpoint_secret, event_publish
from tests.support.axe import axe_check
from tests.support.browser import in_workspace, launch, log_in, needs_chromium
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def deliver_an_order_event():
    delivery = event_publish(type="order.created", data={"id": "LU-000001"}).deliveries.get()
    delivery_attempt(delivery_id=delivery.pk, number=1)
    return delivery.pk, delivery.event.public_id


def test_an_admin_adds_an_endpoint_sees_the_secret_once_and_reads_the_log(live_server, receiver, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    member(tenant, Role.ADMIN, email="admin@alpha.test")
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)

        # Given an admin logged into the workspace, on Settings → Webhooks
        log_in(page, base, "admin@alpha.test")
        page.goto(f"{base}/settings/")
        page.get_by_role("link", name="Webhooks").click()

        # When they add an endpoint for new orders
        page.get_by_role("link", name="Add an endpoint").click()
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("An order was created").check()
        page.get_by_role("button", name="Add endpoint").click()

        # Then the signing secret is shown, once
        secret = page.locator("#webhook-secret").inner_text()
        axe_check(page)
        page.get_by_role("link", name="I have copied it").click()
        expect(page.get_by_role("heading", name=receiver.url)).to_be_visible()
        expect(page.locator("#webhook-secret")).to_have_count(0)

        # And once an order event is delivered, the log shows it with the receiver's answer
        delivery_id, event_id = in_workspace(tenant, deliver_an_order_event)
        page.reload()
        row = page.locator(f"#delivery-{delivery_id}")
        expect(row).to_contain_text("order.created")
        expect(row).to_contain_text("Succeeded")
        attempts = page.locator(f"#delivery-{delivery_id}-attempts")
        attempts.get_by_text("Show the attempt").click()
        expect(attempts.locator("tbody tr")).to_have_count(1)
        expect(attempts).to_contain_text("200")
        axe_check(page)

        # And redelivering it says so
        row.get_by_role("button", name="Redeliver").click()
        expect(page.get_by_text(f"The event {event_id} is being sent again.")).to_be_visible()
        page.screenshot(path=str(tmp_path / "webhooks.png"), full_page=True)
        browser.close()

    connection.set_tenant(tenant)
    assert secret == endpoint_secret(WebhookEndpoint.objects.get())
