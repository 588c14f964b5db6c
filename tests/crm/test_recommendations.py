"""Recommendations: pair rules with a known lift, the rebuy window, diversity, each guardrail,
and reasons written out in English, French and Chinese."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from apps.crm.models import Recommendation
from apps.crm.scoring.reasons import reason_text
from apps.crm.scoring.recommendations import association_rules, recommendations_refresh
from tests.support.factories.crm import customer_make, item_make, sale_make

AS_OF = date(2025, 6, 30)
DAY = "2025-05-01"  # 60 days before AS_OF


@pytest.fixture
def baskets(tenant):
    """Ten baskets: X in 5, Y in 4, both in 3 → lift X→Y = 3·10 / (5·4) = 1.5; Z in 5, W in 3, both
    in 3 → lift 2; X with Z once (under the minimum of 3). The customer of basket 5 bought X only."""
    items = {
        "X": item_make("Riesling", family="White"),
        "Y": item_make("Sylvaner", family="White"),
        "Z": item_make("Pinot Noir", family="Red"),
        "W": item_make("Crémant", family="Sparkling", price=Decimal("30.00")),
    }
    contents = ["XY", "XY", "XY", "XZ", "X", "Y", "ZW", "ZW", "ZW", "Z"]
    customers = []
    for names in contents:
        customer = customer_make()
        sale_make(customer, DAY, *[(items[name], 1, 10) for name in names])
        customers.append(customer)
    return {"items": items, "target": customers[4]}


def _recommended(customer) -> list[tuple[str, str]]:
    return [
        (row.item.label, row.kind)
        for row in Recommendation.objects.filter(customer=customer).select_related("item").order_by("-score")
    ]


def test_pair_rules_have_the_hand_computed_support_confidence_and_lift(baskets):
    rules = {
        (rule["antecedent_label"], rule["consequent_label"]): (
            rule["together"],
            round(rule["support"], 4),
            round(rule["confidence"], 4),
            round(rule["lift"], 4),
        )
        for rule in association_rules(as_of=AS_OF)
    }

    assert rules == {
        ("Riesling", "Sylvaner"): (3, 0.3, 0.6, 1.5),
        ("Sylvaner", "Riesling"): (3, 0.3, 0.75, 1.5),
        ("Pinot Noir", "Crémant"): (3, 0.3, 0.6, 2.0),
        ("Crémant", "Pinot Noir"): (3, 0.3, 1.0, 2.0),
    }  # Riesling with Pinot Noir: once, under the minimum count
    assert association_rules(as_of=AS_OF, min_pair_count=4) == []


def test_a_pair_bought_no_more_together_than_by_chance_is_no_rule(tenant):
    p, q = item_make("P"), item_make("Q")
    for _ in range(4):
        sale_make(customer_make(), DAY, (p, 1, 10), (q, 1, 10))  # lift = 4·4 / (4·4) = 1

    assert association_rules(as_of=AS_OF) == []


def test_baskets_over_the_line_cap_count_their_first_lines_only(tenant):
    many = [item_make(f"I{n}") for n in range(53)]
    sale_make(customer_make(), DAY, *[(item, 1, 10) for item in many[:52]])  # lines 51 and 52 over 50
    sale_make(customer_make(), DAY, (many[50], 1, 10), (many[51], 1, 10))
    sale_make(customer_make(), DAY, (many[52], 1, 10))

    def pair_found(**overrides) -> bool:
        rules = association_rules(as_of=AS_OF, min_pair_count=2, **overrides)
        return any({rule["antecedent"], rule["consequent"]} == {many[50].pk, many[51].pk} for rule in rules)

    assert not pair_found()
    assert pair_found(max_basket_lines=60)  # 2 baskets of 3 together: lift 2·3 / (2·2) = 1.5


def test_a_customer_gets_cross_sell_and_an_untried_family_within_their_prices(baskets):
    figures = recommendations_refresh(as_of=AS_OF)

    assert figures["rules"] == 4
    # X → Y (confidence 0.6); Red is untried, its Pinot Noir in their band [7.50, 12.50], Crémant is
    # not (30.00).
    assert _recommended(baskets["target"]) == [("Sylvaner", "cross_sell"), ("Pinot Noir", "diversity")]
    cross = Recommendation.objects.get(customer=baskets["target"], kind="cross_sell")
    assert cross.reason == {
        "code": "cross_sell",
        "label": "Sylvaner",
        "with": "Riesling",
        "together": 3,
        "confidence": 60,
        "lift": 1.5,
    }
    assert cross.as_of == AS_OF


def test_inactive_items_are_not_recommended(baskets):
    baskets["items"]["Y"].active = False
    baskets["items"]["Y"].save()

    recommendations_refresh(as_of=AS_OF)

    assert _recommended(baskets["target"]) == [("Pinot Noir", "diversity")]


def test_items_the_brand_excludes_are_not_recommended(baskets):
    baskets["items"]["Z"].recommendable = False
    baskets["items"]["Z"].save()

    recommendations_refresh(as_of=AS_OF)

    assert _recommended(baskets["target"]) == [("Sylvaner", "cross_sell")]


def test_nothing_bought_in_the_last_days_is_recommended(baskets):
    sale_make(baskets["target"], AS_OF - timedelta(days=10), (baskets["items"]["Y"], 1, 10))

    recommendations_refresh(as_of=AS_OF)
    assert ("Sylvaner", "cross_sell") not in _recommended(baskets["target"])

    recommendations_refresh(as_of=AS_OF, recent_days=5)
    assert ("Sylvaner", "cross_sell") in _recommended(baskets["target"])


def test_items_outside_the_customers_price_band_are_not_recommended(baskets):
    baskets["items"]["Y"].price = Decimal("50.00")
    baskets["items"]["Y"].save()

    recommendations_refresh(as_of=AS_OF)

    assert _recommended(baskets["target"]) == [("Pinot Noir", "diversity")]


def test_at_most_k_per_customer(baskets):
    recommendations_refresh(as_of=AS_OF, max_per_customer=1)

    assert _recommended(baskets["target"]) == [("Sylvaner", "cross_sell")]


@pytest.fixture
def rebuys(tenant):
    """Riesling bought again after 20, 30, 40, 50, 60 days by five customers: p25 = 30, p50 = 40."""
    wine = item_make("Riesling")
    start = date(2025, 1, 1)
    for gap in (20, 30, 40, 50, 60):
        customer = customer_make()
        sale_make(customer, start, (wine, 1, 10))
        sale_make(customer, start + timedelta(days=gap), (wine, 1, 10))
    return wine


@pytest.mark.parametrize(
    ("days_since", "reminded"), [(29, False), (30, True), (35, True), (40, True), (41, False)]
)
def test_a_rebuy_reminder_comes_between_p25_and_p50_since_the_last_purchase(rebuys, days_since, reminded):
    once = customer_make()
    sale_make(once, AS_OF - timedelta(days=days_since), (rebuys, 1, 10))

    recommendations_refresh(as_of=AS_OF, recent_days=0)

    assert (_recommended(once) == [("Riesling", "rebuy")]) is reminded
    if reminded:
        reason = Recommendation.objects.get(customer=once).reason
        assert reason == {
            "code": "rebuy_once",
            "label": "Riesling",
            "times": 1,
            "every_days": 40,
            "last_days": days_since,
            "window_days": [30, 40],
        }


def test_a_rebuy_reminder_is_suppressed_once_bought_again(rebuys):
    # Two customers bought on the same day; one bought again since. Their own gap (20 days) joins
    # the intervals: 20, 20, 30, 40, 50, 60 → p25 = 22.5, p50 = 35.
    waiting, bought_again = customer_make(), customer_make()
    for customer in (waiting, bought_again):
        sale_make(customer, AS_OF - timedelta(days=35), (rebuys, 1, 10))
    sale_make(bought_again, AS_OF - timedelta(days=15), (rebuys, 1, 10))

    recommendations_refresh(as_of=AS_OF, recent_days=0)

    assert _recommended(waiting) == [("Riesling", "rebuy")]
    assert _recommended(bought_again) == []


def test_a_customers_own_rhythm_is_their_reason(rebuys):
    regular = customer_make()
    for k in range(3):  # every 60 days; the last one 35 days ago
        sale_make(regular, AS_OF - timedelta(days=35 + 60 * k), (rebuys, 1, 10))

    recommendations_refresh(as_of=AS_OF)

    reason = Recommendation.objects.get(customer=regular).reason
    assert reason["code"] == "rebuy"
    assert (reason["times"], reason["every_days"], reason["last_days"]) == (3, 60, 35)
    assert reason_text(reason) == "bought Riesling 3× about every 60 days, last 35 days ago"


REASONS = {
    "rebuy": {"code": "rebuy", "label": "Riesling", "times": 3, "every_days": 60, "last_days": 58},
    "cross_sell": {
        "code": "cross_sell",
        "label": "Sylvaner",
        "with": "Riesling",
        "together": 3,
        "confidence": 60,
        "lift": 1.5,
    },
    "diversity": {"code": "diversity", "label": "Pinot Noir", "family": "Red"},
}


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("en", "rebuy", "bought Riesling 3× about every 60 days, last 58 days ago"),
        ("fr", "rebuy", "a acheté Riesling 3× environ tous les 60 jours, la dernière fois il y a 58 jours"),
        ("zh-hans", "rebuy", "已购买 Riesling 3 次，大约每 60 天一次，最近一次在 58 天前"),
        (
            "fr",
            "cross_sell",
            "souvent acheté avec Riesling\u00a0: 60\u00a0% des paniers qui le contiennent, 1,5× plus "
            "souvent que d’habitude (3\u00a0paniers)",
        ),
        (
            "en",
            "cross_sell",
            "often bought with Riesling: 60% of baskets with it, 1.5× more than usual (3 baskets)",
        ),
        ("zh-hans", "diversity", "新尝试：从未购买过的 Red 系列，在其常用价格范围内"),
    ],
)
def test_reasons_are_written_in_the_readers_language(language, code, expected):
    with translation.override(language):
        assert reason_text(REASONS[code]) == expected


def test_an_unknown_or_broken_reason_still_reads(tenant):
    with translation.override("fr"):
        assert reason_text({"code": "rebuy"}) == reason_text({"code": "new_kind"}) != ""
