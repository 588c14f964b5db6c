"""`shop_best_sellers`: what sold best on Shopify, from Shopify's own Admin API (the local fake shop,
over HTTP), across pages, cancelled orders left out, cached per workspace and period; Shopify's
refusal, a shop not connected and another workspace are answers, never an exception or a leak; the
offline rules route the question to it in English, French and Chinese."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from apps.copilot.engine import ask, conversation_start, member_asker
from apps.copilot.tools import tool_run
from apps.core.dates import day_start
from apps.integrations import shop_stats
from apps.integrations.selectors import integration_live
from apps.integrations.shop_stats import shopify_sales_key
from apps.tenants.models import Role
from tests.support.factories.analytics import TODAY, days_ago
from tests.support.factories.integrations import shopify_connect, woocommerce_connect
from tests.support.fakes.shops import shopify_line, shopify_order
from tests.support.workspaces import member

WEEK = {"period": "7d", "start": None, "end": None}
ORDERS = "/admin/api/2024-10/orders.json"
FIELDS = "id,created_at,currency,total_price,financial_status,cancelled_at,line_items"
TITLE = "Black *mug* [win](https://evil.example)"  # a shop's title is untrusted Markdown


def white_mug(quantity: int, design: str = "") -> dict:
    return shopify_line(1001, "MUG-WHITE", "White mug", "19.90", quantity, design)


def poster(quantity: int, design: str = "") -> dict:
    return shopify_line(1003, "", "Poster A3", "24.90", quantity, design)


# Two pages of orders. By hand, cancelled 5002 left out: 4 orders, 64.70 + 45.40 + 19.90 + 49.80 =
# 179.80 EUR; Poster A3 3 units 74.70 (2 designed), White mug 3 units 59.70 (2 designed), Black mug
# 2 units 43.00; 8 units, 4 of them with a Luneo design.
PAGES = [
    [
        shopify_order(5001, "64.70", [white_mug(2, "dsg_a1"), poster(1)]),
        shopify_order(5002, "59.70", [white_mug(3, "dsg_a2")], cancelled=True),
        shopify_order(5003, "45.40", [shopify_line(1002, "MUG-BLACK", TITLE, "21.50", 2)]),
    ],
    [
        shopify_order(5004, "19.90", [white_mug(1)]),
        shopify_order(5005, "49.80", [poster(2, "dsg_b1")]),
    ],
]


@pytest.fixture
def shopify(tenant, fake_shop):
    """Alpha connected to the fake Shopify, which holds PAGES; its requests from here on."""
    shopify_connect(fake_shop)
    fake_shop.shopify_orders = PAGES
    fake_shop.requests.clear()
    return fake_shop


def best_sellers(role=Role.VIEWER, **arguments):
    return tool_run("shop_best_sellers", {**WEEK, **arguments}, role=role)


def order_requests(fake_shop) -> list[dict]:
    return [query for path, query in fake_shop.requests if path == ORDERS]


# --- the figures ----------------------------------------------------------------------------------


def test_the_figures_are_the_shops_orders_across_pages_cancelled_left_out(shopify):
    result = best_sellers()

    assert not result.empty
    data = result.data
    assert (data["connected"], data["currency"], data["orders"], data["cancelled"]) == (True, "EUR", 4, 1)
    assert data["revenue"] == "179.80"
    assert (data["units"], data["designed_units"], data["truncated"]) == (8, 4, False)
    assert [
        (p["title"], p["sku"], p["units"], p["revenue"], p["designed_units"]) for p in data["products"]
    ] == [
        ("Poster A3", "", 3, "74.70", 2),
        ("White mug", "MUG-WHITE", 3, "59.70", 2),
        (TITLE, "MUG-BLACK", 2, "43.00", 0),
    ]
    assert "4 orders, 179.80 EUR" in result.summary
    assert "Of the 8 units sold, 4 (50.0 %) carried a Luneo design." in result.summary
    assert "| 1 | Poster A3 | — | 3 | 2 | 74.70 |" in result.summary
    assert result.sources[0].url == "/settings/integrations/"


def test_the_orders_are_asked_for_the_period_then_by_the_shops_cursor(shopify):
    best_sellers()

    first, second = order_requests(shopify)
    last_second = day_start(TODAY + timedelta(days=1)) - timedelta(seconds=1)
    assert first == {
        "status": "any",
        "created_at_min": day_start(days_ago(6)).isoformat(),
        "created_at_max": last_second.isoformat(),
        "limit": "250",
        "fields": FIELDS,
    }
    assert second == {"limit": "250", "page_info": "p2"}  # the link carries the query


def test_a_shop_title_cannot_become_markup_in_the_answer(shopify):
    result = best_sellers()

    assert TITLE not in result.summary
    assert r"Black \*mug\* \[win\]\(https://evil.example\)" in result.summary


def test_asking_again_within_5_minutes_does_not_call_shopify_again(shopify):
    first = best_sellers()
    again = best_sellers()

    assert again.data == first.data
    assert len(order_requests(shopify)) == 2  # two pages, once
    assert cache.get(shopify_sales_key(integration_live(kind="shopify"), days_ago(6), TODAY)) is not None
    best_sellers(period="30d")  # another period is another question
    assert len(order_requests(shopify)) == 4


def test_a_period_without_orders_says_no_data_never_a_zero(shopify):
    shopify.shopify_orders = [[shopify_order(5002, "59.70", [white_mug(3)], cancelled=True)]]

    result = best_sellers()

    assert result.empty
    assert result.summary.startswith("No orders on Shopify from ")
    assert "0" not in result.summary.split(" from ")[0]


def test_past_the_page_guard_the_answer_says_it_covers_the_first_orders_only(shopify, monkeypatch):
    monkeypatch.setattr(shop_stats, "ORDER_PAGES", 1)  # the guard, lowered from 20 pages to 1

    result = best_sellers()

    assert result.data["truncated"] is True
    assert (result.data["orders"], result.data["revenue"]) == (2, "110.10")  # page 1: 5001 and 5003
    assert "these figures cover the first 3 orders only" in result.summary
    assert len(order_requests(shopify)) == 1


# --- Shopify's refusal, no shop -----------------------------------------------------------------


def test_credentials_shopify_refuses_are_an_answer_not_an_exception(shopify):
    shopify.shopify_token = "shpat_" + "f" * 32  # the token was revoked in Shopify

    result = best_sellers()

    assert result.empty
    assert result.data["error"] == "integration_credentials_invalid"
    assert "The shop refused these credentials." in result.summary
    assert "`read_orders`" in result.summary
    assert "orders" not in result.data
    assert (
        cache.get(shopify_sales_key(integration_live(kind="shopify"), days_ago(6), TODAY)) is None
    )  # a refusal is not kept


def test_a_shop_that_fails_is_an_answer_too(shopify):
    shopify.throttled = 10  # rate limited past the client's retries

    result = best_sellers()

    assert result.empty
    assert result.data["error"] == "integration_unreachable"
    assert "could not be reached" in result.summary


def test_without_shopify_connected_the_answer_says_so(tenant):
    result = best_sellers()

    assert result.empty
    assert result.data["connected"] is False
    assert result.summary.startswith("No Shopify shop is connected to this workspace")
    assert "WooCommerce" not in result.summary


def test_with_only_woocommerce_connected_the_answer_says_it_is_not_read(tenant, fake_shop):
    woocommerce_connect(fake_shop)

    result = best_sellers()

    assert result.empty
    assert result.data["woocommerce_connected"] is True
    assert "Only WooCommerce is connected" in result.summary
    assert not [path for path, _query in fake_shop.requests if path == ORDERS]


# --- two workspaces -----------------------------------------------------------------------------


def test_another_workspace_without_shopify_never_gets_the_firsts_figures(tenant, shopify, other_tenant):
    connection.set_tenant(tenant)  # `other_tenant` left the public schema active
    in_alpha = best_sellers()  # alpha's figures are now cached for this period
    alpha_key = shopify_sales_key(integration_live(kind="shopify"), days_ago(6), TODAY)
    connection.set_tenant(other_tenant)
    in_beta = best_sellers()
    connection.set_tenant(tenant)

    assert in_alpha.data["revenue"] == "179.80"
    assert in_beta.empty
    assert in_beta.data["connected"] is False
    assert "179.80" not in in_beta.summary
    assert "revenue" not in in_beta.data
    assert alpha_key.split(":")[0] == "alpha"
    assert cache.get(alpha_key) is not None
    assert len(order_requests(shopify)) == 2  # alpha's two pages only


# --- the offline rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "What sold best on the shop this month?"),
        ("en", "What sold best on Shopify this month?"),
        ("fr", "Quelles sont les meilleures ventes de la boutique ce mois-ci ?"),
        ("zh-hans", "这个月店铺里什么卖得最好？"),
        ("zh-hans", "本月店铺最畅销的是什么？"),
    ],
)
def test_the_offline_question_routes_to_the_tool(tenant, shopify, language, question):
    who = member_asker(member(tenant, Role.VIEWER), Role.VIEWER)
    with translation.override(language):
        answer = ask(conversation_start(who), who, question)
        expected = best_sellers(period="this_month")

    assert [used["name"] for used in answer.message.tools] == ["shop_best_sellers"]
    assert answer.message.tools[0]["arguments"] == {"period": "this_month", "start": None, "end": None}
    assert expected.summary in answer.message.text


@pytest.mark.parametrize("question", ["Sales by channel this month", "Shopify vs WooCommerce this month"])
def test_channel_questions_still_go_to_shop_sales(tenant, shopify, question):
    who = member_asker(member(tenant, Role.VIEWER), Role.VIEWER)

    answer = ask(conversation_start(who), who, question)

    assert answer.message.tools[0]["name"] == "shop_sales"
    assert "shop_best_sellers" not in [used["name"] for used in answer.message.tools]
