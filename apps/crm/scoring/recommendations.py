"""Recommendations per customer, computed in SQL: cross-sell, rebuy reminders, diversity.

All three read the purchased catalogue items of sale documents up to `as_of`
(`purchases.ITEM_LINES_SQL`; a **basket** is one sale document, its distinct items, the first
`max_basket_lines` (50) of a larger document only).

- **Cross-sell**, from pair rules A → B over baskets: support = n(A∧B) / baskets,
  confidence = n(A∧B) / n(A), lift = P(A∧B) / (P(A)·P(B)) = n(A∧B)·baskets / (n(A)·n(B)). A
  rule is kept when A and B were bought together in at least `min_pair_count` (3) baskets (an
  absolute count, not a fraction) and lift > 1; each A keeps its `rules_per_item` (10) best by
  lift × confidence. A customer's `recent_items` (5) last-bought items are their antecedents.
  Score 1 + confidence.
- **Rebuy**, from each item's repurchase interval: the days between a customer's consecutive
  purchase days of the item, over every customer (at least `min_pair_count` intervals). A
  customer is reminded when the days since their last purchase of the item lie between the
  item's p25 and p50 intervals; buying it again moves their last purchase, so a reminder is
  suppressed once it is bought. Score 2 + how far into the window.
- **Diversity**: for a customer whose families leave some untried, the most bought item of a
  family they have never bought, within their price band. Score = its share of buyers (< 1).

Guardrails, for every kind:
- active items only: `CatalogItem.active` and, when linked, its Luneo product active;
- brand exclusions: items with `CatalogItem.recommendable` off (the brand's own choice per item)
  are never suggested;
- not bought by the customer in the last `recent_days` (30) days;
- price band: an item with a price lies within `[lowest × (1 − t), highest × (1 + t)]` of the
  prices of the items the customer bought (`price_tolerance` t = 0.25); items without a price,
  or customers without any priced purchase, are not constrained;
- at most `max_per_customer` (5) per customer, best score first; one kind per item (the best;
  between equal cross-sell scores, the rule of the lowest antecedent id).

The figures are settings: `CRM_RECOMMENDATIONS = {"recent_days": 30, …}` overrides `DEFAULTS`.
Each recommendation stores `reason` = `{"code": …, figures…}`, written out by `reasons.reason_text`.
"""

from datetime import date

from django.conf import settings
from django.db import connection, transaction

from .purchases import ITEM_LINES_SQL

DEFAULTS = {
    "max_per_customer": 5,
    "recent_days": 30,
    "min_pair_count": 3,
    "max_basket_lines": 50,
    "rules_per_item": 10,
    "recent_items": 5,
    "price_tolerance": 0.25,
}


# Memory for each sort and hash of the refresh (this transaction only): its million-row sorts stay
# in memory instead of spilling to disk.
WORK_MEM = "128MB"


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "CRM_RECOMMENDATIONS", {})}


LINES_SQL = f"""
    SELECT customer_id, doc, item_id, day,
           row_number() OVER (PARTITION BY customer_id, doc ORDER BY line) AS position
    FROM (
        SELECT DISTINCT ON (customer_id, doc, item_id) customer_id, doc, item_id, day, line
        FROM ({ITEM_LINES_SQL}) l ORDER BY customer_id, doc, item_id, line
    ) d
"""

# Pair rules over a relation `lines` (LINES_SQL's columns).
RULES_SQL = """
WITH baskets AS (SELECT customer_id, doc, item_id FROM {lines} WHERE position <= %(max_basket_lines)s),
total AS (SELECT count(*) AS n FROM (SELECT DISTINCT customer_id, doc FROM baskets) b),
singles AS (SELECT item_id, count(*) AS n FROM baskets GROUP BY item_id),
pairs AS (
    SELECT a.item_id AS a, b.item_id AS b, count(*) AS n
    FROM baskets a JOIN baskets b ON a.customer_id = b.customer_id AND a.doc = b.doc AND a.item_id < b.item_id
    GROUP BY a.item_id, b.item_id HAVING count(*) >= %(min_pair_count)s
),
both_ways AS (SELECT a AS antecedent, b AS consequent, n FROM pairs UNION ALL SELECT b, a, n FROM pairs)
SELECT w.antecedent, w.consequent, w.n AS together, sa.n AS antecedent_baskets, sc.n AS consequent_baskets,
       t.n AS baskets, w.n::float8 / t.n AS support, w.n::float8 / sa.n AS confidence,
       w.n::float8 * t.n / (sa.n::float8 * sc.n) AS lift
FROM both_ways w
JOIN singles sa ON sa.item_id = w.antecedent
JOIN singles sc ON sc.item_id = w.consequent
CROSS JOIN total t
WHERE w.n::float8 * t.n > sa.n::float8 * sc.n
"""

