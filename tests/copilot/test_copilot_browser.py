"""A brand editor in headless Chromium, with daphne serving the pages and `/ws/copilot/<id>/`:
the copilot's side panel opened from the Orders page, a question answered with its source link,
a proposed action confirmed from its card, and the conversation found on the copilot's page."""

import pytest

from apps.campaigns.models import Campaign
from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, in_workspace, launch, log_in, needs_chromium, serve_static
from tests.support.crm_pages import customer_make, score_make
from tests.support.factories.analytics import days_ago, order_on
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def history() -> None:
    order_on(days_ago(1), total="58.00", email="ada@example.com")
    score_make(customer_make(marketing_consent=True), "champions", monetary=300, recency_days=20)


def test_ask_the_side_panel_see_the_source_and_confirm_an_action(daphne):
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="editor@alpha.test")
    in_workspace(tenant, history)
    base = f"http://alpha.localhost:{daphne.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.route(f"{base}/static/**", serve_static)
        blocked = csp_violations(page)
        log_in(page, base, "editor@alpha.test")

        # Given the Orders page, the copilot opens beside it
        page.goto(f"{base}/orders/")
        page.locator("#copilot-panel summary").click()
        panel = page.locator("#copilot-panel")
        expect(panel.locator("#copilot-onboarding")).to_be_visible()

        # When the editor asks what is wrong here, the answer is about orders, with its source
        panel.get_by_label("Ask the copilot").fill("What's wrong here?")
        panel.get_by_role("button", name="Ask").click()
        expect(panel.locator("#copilot-log")).to_contain_text("Orders by status")
        expect(panel.locator(".copilot-sources a").first).to_have_attribute("href", "/orders/")
        axe_check(page)

        # And a proposed action runs only once confirmed
        panel.get_by_label("Ask the copilot").fill(
            "Draft a campaign for our Champions about the new Riesling"
        )
        panel.get_by_role("button", name="Ask").click()
        card = panel.locator(".copilot-card").last
        expect(card).to_contain_text("Nothing is sent.")
        assert in_workspace(tenant, lambda: Campaign.objects.count()) == 0
        card.get_by_role("button", name="Confirm").click()
        expect(panel.locator(".copilot-card").last).to_contain_text("Draft campaign")
        expect(panel.locator(".copilot-card").last.get_by_role("link", name="Open")).to_be_visible()

        # Then the conversation is on the copilot's page
        page.goto(f"{base}/copilot/")
        expect(page.locator("#copilot-conversations")).to_contain_text("What's wrong here?")
        axe_check(page)
        assert blocked == []
        browser.close()

    assert in_workspace(tenant, lambda: list(Campaign.objects.values_list("status", flat=True))) == ["draft"]
