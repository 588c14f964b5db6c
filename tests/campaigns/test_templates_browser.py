"""An editor in headless Chromium: the first template from the empty list, blocks added and saved
without JavaScript of ours, the framed preview loading under the Content-Security-Policy, and a
test sent to themselves; axe finds no serious violation."""

import pytest
from django.core import mail

from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, launch, log_in, needs_chromium
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def test_an_editor_writes_a_template_previews_it_and_sends_a_test(live_server):
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="editor@alpha.test")
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        blocked = csp_violations(page)

        # Given an editor on the empty template list
        log_in(page, base, "editor@alpha.test")
        page.goto(f"{base}/campaigns/templates/")
        axe_check(page)
        page.get_by_role("link", name="Create your first template").click()

        # When they create a template, add a heading and a button, and save
        page.get_by_label("Name").fill("Spring")
        page.get_by_label("Subject").fill("Spring is here, {{ first_name }}")
        page.get_by_role("button", name="Create").click()
        expect(page.locator("#blocks-empty")).to_be_visible()
        page.get_by_role("button", name="+ Heading").click()
        page.get_by_role("button", name="+ Button").click()
        page.locator("#id_b-0-text").fill("Hello {{ first_name }}")
        page.locator("#id_b-1-label").fill("See the mugs")
        page.locator("#id_b-1-url").fill("https://shop.example/mugs")
        page.get_by_role("button", name="Move block 2 up").click()
        page.get_by_role("button", name="Move block 1 down").click()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("The template is saved.")).to_be_visible()
        axe_check(page)

        # Then the preview shows the e-mail with sample data, framed without a policy violation
        frame = page.frame_locator("#template-preview iframe")
        expect(frame.get_by_text("Hello Alex")).to_be_visible()
        expect(frame.get_by_role("link", name="See the mugs")).to_be_visible()
        assert blocked == []

        # And typing changes the preview before anything is saved
        page.locator("#id_b-0-text").fill("Hello {{ first_name }}, spring is here")
        expect(page.locator("#preview-state")).to_have_text("Showing your unsaved changes.")
        expect(frame.get_by_text("Hello Alex, spring is here")).to_be_visible()
        assert blocked == []

        # And a test lands in their inbox
        page.get_by_role("button", name="Send a test to myself").click()
        expect(page.get_by_text("A test is on its way to editor@alpha.test.")).to_be_visible()
        browser.close()

    [message] = mail.outbox
    assert message.subject == "[Test] Spring is here, Alex"
