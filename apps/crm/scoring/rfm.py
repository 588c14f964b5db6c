"""RFM scores and segments as of a date, computed in SQL and written set-based.

For each customer, over their sale documents up to `as_of` (`purchases.DOCUMENTS_SQL`: ERP sale
documents and attached Luneo orders that are paid or further):

- **recency**: days from the last sale document to `as_of`;
- **frequency**: distinct sale documents (credit notes excluded);
- **monetary**: net amount incl. tax, sales minus credit notes.

Scores 1–5 are quintiles among the workspace's customers with at least one sale document
(`NTILE(5)`; 5 = most recent, most frequent, highest net amount). Equal figures get the same
score: the lowest quintile their group reaches, so that when 60 % of customers bought once all of
them score F = 1. The segment follows `segments.SEGMENT_MAP`. Customers without a sale document
get scores 0 and no segment.

One refresh: one temporary table, one `INSERT … SELECT` of `SegmentChange` rows for customers
whose segment differs from their previous score, the BG/NBD estimates (`bgnbd`) loaded through
`COPY` into a second temporary table, then one upsert of every `CustomerScore` with its estimates.
"""

from datetime import date

from django.db import connection, transaction

from . import bgnbd
from .purchases import CREDITS_SQL, DOCUMENTS_SQL
from .segments import segment_case_sql

RFM_SQL = f"""
CREATE TEMP TABLE crm_rfm_new ON COMMIT DROP AS
WITH docs AS ({DOCUMENTS_SQL}),
credits AS ({CREDITS_SQL}),
per_customer AS (
    SELECT c.id AS customer_id, d.first_day, d.last_day, d.days,
           COALESCE(d.documents, 0) AS frequency,
           COALESCE(d.amount, 0) + COALESCE(cr.amount, 0) AS monetary
    FROM crm_customer c
    LEFT JOIN (
        SELECT customer_id, MIN(day) AS first_day, MAX(day) AS last_day, COUNT(*) AS documents,
               COUNT(DISTINCT day) AS days, SUM(amount) AS amount
        FROM docs GROUP BY customer_id
    ) d ON d.customer_id = c.id
    LEFT JOIN (SELECT customer_id, SUM(amount) AS amount FROM credits GROUP BY customer_id) cr
        ON cr.customer_id = c.id
),
tiles AS (
    SELECT *, %(as_of)s::date - last_day AS recency,
           NTILE(5) OVER (ORDER BY last_day, customer_id) AS r_tile,
           NTILE(5) OVER (ORDER BY frequency, customer_id) AS f_tile,
           NTILE(5) OVER (ORDER BY monetary, customer_id) AS m_tile
    FROM per_customer WHERE frequency > 0
),
scored AS (
    SELECT *, MIN(r_tile) OVER (PARTITION BY last_day) AS r,
           MIN(f_tile) OVER (PARTITION BY frequency) AS f,
           MIN(m_tile) OVER (PARTITION BY monetary) AS m
    FROM tiles
)
SELECT customer_id, recency, frequency, monetary, r, f, m, {segment_case_sql()} AS segment,
       days - 1 AS x, last_day - first_day AS t_x, %(as_of)s::date - first_day AS t
FROM scored
UNION ALL
SELECT customer_id, NULL, 0, monetary, 0, 0, 0, '', NULL, NULL, NULL
FROM per_customer WHERE frequency = 0
"""

MOVES_SQL = """
INSERT INTO crm_segmentchange (customer_id, as_of, before, after)
SELECT n.customer_id, %(as_of)s, COALESCE(s.segment, ''), n.segment
FROM crm_rfm_new n LEFT JOIN crm_customerscore s ON s.customer_id = n.customer_id
WHERE n.segment <> '' AND n.segment <> COALESCE(s.segment, '')
"""

# One write per customer: scores and segment with their BG/NBD estimates (`crm_bgnbd_new`).
UPSERT_SQL = """
INSERT INTO crm_customerscore (customer_id, as_of, recency_days, frequency, monetary, r, f, m, segment,
                               p_alive, expected_purchases, computed_at)
SELECT n.customer_id, %(as_of)s, n.recency, n.frequency, n.monetary, n.r, n.f, n.m, n.segment,
       e.p_alive, e.expected, now()
FROM crm_rfm_new n LEFT JOIN crm_bgnbd_new e ON e.customer_id = n.customer_id
ON CONFLICT (customer_id) DO UPDATE SET
    as_of = EXCLUDED.as_of, recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency,
    monetary = EXCLUDED.monetary, r = EXCLUDED.r, f = EXCLUDED.f, m = EXCLUDED.m,
    segment = EXCLUDED.segment, p_alive = EXCLUDED.p_alive,
    expected_purchases = EXCLUDED.expected_purchases, computed_at = EXCLUDED.computed_at
"""

# Memory for each sort and hash of the refresh (this transaction only).
WORK_MEM = "64MB"


def rfm_refresh(*, as_of: date) -> dict[str, int]:
    """Score every customer as of `as_of`: `{"customers", "scored", "moves", "estimates"}`."""
    params = {"as_of": as_of}
    with transaction.atomic(), connection.cursor() as cursor:
        # ON COMMIT DROP, and dropped first: a caller's outer transaction may hold an earlier run's.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.crm_rfm_new, pg_temp.crm_bgnbd_new")
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(RFM_SQL, params)
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE segment <> '') FROM crm_rfm_new")
        customers, scored = cursor.fetchone()
        cursor.execute(MOVES_SQL, params)
        moves = cursor.rowcount
        cursor.execute(
            "SELECT customer_id, x, t_x, t FROM crm_rfm_new WHERE segment <> '' ORDER BY customer_id"
        )
        estimates = bgnbd.estimates(cursor.fetchall())
        _estimates_write(cursor, estimates)
        cursor.execute(UPSERT_SQL, params)
    return {"customers": customers, "scored": scored, "moves": moves, "estimates": len(estimates)}


def _estimates_write(cursor, estimates: dict[int, tuple[float, float | None]]) -> None:
    cursor.execute(
        "CREATE TEMP TABLE crm_bgnbd_new (customer_id bigint PRIMARY KEY, p_alive float8, expected float8) "
        "ON COMMIT DROP"
    )
    with cursor.copy("COPY crm_bgnbd_new (customer_id, p_alive, expected) FROM STDIN") as copy:
        for customer_id, (alive, expected) in estimates.items():
            copy.write_row((customer_id, alive, expected))
    cursor.execute("ANALYZE crm_bgnbd_new")
