"""The customers API: filters, cursor pages, scores and estimates, PATCH with consent, a
customer's recommendations, segments, scopes, bad input and another workspace's key."""

import json
from datetime import date

import pytest
from django_tenants.utils import tenant_context

from apps.crm.models import Customer
from apps.crm.scoring.refresh import crm_refresh
from tests.support.clients import api_client, error_code
from tests.support.crm_pages import design_started, widget_order
from tests.support.factories.crm import customer_make, item_make, sale_make
from tests.support.factories.products import product_make

BASE = "/api/v1/crm"
READ = ["customers:read"]
READ_WRITE = ["customers:read", "customers:write"]
AS_OF = date(2025, 6, 30)


@pytest.fixture
def customers(tenant):
    wine, other = item_make("Riesling", family="White"), item_make("Pinot Noir", family="Red")
    ada = customer_make(first_name="Ada", last_name="Lovelace", email="ada@example.com", external_id="C00001")
    grace = customer_make(first_name="Grace", last_name="Hopper", email="grace@example.com")
    never = customer_make(first_name="Alan", last_name="Turing", email="alan@example.com")
    for day in ("2025-06-01", "2025-06-20"):
        sale_make(ada, day, (wine, 2, 40))
    sale_make(grace, "2025-01-05", (other, 1, 15))
    for _ in range(4):
        sale_make(customer_make(), "2025-05-01", (wine, 1, 10), (other, 1, 10))
    bubbles = item_make("Crémant", family="Sparkling")
    for _ in range(2):  # 9 baskets: lift Pinot Noir → Riesling = 4·9 / (5·6) = 1.2
        sale_make(customer_make(), "2025-05-01", (bubbles, 1, 10))
    crm_refresh(as_of=AS_OF)
    return {"ada": ada, "grace": grace, "never": never}


def _patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_the_list_filters_by_client_code_email_segment_and_search(customers):
    client = api_client(_tenant(), READ)

    def ids(query: str) -> set[int]:
        response = client.get(f"{BASE}/customers?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    ada, grace, never = customers["ada"].pk, customers["grace"].pk, customers["never"].pk
    assert ids("external_id=C00001") == {ada}
    assert ids("email=ADA@example.com") == {ada}
    assert ids("search=hopp") == {grace}
    segment = Customer.objects.get(pk=grace).score.segment
    assert grace in ids(f"segment={segment}")
    assert ada not in ids(f"segment={segment}")
    assert len(ids("")) == 9
    assert never in ids("search=turing")


def _tenant():
    from django.db import connection

    return connection.tenant


def test_the_list_is_in_cursor_pages(customers):
    client = api_client(_tenant(), READ)

    first = client.get(f"{BASE}/customers?page_size=5").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 5
    assert len(second["results"]) == 4
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


def test_a_customer_shows_their_rfm_and_labelled_estimates(customers):
    body = api_client(_tenant(), READ).get(f"{BASE}/customers/{customers['ada'].pk}").json()

    assert (body["external_id"], body["email"]) == ("C00001", "ada@example.com")
    assert body["rfm"]["as_of"] == "2025-06-30"
    assert (body["rfm"]["recency_days"], body["rfm"]["frequency"], body["rfm"]["monetary"]) == (
        10,
        2,
        "80.00",
    )
    assert body["rfm"]["estimates"] == {"label": "estimate", "p_alive": None, "expected_purchases_90d": None}
    assert body["consent"] == {"marketing": None, "changed_at": None, "source": ""}


def test_patch_changes_contact_fields_and_records_consent(customers):
    client = api_client(_tenant(), READ_WRITE)
    path = f"{BASE}/customers/{customers['never'].pk}"

    response = _patch(
        client, path, {"marketing_consent": True, "consent_source": "shop form", "city": "Colmar"}
    )
    again = _patch(client, path, {"marketing_consent": True, "consent_source": "elsewhere"})  # unchanged

    assert response.status_code == 200, response.content
    body = again.json()
    assert body["city"] == "Colmar"
    assert body["consent"]["marketing"] is True
    assert body["consent"]["source"] == "shop form"
    assert body["consent"]["changed_at"] == response.json()["consent"]["changed_at"] is not None
    withdrawn = _patch(client, path, {"marketing_consent": False}).json()
    assert (withdrawn["consent"]["marketing"], withdrawn["consent"]["source"]) == (False, "api")


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email"},
        {"country": "France"},
        {"score": 5},
        {"marketing_consent": "maybe"},
        {"marketing_consent": 0},  # JSON's 0 is not false
        {"marketing_consent": "true"},
    ],
)
def test_patch_refuses_bad_input_with_a_400(customers, data):
    response = _patch(api_client(_tenant(), READ_WRITE), f"{BASE}/customers/{customers['ada'].pk}", data)

    assert response.status_code == 400
    assert error_code(response) == "validation_error"


