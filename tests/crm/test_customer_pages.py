"""The Customers pages: the list (search, filters, sort, pages, CSV, onboarding, upcoming
occasions) and one customer's 360 page (orders, sales and returns, designs and abandoned designs,
RFM, segment history, recommendations, consent)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.designs.models import Design
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.crm_pages import (
    customer_make,
    design_started,
    item_make,
    line_make,
    recommendation_make,
    score_make,
    segment_move,
    widget_order,
)
from tests.support.factories.products import product_make
from tests.support.workspaces import member

TODAY = timezone.localdate()


def names(response) -> list[str]:
    return [str(customer) for customer in response.context["page"].object_list]


@pytest.fixture
def wine(tenant):
    """Three customers of a wine estate: Loïc (Champions, Riesling, consented), Marie (At risk,
    Crémant two years ago, refused), Paul (never bought, consent unknown)."""
    riesling = item_make("RIES", "Riesling", family="Alsace")
    cremant = item_make("CREMANT", "Crémant d'Alsace", family="Effervescents")
    loic = customer_make(
        first_name="Loïc",
        last_name="Lefèvre",
        email="loic@example.fr",
        external_id="C00001",
        marketing_consent=True,
    )
    marie = customer_make(
        first_name="Marie",
        last_name="Durand",
        email="marie@example.fr",
        external_id="C00002",
        marketing_consent=False,
    )
    paul = customer_make(
        first_name="Paul", last_name="Martin", email="paul@example.com", external_id="C00790"
    )
    line_make(loic, riesling, day=TODAY - timedelta(days=10), amount="126.46")
    line_make(marie, cremant, day=TODAY - timedelta(days=800), amount="40.00")
    score_make(loic, "champions", monetary="126.46")
    score_make(marie, "at_risk", monetary="40.00")
    return {"riesling": riesling, "cremant": cremant, "loic": loic, "marie": marie, "paul": paul}


def test_the_customers_item_opens_the_list_instead_of_coming_soon(as_role, wine):
    page = as_role(Role.VIEWER).get("/customers/")

    assert page.status_code == 200
    assert "Coming soon" not in page.text
    assert 'href="/customers/" class="active" aria-current="page"' in page.text
    assert names(page) == ["Marie Durand", "Loïc Lefèvre", "Paul Martin"]  # by last name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lefèvre", ["Loïc Lefèvre"]),
        ("MARIE@example", ["Marie Durand"]),
        ("C00790", ["Paul Martin"]),
        ("example.fr C0000", ["Marie Durand", "Loïc Lefèvre"]),
        ("nobody", []),
    ],
)
def test_the_list_searches_names_emails_and_client_codes(as_role, wine, query, expected):
    assert names(as_role(Role.VIEWER).get("/customers/", {"q": query})) == expected


def test_the_list_filters_by_segment_last_purchase_article_and_consent(as_role, wine):
    client = as_role(Role.VIEWER)

    def listed(**params):
        return names(client.get("/customers/", params))

    assert listed(segment="champions") == ["Loïc Lefèvre"]
    assert listed(last_purchase="30") == ["Loïc Lefèvre"]
    assert listed(last_purchase="older") == ["Marie Durand"]
    assert listed(last_purchase="never") == ["Paul Martin"]
    assert listed(bought=f"item:{wine['cremant'].pk}") == ["Marie Durand"]
    assert listed(consent="yes") == ["Loïc Lefèvre"]
    assert listed(consent="no") == ["Marie Durand"]
    assert listed(consent="unknown") == ["Paul Martin"]
    assert listed(consent="yes", segment="at_risk") == []


def test_the_list_filters_by_luneo_product_design_style_and_design_word(as_role, wine):
    mug = product_make()
    widget_order(
        mug,
        email="anna@example.com",
        name="Anna Weber",
        session="s-anna",
        prompt="A lighthouse at sea",
        style="watercolor",
    )
    item_make("MUG", "Mug at the estate", product=mug)
    client = as_role(Role.VIEWER)

    assert names(client.get("/customers/", {"bought": f"product:{mug.pk}"})) == ["Anna Weber"]
    assert names(client.get("/customers/", {"style": "watercolor"})) == ["Anna Weber"]
    assert names(client.get("/customers/", {"style": "pop-art"})) == []
    assert names(client.get("/customers/", {"word": "LIGHTHOUSE"})) == ["Anna Weber"]
    assert names(client.get("/customers/", {"last_purchase": "30"})) == ["Loïc Lefèvre", "Anna Weber"]


def test_design_words_match_whole_words_only(as_role, wine):
    mug = product_make()
    widget_order(
        mug, email="anna@example.com", name="Anna Weber", session="s-anna", prompt="Seagulls at dawn"
    )
    client = as_role(Role.VIEWER)

    assert names(client.get("/customers/", {"word": "seagulls"})) == ["Anna Weber"]
    assert names(client.get("/customers/", {"word": "sea"})) == []


def _design_lovers():
    """Anna and Bob (watercolour lighthouses; Bob also left a finished seagull unordered), Chloé
    (a pop-art lighthouse), Dan (an unfinished design, never ordered)."""
    mug = product_make()
    widget_order(
        mug,
        email="anna@example.com",
        name="Anna Weber",
        session="s-a",
        prompt="A lighthouse, waves",
        style="watercolor",
    )
    widget_order(
        mug,
        email="bob@example.com",
        name="Bob Stone",
        session="s-b",
        prompt="Lighthouse at night",
        style="watercolor",
    )
    design_started(mug, session="s-b", prompt="Seagulls", style="watercolor", ready=True)
    widget_order(
        mug,
        email="chloe@example.com",
        name="Chloé Petit",
        session="s-c",
        prompt="Pop lighthouse",
        style="pop-art",
    )
    widget_order(mug, email="dan@example.com", name="Dan Ray", session="s-d", prompt="Fox", style="pop-art")
    design_started(mug, session="s-d", prompt="Owl")  # never finished: not abandoned
    return mug


def test_customers_who_left_a_finished_design_unordered_are_a_filter(as_role, wine):
    _design_lovers()
    client = as_role(Role.VIEWER)

    assert names(client.get("/customers/", {"abandoned": "on"})) == ["Bob Stone"]
    assert "Left a design unordered" in client.get("/customers/").text


def test_the_affinity_page_groups_customers_by_design_style_and_word(as_role, wine):
    _design_lovers()

    page = as_role(Role.VIEWER).get("/customers/affinity/")

    groups = page.context["groups"]
    assert groups.customers == 4
    styles = [(key, count) for key, _label, count in groups.styles]
    assert styles == [("pop-art", 2), ("watercolor", 2), ("illustration", 1)]  # Dan's owl: no style
    assert groups.words == [("lighthouse", 3)]  # "seagulls", "waves", "fox" are one customer's each
    assert page.context["abandoned"] == 1
    assert "/customers/?word=lighthouse" in page.text
    assert "/customers/?style=watercolor" in page.text
    assert "/customers/?abandoned=on" in page.text


def test_the_affinity_page_invites_to_wait_for_designs_when_there_are_none(as_role, tenant):
    page = as_role(Role.VIEWER).get("/customers/affinity/")

    assert page.status_code == 200
    assert page.context["groups"].customers == 0
    assert "No design from a known customer yet" in page.text


def test_the_list_sorts_and_pages(as_role, wine):
    for n in range(30):
        customer_make(first_name="Zed", last_name=f"Zulu{n:02d}")
    client = as_role(Role.VIEWER)

    first = client.get("/customers/", {"sort": "-last_purchase"})
    last = client.get("/customers/", {"sort": "-last_purchase", "page": 2})

    assert names(first)[:2] == ["Loïc Lefèvre", "Marie Durand"]
    assert len(names(first)) == 25
    assert len(names(last)) == 8
    assert 'href="?sort=-last_purchase&amp;page=2"' in first.text
    assert "Page 1 of 2" in first.text


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"segment": "nope"}, {"bought": "item:999999"}, {"bought": "x:1"}, {"sort": "pk"}],
)
def test_bad_filters_are_shown_not_a_server_error(as_role, wine, params):
    page = as_role(Role.VIEWER).get("/customers/", params)

    assert page.status_code == 200


def test_the_csv_export_holds_the_filtered_list_with_formulas_neutralised(as_role, wine):
    customer_make(
        first_name='=HYPERLINK("http://x")',
        last_name="Evil",
        email="evil@example.fr",
        external_id="+C1",
        marketing_consent=True,
    )

    response = as_role(Role.VIEWER).get("/customers/export.csv", {"consent": "yes"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming  # never held whole in memory
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [row["email"] for row in rows] == ["evil@example.fr", "loic@example.fr"]
    evil, loic = rows
    assert evil["first_name"] == '\'=HYPERLINK("http://x")'
    assert evil["client_code"] == "'+C1"
    assert (loic["client_code"], loic["segment"], loic["monetary"], loic["marketing_consent"]) == (
        "C00001",
        "champions",
        "126.46",
        "yes",
    )
    assert loic["last_purchase"] == (TODAY - timedelta(days=10)).isoformat()


def test_an_empty_workspace_invites_to_import_customers(as_role, tenant):
    page = as_role(Role.VIEWER).get("/customers/")

    assert 'id="customers-onboarding"' in page.text
    assert "Import your customers" in page.text
    assert page.context["imports_url"] in page.text


def test_the_360_page_shows_everything_known_about_the_customer(as_role, wine):
    mug = product_make()
    order, ordered = widget_order(
        mug,
        email="loic@example.fr",
        name="Loïc Lefèvre",
        session="s-loic",
        prompt="A lighthouse on the sea",
        style="watercolor",
        texts=["Anna & Tom 12.06.2021"],
    )
    abandoned = design_started(
        mug, session="s-loic", prompt="Seagulls over the sea", style="watercolor", ready=True
    )
    design_started(mug, session="s-someone-else", prompt="Not Loïc's")
    loic, riesling = wine["loic"], wine["riesling"]
    line_make(
        loic,
        riesling,
        day=TODAY - timedelta(days=5),
        document_no="A0000002",
        quantity=2,
        amount="25.00",
        credit_note=True,
    )
    segment_move(loic, "", "new", date(2024, 1, 1))
    segment_move(loic, "new", "champions", date(2025, 1, 1))
    recommendation_make(
        loic,
        wine["cremant"],
        "cross_sell",
        {
            "code": "cross_sell",
            "label": "Crémant",
            "with": "Riesling",
            "together": 12,
            "confidence": 40,
            "lift": 2.4,
        },
    )
    recommendation_make(
        loic,
        riesling,
        "rebuy",
        {
            "code": "rebuy",
            "label": "Riesling",
            "times": 3,
            "every_days": 60,
            "last_days": 58,
            "window_days": [50, 62],
        },
    )
    loic.score.p_alive = 0.83
    loic.score.save()

    page = as_role(Role.VIEWER).get(f"/customers/{loic.pk}/")

    text = page.text
    assert page.status_code == 200
    assert "<h1>Loïc Lefèvre" in text
    assert "C00001" in text
    assert "loic@example.fr" in text
    assert '<span class="badge" id="customer-segment">Champions</span>' in text
    assert "Chance they still buy (estimate)" in text
    assert "83 %" in text
    assert order.reference in text
    assert "Riesling" in text
    assert "A0000002" in text
    assert ">Return</span>" in text
    assert "Sale lines: 1 · returns: 1 · net incl. tax: 101.46" in text
    view = page.context["view"]
    assert [design.pk for design, _thumb in view.designs] == [ordered.pk]
    assert [design.pk for design, _thumb in view.abandoned] == [abandoned.pk]
    assert [thumb is not None for _design, thumb in page.context["abandoned"]] == [True]
    assert "Seagulls over the sea" in text
    assert "Not Loïc" not in text
    assert "New → Champions" in text
    assert "often bought with Riesling: 40% of baskets with it, 2.4× more than usual (12 baskets)" in text
    assert "bought Riesling 3× about every 60 days, last 58 days ago" in text
    assert "Likes: Watercolour, sea, " in text
    assert "Anniversary" in text
    assert "Anna &amp; Tom" in text
    assert 'id="customer-chart-data"' in text
    assert sum(view.chart["datasets"][0]["data"]) == pytest.approx(101.46)
    assert sum(view.chart["datasets"][1]["data"]) == pytest.approx(float(order.total))


def test_an_editor_changes_the_consent_with_its_date_and_source(as_role, wine):
    marie = wine["marie"]

    response = as_role(Role.EDITOR).post(f"/customers/{marie.pk}/consent/", {"consent": "yes"}, follow=True)

    marie.refresh_from_db()
    assert marie.marketing_consent is True
    assert marie.consent_source == "dashboard"
    assert abs(marie.consent_at - timezone.now()) < timedelta(minutes=1)
    assert "The e-mail consent is saved." in response.text


def test_a_viewer_cannot_change_the_consent_nor_sees_the_form(as_role, wine):
    loic = wine["loic"]
    client = as_role(Role.VIEWER)

    page = client.get(f"/customers/{loic.pk}/")
    refused = client.post(f"/customers/{loic.pk}/consent/", {"consent": "no"})

    loic.refresh_from_db()
    assert "Save consent" not in page.text
    assert refused.status_code == 403
    assert loic.marketing_consent is True


def test_an_unknown_consent_value_changes_nothing(as_role, wine):
    loic = wine["loic"]

    response = as_role(Role.EDITOR).post(f"/customers/{loic.pk}/consent/", {"consent": "maybe"}, follow=True)

    loic.refresh_from_db()
    assert loic.marketing_consent is True
    assert "Choose yes, no or unknown." in response.text


def test_unknown_customers_are_404(as_role, tenant):
    client = as_role(Role.EDITOR)
    assert client.get("/customers/999999/").status_code == 404
    assert client.post("/customers/999999/consent/", {"consent": "yes"}).status_code == 404


def test_another_workspace_member_sees_none_of_this_workspaces_customers(other_tenant, tenant, wine):
    loic = wine["loic"]
    _design_lovers()
    stranger_user = member(other_tenant, Role.OWNER, email="crm-owner@beta.test")
    stranger = dashboard_client(other_tenant, stranger_user)
    on_our_host = dashboard_client(tenant, stranger_user)

    detail = stranger.get(f"/customers/{loic.pk}/")
    consent = stranger.post(f"/customers/{loic.pk}/consent/", {"consent": "no"})
    listed = stranger.get("/customers/")
    exported = stranger.get("/customers/export.csv")
    affinity = stranger.get("/customers/affinity/")
    here = on_our_host.get(f"/customers/{loic.pk}/")

    assert detail.status_code == consent.status_code == 404
    assert "Lefèvre" not in listed.text
    assert "loic@example.fr" not in exported.getvalue().decode()
    assert affinity.context["groups"].customers == 0
    assert here.status_code in (302, 403, 404)
    assert "Lefèvre" not in here.content.decode()
    loic.refresh_from_db()
    assert loic.marketing_consent is True


def test_the_list_shows_occasions_coming_back_soon(as_role, wine):
    mug = product_make()
    soon = TODAY + timedelta(days=12)
    later = TODAY + timedelta(days=200)
    _order, anna = widget_order(
        mug,
        email="anna@example.com",
        name="Anna Weber",
        session="s-a",
        texts=[f"Anna & Tom {soon:%d.%m}.2019"],
    )
    _order, bob = widget_order(
        mug, email="bob@example.com", name="Bob Stone", session="s-b", texts=[f"Bob & Eve {later:%d.%m}.2019"]
    )
    # Both designs were made about a year ago, a week before the day they name.
    Design.objects.filter(pk=anna.pk).update(created_at=timezone.now() - timedelta(days=360))
    Design.objects.filter(pk=bob.pk).update(created_at=timezone.now() - timedelta(days=170))

    page = as_role(Role.VIEWER).get("/customers/")

    reminders = page.context["occasions"]
    assert [(reminder.customer.email, reminder.on) for reminder in reminders] == [("anna@example.com", soon)]
    assert "Upcoming occasions" in page.text
    assert "Anna &amp; Tom" in page.text
    assert "Bob &amp; Eve" not in page.text


# --- query counts ------------------------------------------------------------------------------


def _many(n: int, riesling):
    for index in range(n):
        customer = customer_make()
        score_make(customer, "loyal")
        line_make(customer, riesling, day=TODAY - timedelta(days=index))


def test_the_list_runs_the_same_queries_for_3_or_60_customers(as_role, wine, django_assert_max_num_queries):
    client = as_role(Role.VIEWER)
    client.get("/customers/")  # the session and workspace caches warm
    with django_assert_max_num_queries(14) as few:
        client.get("/customers/", {"sort": "-last_purchase"})
    _many(60, wine["riesling"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/customers/", {"sort": "-last_purchase"})
    assert len(names(page)) == 25


def test_the_360_page_runs_the_same_queries_whatever_its_history(
    as_role, wine, django_assert_max_num_queries
):
    loic, riesling = wine["loic"], wine["riesling"]
    client = as_role(Role.VIEWER)
    client.get(f"/customers/{loic.pk}/")
    with django_assert_max_num_queries(20) as few:
        client.get(f"/customers/{loic.pk}/")
    for index in range(40):
        line_make(loic, riesling, day=TODAY - timedelta(days=index * 7))
        segment_move(loic, "loyal", "champions", TODAY - timedelta(days=index))
    recommendation_make(
        loic,
        wine["cremant"],
        "diversity",
        {"code": "diversity", "label": "Crémant", "family": "Effervescents"},
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/customers/{loic.pk}/")
    assert "something new: the Effervescents family, never bought, within their usual prices" in page.text
