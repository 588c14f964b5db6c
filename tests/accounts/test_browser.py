"""A person in headless Chromium: sign up, land on the workspace, create an API key shown once, revoke it."""

import hashlib
import uuid

import pytest

from apps.tenants.models import ApiKey, Membership, Role
from tests.support.axe import axe_check
from tests.support.browser import launch, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_sign_up_then_create_an_api_key_shown_once(live_server, settings):
    from playwright.sync_api import expect, sync_playwright

    # given the live server's port in the links between hosts
    port = live_server.thread.port
    settings.SITE_PORT = str(port)
    slug = f"mugs-{uuid.uuid4().hex[:8]}"
    workspace_url = f"http://{slug}.localhost:{port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=workspace_url)
        page = context.new_page()
        page.set_default_timeout(15_000)

        # when a visitor signs up on the public site
        page.goto(f"http://localhost:{port}/")
        axe_check(page)
        page.get_by_role("link", name="Sign up").first.click()
        page.get_by_label("Email").fill("founder@mugs.test")
        page.get_by_label("Password", exact=True).fill("a-Strong-pass-42")
        page.get_by_label("Password (again)").fill("a-Strong-pass-42")
        page.get_by_label("Workspace name").fill("Mugs & Co")
        page.get_by_label("Workspace address").fill(slug)
        axe_check(page)
        page.get_by_role("button", name="Sign up").click()

        # then they land on their workspace's dashboard, as owner
        page.wait_for_url(f"{workspace_url}/")
        expect(page.get_by_role("heading", name="Mugs & Co")).to_be_visible()
        expect(page.locator(".role-label")).to_have_text("Owner")
        axe_check(page)

        # when they create an API key
        page.get_by_role("link", name="Settings").click()
        page.get_by_role("link", name="API keys").click()
        page.get_by_role("link", name="Create a key").click()
        page.get_by_label("Name").fill("Shopify store")
        page.get_by_role("button", name="Create key").click()

        # then the key is shown once, with a working copy button
        raw = page.locator("#new-api-key").inner_text().strip()
        assert raw.startswith("sk_live_")
        expect(page.get_by_text("It is shown only once")).to_be_visible()
        axe_check(page)
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == raw
        page.get_by_role("link", name="I have copied it").click()
        page.wait_for_url(f"{workspace_url}/settings/api-keys/")
        expect(page.get_by_role("cell", name="Shopify store")).to_be_visible()
        axe_check(page)
        listing = page.content()

        # and revoking it (htmx, after a confirmation) updates the row in place
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("link", name="Revoke").click()
        expect(page.locator("#messages")).to_contain_text("The key “Shopify store” was revoked.")
        expect(page.get_by_role("row", name="Shopify store")).to_contain_text("Revoked")
        assert page.url == f"{workspace_url}/settings/api-keys/"
        browser.close()

    assert raw not in listing
    assert raw[:16] in listing
    key = ApiKey.objects.get(tenant__schema_name=slug)
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not key.is_active
    assert (
        Membership.objects.get(tenant__schema_name=slug, user__email="founder@mugs.test").role == Role.OWNER
    )
