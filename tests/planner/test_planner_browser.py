"""A brand editor in headless Chromium: a scenario started by chat, its parts added with the
buttons' forms and a typed message (htmx swapping the sidebar and the chat), target suggestions,
the plan generated, exported as CSV, and turned into campaign drafts; a part removed from the
sidebar, and the chat's rate limit said in the page's alert when htmx is answered 429; a reply
reaching, live, another member who has the scenario open."""

import pytest

from apps.campaigns.models import Campaign
from apps.core.api.ratelimit import rate_limit_hit
from apps.planner import services
from apps.planner.chat import CHAT_PER_MINUTE
from apps.tenants.models import Role
from tests.support.axe import axe_check
from tests.support.browser import csp_violations, in_workspace, launch, log_in, needs_chromium, serve_static
from tests.support.crm_pages import customer_make, score_make
from tests.support.workspaces import ensure_tenant, member

pytestmark = [pytest.mark.browser, needs_chromium]


def champions() -> None:
    for n in range(3):
        score_make(customer_make(marketing_consent=True), "champions", monetary=300 + n, recency_days=40)


def test_an_editor_plans_by_chat_and_makes_campaign_drafts(live_server):
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    editor = member(tenant, Role.EDITOR, email="editor@alpha.test")
    in_workspace(tenant, champions)
    base = f"http://alpha.localhost:{live_server.thread.port}"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        blocked = csp_violations(page)

        # Given the editor on the empty Marketing plans page
        log_in(page, base, "editor@alpha.test")
        page.goto(f"{base}/plans/")
        expect(page.locator("#planner-onboarding")).to_be_visible()
        axe_check(page)

        # When they start a scenario by chat
        page.locator("#planner-onboarding").get_by_role("link", name="New scenario").click()
        page.get_by_label("Describe it in a sentence").fill("create a scenario: Cuvée launch")
        page.get_by_role("button", name="Start").click()
        expect(page.locator("h1")).to_have_text("Cuvée launch")
        expect(page.locator("#chat-log")).to_contain_text("Scenario Cuvée launch created.")
        scenario_url = page.url
        axe_check(page)

        # And add an objective with its button's form: the sidebar follows
        page.locator("#part-objective summary").click()
        page.get_by_label("Objective", exact=True).fill("Launch orders")
        page.get_by_label("Metric").fill("orders")
        page.get_by_label("Target value").fill("200")
        page.locator("#part-objective").get_by_role("button", name="Add an objective").click()
        expect(page.locator("#state-objectives")).to_contain_text("Launch orders")

        # And ask for target suggestions, then add the Champions by typing
        page.locator("#chat-actions").get_by_role("button", name="Suggest targets").click()
        expect(page.locator("#chat-log")).to_contain_text("Segments of your customers worth targeting")
        page.get_by_label("Your message").fill("add a target: Champions")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#state-targets")).to_contain_text("3 customers now")

        # And a budget with the resource button
        page.locator("#part-resource summary").click()
        page.get_by_label("Kind").select_option("budget")
        page.get_by_label("Resource", exact=True).fill("Launch budget")
        page.get_by_label("Amount").fill("2000")
        page.locator("#part-resource").get_by_role("button", name="Add a resource").click()
        expect(page.locator("#state-resources")).to_contain_text("Launch budget")

        # Then the plan can be generated: its items show, the sidebar says which version
        page.get_by_role("button", name="Generate the plan").click()
        expect(page.locator("#plan-items")).to_contain_text("E-mail")
        expect(page.locator("#state-plan")).to_contain_text("Version 1")
        axe_check(page)

        # And exported as CSV
        with page.expect_download() as download:
            page.locator("#export-csv").click()
        lines = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115, PTH123
        assert lines[0].startswith("# Cuvée launch — generated ")
        assert lines[1] == "Format,Message,Channel,Frequency,KPI"

        # And turned into campaign drafts, linked from the plan
        page.get_by_role("button", name="Make campaign drafts").click()
        expect(page.locator("#chat-log")).to_contain_text("1 campaign draft, to review before sending")
        page.locator("#plan-items").get_by_role("link", name="Draft").click()
        expect(page.locator("h1")).to_have_text("Cuvée launch — Champions")

        # And a resource is removed from the sidebar: htmx swaps it and says so
        page.goto(scenario_url)
        page.get_by_role("button", name="Remove resource “Launch budget”").click()
        expect(page.locator("#state-resources")).not_to_contain_text("Launch budget")
        expect(page.locator("#messages")).to_contain_text("Resource “Launch budget” removed.")

        # And past the chat's rate limit, a button's 429 is said in the page's alert
        for _n in range(CHAT_PER_MINUTE):
            rate_limit_hit(bucket=("planner-chat", f"user:{editor.pk}"), limit=CHAT_PER_MINUTE, window=60)
        page.locator("#chat-actions").get_by_role("button", name="Suggest targets").click()
        expect(page.get_by_role("alert").filter(has_text="Too many chat requests")).to_be_visible()
        expect(page.locator("#htmx-error")).to_contain_text("Too many requests")
        axe_check(page)
        assert blocked == []
        browser.close()

    drafts = in_workspace(tenant, lambda: list(Campaign.objects.values_list("name", "status")))
    assert drafts == [("Cuvée launch — Champions", "draft")]


@pytest.mark.django_db(transaction=True)
def test_a_reply_reaches_everyone_looking_at_the_scenario_live(daphne):
    """daphne serves the pages and `/ws/planner/<id>/`: what the editor says shows, without a
    reload, on the page a viewer has open (the reply's text, then the sidebar)."""
    from playwright.sync_api import expect, sync_playwright

    tenant = ensure_tenant("alpha")
    member(tenant, Role.EDITOR, email="editor@alpha.test")
    member(tenant, Role.VIEWER, email="viewer@alpha.test")
    in_workspace(tenant, champions)
    scenario = in_workspace(tenant, lambda: services.scenario_create(name="Cuvée launch", user_id=None))
    base = f"http://alpha.localhost:{daphne.port}"
    path = f"{base}/plans/{scenario.pk}/"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        editor, viewer = browser.new_page(), browser.new_page()
        for page, email in ((editor, "editor@alpha.test"), (viewer, "viewer@alpha.test")):
            page.set_default_timeout(15_000)
            page.route(f"{base}/static/**", serve_static)
            log_in(page, base, email)
            page.goto(path)
        blocked = csp_violations(viewer)
        viewer.wait_for_timeout(500)  # its socket opens

        editor.get_by_label("Your message").fill("add a target: Champions")
        editor.get_by_role("button", name="Send").click()

        expect(viewer.locator("#chat-log")).to_contain_text("Target added: Champions (3 customers now).")
        expect(viewer.locator("#state-targets")).to_contain_text("3 customers now")
        assert viewer.get_by_role("button", name="Send").count() == 1
        assert blocked == []
        browser.close()
