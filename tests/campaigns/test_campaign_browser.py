"""A brand owner in headless Chromium: from the empty Campaigns page to an audience with its live
size, a campaign scheduled in their time zone, and — once beat's tick finds it due — the messages
in the local mail catcher, one per consenting address, each with one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.campaigns.models import Campaign, Recipient
from apps.campaigns.tasks import campaigns_tick_task
from apps.tenants.models import Role
from config.celery import app as celery_app
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, in_workspace, launch, log_in, needs_chromium
from tests.support.campaigns import template_make
from tests.support.crm_pages import customer_make
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def readers_and_a_template() -> None:
    customer_make(first_name="Loïc", email="loic@example.fr", marketing_consent=True, language="fr")
    customer_make(first_name="Anna", email="anna@example.com", marketing_consent=True)
    customer_make(first_name="Marie", email="marie@example.fr", marketing_consent=False)
    template_make()


def test_an_owner_builds_an_audience_schedules_a_campaign_and_it_is_sent_when_due(live_server, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    tenant = ensure_tenant("alpha")
    member(tenant, Role.OWNER, email="owner@alpha.test")
    in_workspace(tenant, readers_and_a_template)
    base = f"http://alpha.localhost:{live_server.thread.port}"
    tomorrow = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:30")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        blocked = csp_violations(page)

        # Given the owner on the empty Campaigns page
        log_in(page, base, "owner@alpha.test")
        page.goto(f"{base}/campaigns/")
        expect(page.locator("#campaigns-onboarding")).to_be_visible()
        axe_check(page)

        # When they make an audience of everyone: the size says who receives it and who is left out
        page.get_by_role("link", name="Choose who: an audience from your customer segments").click()
        page.get_by_label("Name").fill("Everyone who agreed")
        page.get_by_role("button", name="Save the audience").click()
        expect(page.locator("#audience-size")).to_contain_text("2 addresses will receive it")
        expect(page.locator("#audience-size")).to_contain_text("1 left out: no marketing consent")
        axe_check(page)

        # And a campaign to it with their template, scheduled for tomorrow in Paris
        page.get_by_role("link", name="New campaign to this audience").click()
        page.get_by_label("Name").fill("Spring")
        page.get_by_label("Template").select_option(label="Riesling launch")
        page.get_by_role("button", name="Create the draft").click()
        page.get_by_label("Schedule").check()
        page.get_by_label("Date and time").fill(tomorrow)
        page.get_by_label("Time zone").select_option("Europe/Paris")
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_text("The campaign is scheduled.")).to_be_visible()
        expect(page.locator("#campaign-status")).to_have_text("Scheduled")
        assert not mail.outbox

        # Then when beat's tick finds it due, it is sent, and the page says so
        def due_and_tick():
            Campaign.objects.update(scheduled_at=timezone.now() - timedelta(seconds=1))
            campaigns_tick_task()
            return list(Recipient.objects.values_list("email", "status").order_by("email"))

        assert in_workspace(tenant, due_and_tick) == [
            ("anna@example.com", "sent"),
            ("loic@example.fr", "sent"),
        ]
        page.reload()
        expect(page.locator("#campaign-status")).to_have_text("Sent")
        expect(page.locator("#campaign-funnel")).to_contain_text("Sent")
        axe_check(page)
        assert blocked == []
        browser.close()

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == ["Du nouveau pour Loïc", "News for Anna"]
    assert all(message.extra_headers["List-Unsubscribe-Post"] for message in mail.outbox)
