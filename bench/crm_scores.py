"""RFM + recommendations over 100,000 customers and 1,000,000 sales lines, in SQL.

A workspace gets 200 catalogue items in 10 families, 100k customers and 1M sales lines
(≈ 3 lines per sale document, two years of dates, 3 % credit notes) generated with
`generate_series` (not timed). Timed: `rfm_refresh` (scores, segments, moves, the BG/NBD fit
and estimates) and `recommendations_refresh` (rules, rebuy, diversity, guardrails), and, as the
baseline in the same run, a bare `SELECT count(*), sum(amount_incl_tax)` over the same sales
lines. Target: RFM + recommendations <= 10 s. BENCH_SMOKE=1: 2,000 customers / 20,000 lines.
"""

from datetime import date

from bench import SMOKE, enforced
from bench.stats import timed

SLUG = "bench-crm"
CUSTOMERS = 2_000 if SMOKE else 100_000
LINES = 20_000 if SMOKE else 1_000_000
ITEMS = 200
AS_OF = date(2026, 1, 1)
TARGET_SECONDS = 10.0

SEED_SQL = """
INSERT INTO crm_catalogitem (article, label, vintage, family, sub_family, category, price, price_band, tier,
                             active, recommendable, row_hash, created_at, updated_at)
SELECT 'ART' || i, 'Wine ' || i, '', 'Family ' || (i %% 10), '', '', 5 + (i %% 40), '', '',
       i %% 50 <> 0, TRUE, '', now(), now()
FROM generate_series(1, %(items)s) i;

INSERT INTO crm_customer (external_id, email, first_name, last_name, phone, address, postal_code, city,
                          country, language, consent_source, source, row_hash, created_at, updated_at)
SELECT 'C' || i, 'c' || i || '@example.com', '', 'Customer ' || i, '', '', '', '', 'FR', '', '', 'import', '',
       now(), now()
FROM generate_series(1, %(customers)s) i;

INSERT INTO crm_salesline (customer_id, item_id, label, document_type, document_no, line_key, date, quantity,
                           amount_excl_tax, amount_incl_tax, source, row_hash)
SELECT c.min_id + (doc %% %(customers)s), it.min_id + ((doc * 7 + n * 13 + (doc %% 5) * n) %% %(items)s), '',
       CASE WHEN doc %% 33 = 0 THEN 'credit_note' ELSE 'sale' END, 'D' || doc, 'D' || doc || ':' || n,
       %(as_of)s::date - ((doc * 37) %% 730), 1, 10, 12, 'import', ''
FROM generate_series(0, %(lines)s - 1) g,
     LATERAL (SELECT g / 3 AS doc, g %% 3 AS n) d,
     (SELECT min(id) AS min_id FROM crm_customer) c,
     (SELECT min(id) AS min_id FROM crm_catalogitem) it;
ANALYZE crm_customer; ANALYZE crm_catalogitem; ANALYZE crm_salesline;
"""


def run(env: dict[str, str]) -> bool:
    from django.db import connection, transaction

    from apps.accounts.services import tenant_provision
    from apps.crm.scoring.recommendations import recommendations_refresh
    from apps.crm.scoring.rfm import rfm_refresh

    tenant = tenant_provision(slug=SLUG, name="Bench CRM", owner_email=f"owner@{SLUG}.test", plan="pro")
    connection.set_tenant(tenant)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(SEED_SQL, {"items": ITEMS, "customers": CUSTOMERS, "lines": LINES, "as_of": AS_OF})

        def baseline():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*), sum(amount_incl_tax) FROM crm_salesline")
                return cursor.fetchone()

        baseline_seconds, (lines, _total) = timed(baseline)
        rfm_seconds, rfm = timed(lambda: rfm_refresh(as_of=AS_OF))
        reco_seconds, reco = timed(lambda: recommendations_refresh(as_of=AS_OF))
    finally:
        connection.set_schema_to_public()
    total = rfm_seconds + reco_seconds
    met = total <= TARGET_SECONDS
    print(  # noqa: T201
        f"crm_scores: {CUSTOMERS:,} customers, {lines:,} lines; baseline count(*) {baseline_seconds:.3f} s\n"
        f"  RFM {rfm_seconds:.2f} s ({rfm['scored']:,} scored, {rfm['moves']:,} moves, "
        f"{rfm['estimates']:,} estimates)\n"
        f"  recommendations {reco_seconds:.2f} s ({reco['rules']:,} rules, "
        f"{reco['recommendations']:,} made)\n"
        f"  total {total:.2f} s = {total / max(baseline_seconds, 1e-6):.0f}× the baseline "
        f"[target <= {TARGET_SECONDS:.0f} s: {'met' if met else 'MISSED'}]",
        flush=True,
    )
    return enforced(met)