def test_bad_filters_are_a_400_and_unknown_customers_a_404(customers):
    client = api_client(_tenant(), READ)

    assert client.get(f"{BASE}/customers?segment=vip").status_code == 400
    assert client.get(f"{BASE}/customers?page_size=0").status_code == 400
    assert client.get(f"{BASE}/customers/999999").status_code == 404
    assert client.get(f"{BASE}/customers/abc").status_code == 404


def test_scopes_are_required(customers):
    reader = api_client(_tenant(), READ)
    nobody = api_client(_tenant(), ["orders:read"])

    assert _patch(reader, f"{BASE}/customers/{customers['ada'].pk}", {"city": "Paris"}).status_code == 403
    assert nobody.get(f"{BASE}/customers").status_code == 403
    assert nobody.get(f"{BASE}/segments").status_code == 403


def test_recommendations_come_with_reasons_in_the_readers_language(customers):
    client = api_client(_tenant(), READ)

    body = client.get(
        f"{BASE}/customers/{customers['grace'].pk}/recommendations", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()

    assert body["customer"] == customers["grace"].pk
    first = body["results"][0]
    assert (first["item"]["label"], first["kind"]) == ("Riesling", "cross_sell")
    assert first["reason"]["code"] == "cross_sell"
    assert first["reason_text"].startswith("souvent acheté avec Pinot Noir")


def test_segments_count_customers_and_their_value(customers):
    body = api_client(_tenant(), READ).get(f"{BASE}/segments").json()

    assert body["as_of"] == "2025-06-30"
    assert body["customers"] == 8  # Alan never bought
    assert len(body["results"]) == 10
    assert sum(row["customers"] for row in body["results"]) == 8
    assert sum(float(row["monetary"]) for row in body["results"]) == 80 + 15 + 4 * 20 + 2 * 10
    assert body["design_abandoned"] == 0


def test_customers_who_left_a_finished_design_unordered_are_listed_and_counted(tenant, customers):
    mug = product_make()
    widget_order(mug, email="ada@example.com", name="Ada Lovelace", session="s-ada")
    design_started(mug, session="s-ada", prompt="A second idea", ready=True)
    widget_order(mug, email="grace@example.com", name="Grace Hopper", session="s-grace")
    client = api_client(_tenant(), READ)

    listed = client.get(f"{BASE}/customers?abandoned=true").json()["results"]
    segments = client.get(f"{BASE}/segments").json()

    assert [row["email"] for row in listed] == ["ada@example.com"]
    assert segments["design_abandoned"] == 1
    assert client.get(f"{BASE}/customers?abandoned=maybe").status_code == 400


def test_another_workspace_key_sees_none_of_this_workspaces_customers(other_tenant, tenant, customers):
    with tenant_context(other_tenant):
        stranger = api_client(other_tenant, READ_WRITE)
    ada = customers["ada"]

    listed = stranger.get(f"{BASE}/customers?email=ada@example.com").json()
    detail = stranger.get(f"{BASE}/customers/{ada.pk}")
    changed = _patch(stranger, f"{BASE}/customers/{ada.pk}", {"city": "Nowhere"})
    recommendations = stranger.get(f"{BASE}/customers/{ada.pk}/recommendations")
    segments = stranger.get(f"{BASE}/segments").json()

    assert listed["results"] == []
    assert detail.status_code == changed.status_code == recommendations.status_code == 404
    assert segments["customers"] == segments["design_abandoned"] == 0
    with tenant_context(tenant):
        ada.refresh_from_db()
    assert ada.city == ""


def test_an_empty_patch_changes_nothing(customers):
    path = f"{BASE}/customers/{customers['ada'].pk}"
    client = api_client(_tenant(), READ_WRITE)
    before = client.get(path).json()

    response = _patch(client, path, {})

    assert response.status_code == 200
    assert {key: value for key, value in response.json().items() if key != "updated_at"} == {
        key: value for key, value in before.items() if key != "updated_at"
    }