PREPARE_SQL = (
    f"CREATE TEMP TABLE crm_reco_lines ON COMMIT DROP AS {LINES_SQL}",
    "ANALYZE crm_reco_lines",
    "CREATE TEMP TABLE crm_reco_rules ON COMMIT DROP AS " + RULES_SQL.format(lines="crm_reco_lines"),
    """CREATE TEMP TABLE crm_reco_bought ON COMMIT DROP AS
       SELECT customer_id, item_id, count(DISTINCT day) AS times, min(day) AS first_day, max(day) AS last_day
       FROM crm_reco_lines GROUP BY customer_id, item_id""",
    "CREATE INDEX ON crm_reco_bought (customer_id, item_id)",
    "ANALYZE crm_reco_bought",
    """CREATE TEMP TABLE crm_reco_items ON COMMIT DROP AS
       SELECT c.id, c.label, c.family, c.price, COALESCE(p.buyers, 0) AS buyers
       FROM crm_catalogitem c
       LEFT JOIN products_product lp ON lp.id = c.product_id
       LEFT JOIN (SELECT item_id, count(*) AS buyers FROM crm_reco_bought GROUP BY item_id) p
           ON p.item_id = c.id
       WHERE c.active AND c.recommendable AND (c.product_id IS NULL OR lp.status = 'active')""",
    "ANALYZE crm_reco_items",
    """CREATE TEMP TABLE crm_reco_intervals ON COMMIT DROP AS
       SELECT item_id, percentile_cont(0.25) WITHIN GROUP (ORDER BY gap) AS p25,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS p50
       FROM (
           SELECT item_id, day - lag(day) OVER (PARTITION BY customer_id, item_id ORDER BY day) AS gap
           FROM (SELECT DISTINCT customer_id, item_id, day FROM crm_reco_lines) d
       ) g
       WHERE gap IS NOT NULL GROUP BY item_id HAVING count(*) >= %(min_pair_count)s""",
    # One row per customer with a priced purchase: their price band and the families they bought.
    """CREATE TEMP TABLE crm_reco_bands ON COMMIT DROP AS
       SELECT b.customer_id,
              min(c.price) FILTER (WHERE c.price IS NOT NULL) * (1 - %(price_tolerance)s) AS low,
              max(c.price) FILTER (WHERE c.price IS NOT NULL) * (1 + %(price_tolerance)s) AS high,
              COALESCE(array_agg(DISTINCT c.family) FILTER (WHERE c.family <> ''), '{}') AS families
       FROM crm_reco_bought b JOIN crm_catalogitem c ON c.id = b.item_id
       GROUP BY b.customer_id HAVING count(c.price) > 0""",
    "ANALYZE crm_reco_bands",
    # Diversity without a lookup per customer: for each distinct price band, each family's most
    # bought item within it, the families ranked by that item (`k`). A customer's pick is the
    # first of their band's families they never bought: among the first (families bought + 1).
    """CREATE TEMP TABLE crm_reco_band_best ON COMMIT DROP AS
       SELECT low, high, family, id, buyers,
              row_number() OVER (PARTITION BY low, high ORDER BY buyers DESC, id) AS k
       FROM (
           SELECT DISTINCT ON (bd.low, bd.high, i.family) bd.low, bd.high, i.family, i.id, i.buyers
           FROM (SELECT DISTINCT low, high FROM crm_reco_bands) bd
           JOIN crm_reco_items i ON i.price BETWEEN bd.low AND bd.high
           WHERE i.family <> '' AND i.buyers > 0
           ORDER BY bd.low, bd.high, i.family, i.buyers DESC, i.id
       ) best""",
    "ANALYZE crm_reco_band_best",
)

TEMP_TABLES = (
    "crm_reco_lines",
    "crm_reco_rules",
    "crm_reco_bought",
    "crm_reco_items",
    "crm_reco_intervals",
    "crm_reco_bands",
    "crm_reco_band_best",
)

