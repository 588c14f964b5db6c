"""KPIs, charts and the funnel equal hand-computed values on a fixed history (analytics/conftest.py)."""

from decimal import Decimal

from apps.analytics import selectors
from apps.analytics.models import DailyStat
from apps.analytics.selectors import Period
from apps.analytics.services import rollup_catch_up, rollup_refresh
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create, order_transition
from tests.support.factories.analytics import TODAY, days_ago
from tests.support.factories.orders import ADDRESS, CUSTOMER

WEEK = Period(days_ago(6), TODAY)


def values(figures: dict) -> dict:
    return {key: (kpi.value, kpi.previous, kpi.change) for key, kpi in figures["items"].items()}


def test_kpis_of_the_week_against_the_week_before(history):
    # Given the rollup refreshed as beat does
    rollup_catch_up()

    # When the last 7 days are asked for
    figures = selectors.kpis(WEEK)

    # Then every KPI and its change are the hand-computed ones (refunds and cancellations left out)
    assert figures["currency"] == "EUR"
    assert figures["other_revenue"] == {"USD": Decimal("15.00")}
    assert values(figures) == {
        "revenue": (Decimal("80.00"), Decimal("40.00"), Decimal("100.0")),
        "orders": (3, 1, Decimal("200.0")),
        "average_order": (Decimal("40.00"), Decimal("40.00"), Decimal("0.0")),
        "active_customers": (4, 2, Decimal("100.0")),
        "designs": (4, 2, Decimal("100.0")),
        "conversion": (Decimal("75.0"), Decimal("50.0"), Decimal("50.0")),
        "ai_cost": (Decimal("0.50"), Decimal("0.10"), Decimal("400.0")),
    }


def test_an_empty_period_has_zeros_and_no_comparison(history):
    rollup_catch_up()
    empty = Period(days_ago(300), days_ago(271))

    assert values(selectors.kpis(empty)) == {
        "revenue": (Decimal("0"), Decimal("0"), None),
        "orders": (0, 0, None),
        "average_order": (None, None, None),
        "active_customers": (0, 0, None),
        "designs": (0, 0, None),
        "conversion": (None, None, None),
        "ai_cost": (Decimal("0.00"), Decimal("0.00"), None),
    }


def test_the_rollup_and_the_live_tables_agree(history):
    # Given every closed day in the rollup
    rollup_catch_up()

    # Then each day's stored figures equal the same aggregation made live
    for day in Period(days_ago(120), days_ago(2)).dates():
        stored = sorted(DailyStat.objects.filter(day=day).values_list("metric", "currency", "value"))
        live = sorted(
            (metric, currency, value)
            for _day, metric, currency, value in selectors.daily_aggregates(day, day)
        )
        assert stored == live, day


def test_a_refund_weeks_later_reaches_the_rollup(history):
    # Given the previous week's 40.00 order in the rollup
    rollup_catch_up()
    order = Order.objects.get(total=Decimal("40.00"))

    # When it is refunded today and beat runs again
    order_transition(order=order, status=Order.Status.REFUNDED, actor="user:ops@alpha.test")
    rollup_catch_up()

    # Then the previous week has no revenue left
    assert selectors.totals(WEEK.previous()).revenue == {}


def test_days_not_yet_in_the_rollup_are_not_guessed(history):
    # Without the rollup, only the live days (today and yesterday) count
    assert selectors.totals(WEEK).revenue == {"EUR": Decimal("30.00")}
    rollup_refresh(start=days_ago(6), end=days_ago(2))
    assert selectors.totals(WEEK).revenue == {"EUR": Decimal("80.00"), "USD": Decimal("15.00")}


def test_revenue_and_orders_per_day(history):
    rollup_catch_up()

    series = selectors.series(WEEK, "EUR")

    assert series["days"] == [day.isoformat() for day in WEEK.dates()]
    assert series["orders"] == [1, 0, 0, 1, 0, 1, 0]  # 6, 5, 4, 3, 2, 1 and 0 days ago
    assert series["revenue"] == ["0.00", "0.00", "0.00", "50.00", "0.00", "30.00", "0.00"]


def test_the_funnel_by_style_and_by_product(history):
    # Given the carted design of the week ordered
    carted = history.mug.designs.get(added_to_cart_at__isnull=False)
    order_create(
        source=Order.Source.WIDGET,
        items=[ItemInput(design=carted.public_id)],
        customer=CUSTOMER,
        shipping_address=ADDRESS,
        shopper_session="s1",
    )

    by_style = selectors.funnel(WEEK, "style")
    by_product = selectors.funnel(WEEK, "product")

    # Then designs made in the widget go prompt → preview → cart → order; dashboard ones are left out
    steps = ("label", "prompts", "previews", "carts", "orders")
    assert [tuple(row[key] for key in steps) for row in by_style] == [
        (None, 3, 2, 1, 1),
        ("Watercolour", 2, 2, 1, 1),
        ("Illustration", 1, 0, 0, 0),  # the default style
    ]
    assert [tuple(row[key] for key in steps) for row in by_product] == [
        (None, 3, 2, 1, 1),
        ("Mug", 2, 2, 1, 1),
        ("Poster", 1, 0, 0, 0),
    ]


def test_top_products_and_designs_by_status(history):
    top = selectors.top_products(WEEK, "EUR")

    assert top[0] == {"sku": "MUG-A", "title": top[0]["title"], "units": 2, "revenue": Decimal("50.00")}
    assert [row["units"] for row in top] == [2, 1, 1]
    assert selectors.designs_by_status(WEEK) == {"ready": 3, "failed": 1}


def test_without_orders_the_currency_is_the_catalogs(tenant):
    assert selectors.main_currency({}) == "EUR"
