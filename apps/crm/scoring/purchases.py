"""The purchase history every score reads, as SQL over one workspace's schema.

A **sale document** is an ERP sale document (`SalesLine` with `document_type = sale`, keyed by
customer and document number) or a Luneo order attached to its customer (`CustomerOrder`) that
is paid or further along (paid, in production, shipped, delivered). An order that also appears
as sales lines (`SalesLine.order`) counts once, as its sales lines. Credit notes are not
documents of their own: they only lower the customer's net amount.

The queries take `%(as_of)s` (a date): nothing after it is seen. Order days are UTC dates.
"""

# Order statuses that make an order a sale (cancelled, refunded and pending ones do not).
ORDER_SALE_STATUSES = ("paid", "in_production", "shipped", "delivered")

_STATUSES = ", ".join(f"'{status}'" for status in ORDER_SALE_STATUSES)

# One row per sale document: customer, document key, day, net amount incl. tax.
DOCUMENTS_SQL = f"""
    SELECT sl.customer_id, 'S:' || sl.document_no AS doc, MIN(sl.date) AS day,
           SUM(sl.amount_incl_tax) AS amount
    FROM crm_salesline sl
    WHERE sl.document_type = 'sale' AND sl.date <= %(as_of)s
    GROUP BY sl.customer_id, sl.document_no
    UNION ALL
    SELECT co.customer_id, 'O:' || o.id AS doc, (o.created_at AT TIME ZONE 'UTC')::date AS day,
           o.total AS amount
    FROM crm_customerorder co JOIN orders_order o ON o.id = co.order_id
    WHERE o.status IN ({_STATUSES}) AND (o.created_at AT TIME ZONE 'UTC')::date <= %(as_of)s
      AND NOT EXISTS (SELECT 1 FROM crm_salesline x WHERE x.order_id = o.id)
"""

# One row per credit note line: customer and its amount, always counted negative.
CREDITS_SQL = """
    SELECT sl.customer_id, -ABS(sl.amount_incl_tax) AS amount
    FROM crm_salesline sl
    WHERE sl.document_type = 'credit_note' AND sl.date <= %(as_of)s
"""

# One row per purchased catalogue item in a sale document (for rules and recommendations):
# customer, document key, line order, item, day. Order lines count when their Luneo product is
# linked to a catalogue item.
ITEM_LINES_SQL = f"""
    SELECT sl.customer_id, 'S:' || sl.document_no AS doc, sl.id AS line, sl.item_id, sl.date AS day
    FROM crm_salesline sl
    WHERE sl.document_type = 'sale' AND sl.item_id IS NOT NULL AND sl.date <= %(as_of)s
    UNION ALL
    SELECT co.customer_id, 'O:' || o.id AS doc, -oi.id AS line, ci.id AS item_id,
           (o.created_at AT TIME ZONE 'UTC')::date AS day
    FROM crm_customerorder co
    JOIN orders_order o ON o.id = co.order_id
    JOIN orders_orderitem oi ON oi.order_id = o.id
    JOIN LATERAL (
        SELECT c.id FROM crm_catalogitem c WHERE c.product_id = oi.product_id ORDER BY c.id LIMIT 1
    ) ci ON TRUE
    WHERE o.status IN ({_STATUSES}) AND (o.created_at AT TIME ZONE 'UTC')::date <= %(as_of)s
      AND NOT EXISTS (SELECT 1 FROM crm_salesline x WHERE x.order_id = o.id)
"""
