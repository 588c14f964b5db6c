"""RFM scores, segments, their moves and the BG/NBD estimates, on hand-computed sets."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from apps.core.schedules import SCHEDULES
from apps.crm.models import CustomerScore, SalesLine, SegmentChange
from apps.crm.scoring import bgnbd
from apps.crm.scoring.refresh import crm_refresh
from apps.crm.scoring.rfm import rfm_refresh
from apps.crm.scoring.segments import SEGMENT_MAP, segment_of
from apps.crm.scoring.tasks import crm_refresh_task
from apps.orders.models import Order
from apps.orders.services import order_transition
from tests.support.factories.crm import customer_make, item_make, sale_make
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import CUSTOMER, order_make
from tests.support.factories.products import product_make

AS_OF = date(2025, 6, 30)


@pytest.fixture
def shop(tenant):
    """Seven customers whose figures are worked out by hand in the tests below."""
    wine = item_make("Riesling")
    c = {name: customer_make(last_name=name) for name in "ABCDEFG"}
    sale_make(c["A"], "2025-06-20", (wine, 10, 100))
    sale_make(c["A"], "2025-06-01", (wine, 5, 50))
    sale_make(c["A"], "2025-05-01", (wine, 3, 30))
    sale_make(c["B"], "2025-06-25", (wine, 30, 300))
    sale_make(c["B"], "2025-03-01", (wine, 20, 200))
    sale_make(c["B"], "2025-06-26", (wine, 10, 100), credit=True)  # a return: not a document, −100
    sale_make(c["C"], "2025-01-01", (wine, 2, 20))
    sale_make(c["D"], "2025-04-01", (wine, 8, 80))
    sale_make(c["D"], "2025-04-15", (wine, 7, 70))
    sale_make(c["E"], "2025-06-29", (wine, 2, 25))
    sale_make(c["G"], "2025-02-01", (wine, 4, 40), (item_make("Crémant"), 6, 60))  # one document, two lines
    sale_make(c["A"], "2025-07-02", (wine, 1, 999))  # after the date of the scores: unseen
    return c


def _scores(customers) -> dict[str, tuple]:
    rows = CustomerScore.objects.filter(customer__in=customers.values()).select_related("customer")
    return {
        row.customer.last_name: (
            row.recency_days,
            row.frequency,
            row.monetary,
            row.r,
            row.f,
            row.m,
            row.segment,
        )
        for row in rows
    }


def test_recency_frequency_monetary_quintiles_and_segments_as_hand_computed(shop):
    figures = rfm_refresh(as_of=AS_OF)

    assert figures["customers"] == 7
    assert figures["scored"] == 6
    # R: last days C < G < D < A < B < E → NTILE 1,1,2,3,4,5. F: 1,1,1 (C,E,G) 2,2 (B,D) 3 (A) →
    # tiles 1,1,2,3,4,5, equal figures share the lowest: 1,1,1,3,3,5. M: 20,25,100,150,180,400.
    # FM = (F + M + 1) // 2.
    assert _scores(shop) == {
        "A": (10, 3, Decimal("180.00"), 3, 5, 4, "loyal"),  # R3 FM5
        "B": (5, 2, Decimal("400.00"), 4, 3, 5, "loyal"),  # 500 − the 100 credit note; R4 FM4
        "C": (180, 1, Decimal("20.00"), 1, 1, 1, "hibernating"),
        "D": (76, 2, Decimal("150.00"), 2, 3, 3, "at_risk"),  # R2 FM3
        "E": (1, 1, Decimal("25.00"), 5, 1, 1, "new"),  # R5 FM1
        "F": (None, 0, Decimal("0.00"), 0, 0, 0, ""),  # never bought
        "G": (149, 1, Decimal("100.00"), 1, 1, 2, "hibernating"),  # R1 FM2
    }


def test_the_segment_map_covers_the_grid():
    assert len(SEGMENT_MAP) == 25
    assert segment_of(5, 5, 5) == "champions"
    assert segment_of(5, 5, 4) == "champions"  # FM = 5
    assert segment_of(5, 1, 2) == "potential_loyalist"  # FM = 2
    assert segment_of(5, 1, 1) == "new"
    assert segment_of(4, 1, 1) == "promising"
    assert segment_of(3, 3, 3) == "need_attention"
    assert segment_of(3, 1, 3) == "about_to_sleep"  # FM = (1 + 3 + 1) // 2 = 2
    assert segment_of(1, 5, 5) == "cant_lose"
    assert segment_of(2, 4, 3) == "at_risk"
    assert segment_of(0, 0, 0) == ""


def test_a_paid_luneo_order_is_a_sale_document_and_a_pending_one_is_not(tenant):
    design = ready_design(product_make())
    paid = order_make(design)
    order_make(design)  # pending: not a sale
    order_transition(order=paid, status=Order.Status.PAID)

    rfm_refresh(as_of=date.today() + timedelta(days=1))  # noqa: DTZ011

    score = CustomerScore.objects.get(customer__email=CUSTOMER["email"])
    assert (score.frequency, score.recency_days, score.monetary) == (1, 1, paid.total)


def test_segment_moves_are_recorded_once_per_change(shop):
    rfm_refresh(as_of=AS_OF)
    assert SegmentChange.objects.filter(before="").count() == 6  # each first segment

    rfm_refresh(as_of=AS_OF)  # the same date again: nothing moves
    assert SegmentChange.objects.count() == 6

    wine = SalesLine.objects.first().item
    for _ in range(3):
        sale_make(shop["C"], "2025-07-10", (wine, 50, 900))
    figures = rfm_refresh(as_of=date(2025, 7, 15))

    move = SegmentChange.objects.get(customer=shop["C"], as_of=date(2025, 7, 15))
    assert (move.before, move.after) == ("hibernating", "champions")
    assert figures["moves"] == SegmentChange.objects.filter(as_of=date(2025, 7, 15)).count()


def _history(count: int, *, start: date) -> None:
    """`count` customers who each bought every 30 days, from `start` on, for 1 to 5 times."""
    item = item_make("Pinot")
    lines = []
    for n in range(count):
        customer = customer_make()
        for k in range(1 + n % 5):
            day = start + timedelta(days=30 * k + n % 7)
            doc = f"H{n:04d}-{k}"
            lines.append(
                SalesLine(
                    customer=customer,
                    item=item,
                    document_no=doc,
                    line_key=doc,
                    date=day,
                    quantity=1,
                    amount_incl_tax=Decimal(10),
                )
            )
    SalesLine.objects.bulk_create(lines)


def test_estimates_need_fifty_repeat_customers(tenant):
    _history(40, start=date(2025, 1, 1))  # 32 of them bought more than once

    rfm_refresh(as_of=AS_OF)

    assert not CustomerScore.objects.filter(p_alive__isnull=False).exists()


def test_estimates_from_a_bgnbd_fit_are_probabilities_shrunk_towards_the_average(tenant):
    _history(100, start=date(2025, 1, 1))
    recent, lapsed = customer_make(), customer_make()
    item = item_make("Gewurztraminer")
    for k in range(4):  # the same four purchases, one customer lately, the other long ago
        sale_make(recent, date(2025, 3, 1) + timedelta(days=30 * k), (item, 1, 10))
        sale_make(lapsed, date(2024, 11, 1) + timedelta(days=15 * k), (item, 1, 10))

    figures = rfm_refresh(as_of=AS_OF)

    assert figures["estimates"] == 102
    scores = CustomerScore.objects.exclude(segment="")
    assert all(0 < s.p_alive <= 1 and s.expected_purchases >= 0 for s in scores)
    recent_score, lapsed_score = (
        CustomerScore.objects.get(customer=recent),
        CustomerScore.objects.get(customer=lapsed),
    )
    assert recent_score.p_alive > lapsed_score.p_alive
    assert recent_score.expected_purchases > lapsed_score.expected_purchases
    # 80 repeat customers: every figure keeps 80 / (80 + 200) of the model's own.
    mean = sum(s.p_alive for s in scores) / len(scores)
    assert all(abs(s.p_alive - mean) <= 80 / 280 + 1e-9 for s in scores)


def test_the_fit_recovers_known_parameters():
    import random

    rng = random.Random(7)
    r, alpha, a, b = 0.25, 4.0, 0.8, 2.4
    summaries = []
    for _ in range(3000):
        rate, drop = rng.gammavariate(r, 1 / alpha), rng.betavariate(a, b)
        horizon, t, x, t_x = rng.uniform(30, 78), 0.0, 0, 0.0
        while rate > 0:
            t += rng.expovariate(rate)
            if t > horizon:
                break
            x, t_x = x + 1, t
            if rng.random() < drop:
                break
        summaries.append((x, t_x, horizon))

    params = bgnbd.fit(summaries)

    assert params.r == pytest.approx(r, rel=0.2)
    assert params.alpha == pytest.approx(alpha, rel=0.3)
    assert params.a == pytest.approx(a, rel=0.3)


def test_the_command_refreshes_a_workspace_as_of_a_date(shop):
    out = io.StringIO()
    call_command("crm_refresh", "alpha", "--as-of", "2025-06-30", stdout=out)

    figures = json.loads(out.getvalue())
    assert figures["as_of"] == "2025-06-30"
    assert (figures["customers"], figures["scored"]) == (7, 6)
    assert CustomerScore.objects.get(customer=shop["A"]).as_of == AS_OF


def test_the_command_refuses_a_bad_date_and_an_unknown_workspace(tenant):
    with pytest.raises(CommandError, match="not a date"):
        call_command("crm_refresh", "alpha", "--as-of", "30/06/2025")
    with pytest.raises(CommandError, match="No workspace"):
        call_command("crm_refresh", "nope")


def test_the_task_runs_nightly_for_every_workspace_and_by_name(shop):
    nightly = [s for s in SCHEDULES if s.task == "apps.crm.scoring.tasks.crm_refresh_task"]
    assert len(nightly) == 1
    assert nightly[0].per_tenant
    assert nightly[0].crontab == "30 2 * * *"

    assert crm_refresh_task.name == "apps.crm.scoring.tasks.crm_refresh_task"
    figures = crm_refresh_task("2025-06-30")
    assert figures["scored"] == 6


def test_today_is_the_default_date(shop):
    assert crm_refresh()["as_of"] == date.today().isoformat()  # noqa: DTZ011


def test_the_debug_page_shows_rules_and_scores_to_admins_only(tenant, as_role):
    x, y = item_make("Riesling"), item_make("Sylvaner")
    for _ in range(3):
        sale_make(customer_make(), date.today(), (x, 1, 10), (y, 1, 10))  # noqa: DTZ011
    sale_make(customer_make(), date.today(), (item_make("Muscat"), 1, 10))  # noqa: DTZ011
    customer_make(last_name="<b>Bold</b>")
    crm_refresh()

    page = as_role("admin").get("/crm/scores/")
    denied = as_role("viewer").get("/crm/scores/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Riesling" in html
    assert "Sylvaner" in html
    assert "1.33" in html  # lift = 3·4 / (3·3)
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<b>Bold</b>" not in html
    assert denied.status_code == 403
