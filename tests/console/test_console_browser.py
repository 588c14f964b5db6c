"""Headless Chromium through the operators' console: an operator signs in with their second
factor, finds a workspace, opens its dashboard as its owner (read-only, the banner shown), and
leaves. Nothing the Content-Security-Policy blocks on the way."""

import pytest
from django.contrib.auth import get_user_model

from tests.support.browser import csp_violations, launch, needs_chromium
from tests.support.clients import totp_activate, totp_code
from tests.support.factories.tenants import PASSWORD
from tests.support.workspaces import ensure_tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_an_operator_finds_a_workspace_views_it_as_its_owner_and_leaves(live_server, settings):
    from playwright.sync_api import expect, sync_playwright

    settings.SITE_PORT = str(live_server.thread.port)  # links to the workspace's host carry it
    ensure_tenant("alpha")  # its owner is owner@alpha.test
    secret = totp_activate(get_user_model().objects.create_superuser("ops@luneo.test", PASSWORD))
    base = f"http://localhost:{live_server.thread.port}"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        violations = csp_violations(page)

        # The operator signs in with their code and sees the console's index and overview
        page.goto(f"{base}/admin/")
        page.get_by_label("Email").fill("ops@luneo.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Platform overview")).to_be_visible()

        # finds the workspace by searching the list, and opens its page
        page.locator('#content-main a[href="/admin/tenants/tenant/"]').first.click()
        page.locator("#searchbar").fill("alpha")
        page.locator("#searchbar").press("Enter")
        page.get_by_role("link", name="Alpha", exact=True).click()

        # views it as its owner, with a reason
        page.get_by_role("link", name="View as a member…").click()
        page.get_by_label("View as").select_option(label="owner@alpha.test")
        page.get_by_label("Reason").fill("Ticket 4242: the owner cannot find the export")
        page.get_by_role("button", name="Open the dashboard").click()

        # lands on the workspace's own host, read-only, with the banner
        expect(page.locator(".support-banner")).to_contain_text("You are viewing Alpha as owner@alpha.test")
        expect(page.locator(".support-banner")).to_contain_text("read-only")
        assert page.url.startswith(f"http://alpha.localhost:{live_server.thread.port}/")

        # and leaves
        page.locator(".support-banner").get_by_role("button", name="Leave").click()
        expect(page.locator(".support-banner")).to_have_count(0)
        browser.close()

    assert violations == []
