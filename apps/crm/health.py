"""Data health: how complete and how clean the workspace's customer base is, now and after each
import (a `HealthSnapshot` keeps the figures for trends)."""

from django.db import connection
from django.utils import timezone

from .models import CatalogItem, Customer, CustomerOrder, HealthSnapshot, Import, SalesLine

COMPLETENESS_FIELDS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "address",
    "postal_code",
    "city",
    "country",
)
SAMPLE = 20
# Same first and last name (case aside) on customers with different e-mails, or without one.
SIMILAR = "HAVING count(DISTINCT email) > 1 OR count(*) > count(DISTINCT email)"
MARGIN_ABOVE_PRICE = "margin IS NOT NULL AND amount_excl_tax > 0 AND margin > amount_excl_tax"
# The figures kept in each snapshot (the trend chart draws each of them).
TREND_METRICS = (
    "customers",
    "duplicate_emails",
    "similar_names",
    "customers_without_sales",
    "products_never_sold",
    "margin_above_price",
    "future_dates",
)


def _rows(statement: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def health_metrics() -> dict:
    """Counts only: what a snapshot keeps."""
    customers = Customer._meta.db_table
    lines = SalesLine._meta.db_table
    items = CatalogItem._meta.db_table
    links = CustomerOrder._meta.db_table
    filled = ", ".join(f"count(*) FILTER (WHERE {name} <> '')" for name in COMPLETENESS_FIELDS)
    total, *counts = _rows(f"SELECT count(*), {filled} FROM {customers}")[0]
    completeness = {
        name: round(100 * count / total, 1) if total else 0.0
        for name, count in zip(COMPLETENESS_FIELDS, counts, strict=True)
    }
    today = timezone.localdate()
    (figures,) = _rows(
        f"SELECT "
        f"(SELECT count(*) FROM (SELECT email FROM {customers} WHERE email <> '' "
        f"  GROUP BY email HAVING count(*) > 1) d), "
        f"(SELECT count(*) FROM (SELECT lower(first_name), lower(last_name) FROM {customers} "
        f"  WHERE last_name <> '' GROUP BY 1, 2 {SIMILAR}) n), "
        f"(SELECT count(*) FROM {customers} c "
        f"  WHERE NOT EXISTS (SELECT 1 FROM {lines} s WHERE s.customer_id = c.id) "
        f"  AND NOT EXISTS (SELECT 1 FROM {links} o WHERE o.customer_id = c.id)), "
        f"(SELECT count(*) FROM {items} i "
        f"  WHERE NOT EXISTS (SELECT 1 FROM {lines} s WHERE s.item_id = i.id)), "
        f"(SELECT count(*) FROM {lines} WHERE {MARGIN_ABOVE_PRICE}), "
        f"(SELECT count(*) FROM {lines} WHERE date > %s)",
        [today],
    )
    return {
        "customers": total,
        "completeness": completeness,
        **dict(zip(TREND_METRICS[1:], figures, strict=True)),
    }


def health_details() -> dict:
    """The figures and a sample of each problem, for the data-health page."""
    customers = Customer._meta.db_table
    lines = SalesLine._meta.db_table
    metrics = health_metrics()
    metrics["duplicate_email_samples"] = [
        {"email": email, "count": count, "codes": codes}
        for email, count, codes in _rows(
            f"SELECT email, count(*), string_agg(nullif(external_id, ''), ', ' ORDER BY external_id) "
            f"FROM {customers} WHERE email <> '' GROUP BY email HAVING count(*) > 1 "
            f"ORDER BY count(*) DESC, email LIMIT %s",
            [SAMPLE],
        )
    ]
    metrics["similar_name_samples"] = [
        {"name": name, "count": count, "emails": emails}
        for name, count, emails in _rows(
            f"SELECT min(first_name || ' ' || last_name), count(*), "
            f"string_agg(DISTINCT nullif(email, ''), ', ') FROM {customers} WHERE last_name <> '' "
            f"GROUP BY lower(first_name), lower(last_name) {SIMILAR} ORDER BY count(*) DESC LIMIT %s",
            [SAMPLE],
        )
    ]
    metrics["never_sold_samples"] = list(
        CatalogItem.objects.filter(sales_lines__isnull=True).values_list("article", "label")[:SAMPLE]
    )
    metrics["anomaly_samples"] = [
        {"document_no": doc, "label": label, "date": date, "amount": amount, "margin": margin, "kind": kind}
        for doc, label, date, amount, margin, kind in _rows(
            f"SELECT document_no, label, date, amount_excl_tax, margin, "
            f"CASE WHEN date > %s THEN 'future_date' ELSE 'margin_above_price' END FROM {lines} "
            f"WHERE date > %s OR ({MARGIN_ABOVE_PRICE}) "
            f"ORDER BY date DESC LIMIT %s",
            [timezone.localdate(), timezone.localdate(), SAMPLE],
        )
    ]
    return metrics


def health_snapshot_take(*, import_run: Import | None = None) -> HealthSnapshot:
    return HealthSnapshot.objects.create(import_run=import_run, metrics=health_metrics())


def health_trend(limit: int = 30) -> list[dict]:
    """The last snapshots, oldest first: {"taken_at", metric: value…}."""
    snapshots = list(HealthSnapshot.objects.order_by("-taken_at")[:limit])
    return [{"taken_at": snap.taken_at, **snap.metrics} for snap in reversed(snapshots)]