# Candidates carry ids and scores only (`ref`: a cross-sell's antecedent); the guardrails, one
# kind per item and the cut to `max_per_customer` run on them, and reasons are built for the
# kept rows alone.
CANDIDATES_SQL = """
INSERT INTO crm_recommendation (customer_id, item_id, kind, score, reason, as_of)
WITH rebuy AS (
    SELECT b.customer_id, b.item_id, 'rebuy' AS kind,
           2 + (%(as_of)s::date - b.last_day - i.p25) / GREATEST(i.p50 - i.p25, 1) AS score,
           NULL::bigint AS ref
    FROM crm_reco_bought b
    JOIN crm_reco_intervals i ON i.item_id = b.item_id
    WHERE %(as_of)s::date - b.last_day BETWEEN i.p25 AND i.p50
),
recent AS (
    SELECT customer_id, item_id FROM (
        SELECT customer_id, item_id,
               row_number() OVER (PARTITION BY customer_id ORDER BY last_day DESC, item_id) AS k
        FROM crm_reco_bought
    ) r WHERE k <= %(recent_items)s
),
top_rules AS (
    SELECT antecedent, consequent, confidence FROM (
        SELECT *, row_number() OVER (PARTITION BY antecedent ORDER BY lift * confidence DESC, consequent) AS k
        FROM crm_reco_rules
    ) r WHERE k <= %(rules_per_item)s
),
cross_sell AS (
    SELECT r.customer_id, t.consequent AS item_id, 'cross_sell' AS kind, 1 + t.confidence AS score,
           t.antecedent AS ref
    FROM recent r JOIN top_rules t ON t.antecedent = r.item_id
),
diversity AS (
    SELECT DISTINCT ON (bd.customer_id) bd.customer_id, bb.id AS item_id, 'diversity' AS kind,
           bb.buyers::float8
               / GREATEST((SELECT count(DISTINCT customer_id) FROM crm_reco_bought), 1) AS score,
           NULL::bigint AS ref
    FROM crm_reco_bands bd
    JOIN crm_reco_band_best bb
        ON bb.low = bd.low AND bb.high = bd.high AND bb.k <= cardinality(bd.families) + 1
    WHERE bb.family <> ALL (bd.families)
    ORDER BY bd.customer_id, bb.k
),
candidates AS (SELECT * FROM rebuy UNION ALL SELECT * FROM cross_sell UNION ALL SELECT * FROM diversity),
eligible AS (
    SELECT c.*, row_number() OVER (
               PARTITION BY c.customer_id, c.item_id ORDER BY c.score DESC, c.kind, c.ref
           ) AS per_item
    FROM candidates c
    JOIN crm_reco_items i ON i.id = c.item_id
    LEFT JOIN crm_reco_bands bd ON bd.customer_id = c.customer_id
    WHERE (i.price IS NULL OR bd.low IS NULL OR i.price BETWEEN bd.low AND bd.high)
      AND NOT EXISTS (
          SELECT 1 FROM crm_reco_bought b
          WHERE b.customer_id = c.customer_id AND b.item_id = c.item_id
            AND b.last_day >= %(as_of)s::date - %(recent_days)s
      )
),
kept AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY score DESC, item_id) AS k
        FROM eligible WHERE per_item = 1
    ) ranked WHERE k <= %(max_per_customer)s
)
SELECT k.customer_id, k.item_id, k.kind, k.score,
       CASE k.kind
       WHEN 'rebuy' THEN jsonb_build_object(
           'code', CASE WHEN b.times > 1 THEN 'rebuy' ELSE 'rebuy_once' END,
           'label', c.label, 'times', b.times,
           'every_days', CASE WHEN b.times > 1
               THEN round((b.last_day - b.first_day)::numeric / (b.times - 1))
               ELSE round(iv.p50::numeric) END,
           'last_days', %(as_of)s::date - b.last_day,
           'window_days', jsonb_build_array(round(iv.p25::numeric), round(iv.p50::numeric))
       )
       WHEN 'cross_sell' THEN jsonb_build_object(
           'code', 'cross_sell', 'label', c.label, 'with', a.label, 'together', r.together,
           'confidence', round((r.confidence * 100)::numeric), 'lift', round(r.lift::numeric, 1)
       )
       ELSE jsonb_build_object('code', 'diversity', 'label', c.label, 'family', c.family)
       END,
       %(as_of)s
FROM kept k
JOIN crm_catalogitem c ON c.id = k.item_id
LEFT JOIN crm_reco_bought b ON k.kind = 'rebuy' AND b.customer_id = k.customer_id AND b.item_id = k.item_id
LEFT JOIN crm_reco_intervals iv ON k.kind = 'rebuy' AND iv.item_id = k.item_id
LEFT JOIN crm_reco_rules r ON k.kind = 'cross_sell' AND r.antecedent = k.ref AND r.consequent = k.item_id
LEFT JOIN crm_catalogitem a ON a.id = r.antecedent
"""


def recommendations_refresh(*, as_of: date, **overrides) -> dict[str, int]:
    """Replace every recommendation by those of `as_of`: `{"rules", "recommendations"}`."""
    params = {**config(), **overrides, "as_of": as_of}
    with transaction.atomic(), connection.cursor() as cursor:
        # ON COMMIT DROP, and dropped first: a caller's outer transaction may hold an earlier run's.
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join('pg_temp.' + name for name in TEMP_TABLES)}")
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        for statement in PREPARE_SQL:
            cursor.execute(statement, params)
        cursor.execute("SELECT count(*) FROM crm_reco_rules")
        (rules,) = cursor.fetchone()
        cursor.execute("DELETE FROM crm_recommendation")
        cursor.execute(CANDIDATES_SQL, params)
        made = cursor.rowcount
    return {"rules": rules, "recommendations": made}


def association_rules(*, as_of: date, limit: int = 200, **overrides) -> list[dict]:
    """The pair rules as of `as_of`, best lift first: antecedent/consequent ids and labels,
    together, support, confidence, lift (for the debug page and tests)."""
    params = {**config(), **overrides, "as_of": as_of, "limit": limit}
    sql = f"""
        WITH lines AS ({LINES_SQL}), rules AS ({RULES_SQL.format(lines="lines")})
        SELECT r.*, a.label AS antecedent_label, c.label AS consequent_label
        FROM rules r
        JOIN crm_catalogitem a ON a.id = r.antecedent JOIN crm_catalogitem c ON c.id = r.consequent
        ORDER BY r.lift DESC, r.together DESC, r.antecedent, r.consequent LIMIT %(limit)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
