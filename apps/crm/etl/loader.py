"""Load a file: COPY into a staging table, normalise and check every row in SQL, then write the
workspace's data with one set-based upsert per target, in one transaction.

Steps (`import_load`):
1. COPY the file as it is (after a byte-order mark) into `crm_etl_raw`, one text column per file
   column; PostgreSQL converts the encoding and splits the CSV.
2. `crm_etl_typed` (CREATE TABLE AS): each mapped column trimmed and normalised — French numbers
   (`1 234,56`, non-breaking spaces), `dd/mm/yyyy` or ISO dates, lowercased e-mails, French
   postal codes restored to 5 digits, credit notes (`AVOIR`) with negative amounts — and the
   first reason, if any, for which the row is rejected. Phones and countries are read in Python
   once per distinct value (`normalise.py`).
3. In one transaction: the rejected rows and warnings into `ImportRejection`, then the target:
   `INSERT … ON CONFLICT DO UPDATE … WHERE row_hash IS DISTINCT FROM …` for customers and the
   catalogue; for sales lines an `UPDATE` of the lines whose hash changed, then an `INSERT` of
   the new ones. A row whose hash has not changed is not written: it counts as `unchanged`. If
   anything fails, the transaction rolls back and the workspace's data is exactly as before.
   `crm_salesline` has no database foreign keys: before writing, the transaction locks each
   customer and item its lines refer to once (`FOR KEY SHARE`) and rejects the lines of those
   deleted since step 2 (`_sales_keys_lock`).
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from psycopg import sql

from apps.products.models import Product

from ..models import CatalogItem, Customer, ImportRejection, SalesLine
from ..models.imports import Kind
from . import reasons
from .errors import ImportMalformed
from .fields import FIELDS
from .normalise import country_code, phone_e164
from .reading import CHUNK, ENCODINGS, FileShape

RAW, TYPED = "crm_etl_raw", "crm_etl_typed"
WS = r"E' \t\u00a0\u202f'"  # trimmed: spaces, tabs, non-breaking spaces
EMAIL = r"'^[^@\s]+@[^@\s]+\.[^@\s]+$'"
FR_DATE = r"'^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}( .*)?$'"
FR_DATE_PARTS = r"'^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}).*$'"
SEPARATORS = "E' \\u00a0\\u202f'''"  # thousands: spaces, non-breaking spaces, apostrophes
CREDIT_WORDS = "('AVOIR', 'AV', 'CREDIT', 'CREDIT_NOTE', 'RETOUR', 'RETURN', 'CREDIT NOTE')"
NUMBER_TYPES = {"number": "numeric(14,2)", "quantity": "numeric(12,3)"}
KEYS = {
    Kind.CUSTOMERS: ("external_id",),
    Kind.PRODUCTS: ("article",),
    Kind.SALES: ("customer", "document_no", "article"),
}


@dataclass
class Report:
    status: str = "done"
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    credit_notes: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _lit(value) -> str:
    return sql.Literal(value).as_string(connection.connection)


def _run(cursor, statement: str, params=None) -> None:
    cursor.execute(statement, params)


# --- 1. staging ------------------------------------------------------------------------------


def stage(stream, shape: FileShape, *, on_bytes: Callable[[int], None] | None = None) -> None:
    """COPY the file into `crm_etl_raw` (a temporary table of this connection)."""
    columns = ", ".join(f"c{index} text" for index in range(len(shape.headers)))
    names = ", ".join(f"c{index}" for index in range(len(shape.headers)))
    connection.ensure_connection()
    with connection.cursor() as cursor:
        _run(cursor, f"DROP TABLE IF EXISTS {RAW}, {TYPED}")
        _run(cursor, "SET work_mem = '256MB'")  # sorts and hashes of a million rows stay in memory
        # The staging tables have no statistics: without this, matching client codes sorts them all.
        _run(cursor, "SET enable_mergejoin = off")
        _run(cursor, f"CREATE TEMPORARY TABLE {RAW} (line bigint GENERATED ALWAYS AS IDENTITY, {columns})")
        copy_sql = (
            f"COPY {RAW} ({names}) FROM STDIN (FORMAT csv, HEADER true, DELIMITER {_lit(shape.delimiter)}, "
            f"ENCODING {_lit(ENCODINGS[shape.encoding])})"
        )
        stream.seek(shape.start)
        done = shape.start
        try:
            with cursor.cursor.copy(copy_sql) as copy:
                while chunk := stream.read(CHUNK):
                    copy.write(chunk)
                    done += len(chunk)
                    if on_bytes is not None:
                        on_bytes(done)
        except DatabaseError as error:
            raise _malformed(error) from None
        except Exception as error:  # psycopg's own errors during COPY
            if error.__class__.__module__.startswith("psycopg"):
                raise _malformed(error) from None
            raise


def _malformed(error: Exception) -> ImportMalformed:
    diag = getattr(error, "diag", None) or getattr(getattr(error, "__cause__", None), "diag", None)
    where = getattr(diag, "context", "") or ""
    primary = getattr(diag, "message_primary", "") or str(error).splitlines()[0]
    return ImportMalformed(
        _("The file could not be read as CSV: %(reason)s %(where)s") % {"reason": primary, "where": where},
        details={"reason": primary, "where": where},
    )


# --- 2. normalise and check ------------------------------------------------------------------


def _trimmed(column: str | None, type_: str) -> str:
    """The cell without surrounding spaces (e-mails lowercased, document types uppercased)."""
    if column is None:
        return "''::text"
    trimmed = f"btrim(coalesce({column}, ''), {WS})"
    if type_ == "email":
        return f"lower({trimmed})"
    if type_ == "document_type":
        return f"upper({trimmed})"
    return trimmed


def _clean(t: str, type_: str) -> str:
    """From the trimmed cell `t`: numbers in PostgreSQL's notation, dates in ISO, the rest as is."""
    if type_ in NUMBER_TYPES:
        bare = f"translate({t}, {SEPARATORS}, '')"
        # `1 234,56` and `1.234,56` → `1234.56`; `1234.56` stays (the separators removed are no commas).
        return (
            f"(CASE WHEN strpos({t}, ',') > 0 THEN replace(replace({bare}, '.', ''), ',', '.') "
            f"ELSE {bare} END)"
        )
    if type_ == "date":
        # `dd/mm/yyyy` and ISO by position (cheap), other spellings by pattern; checked afterwards.
        return (
            f"(CASE WHEN {t} = '' THEN '' "
            f"WHEN substr({t}, 5, 1) = '-' THEN left({t}, 10) "
            f"WHEN substr({t}, 3, 1) = '/' AND substr({t}, 6, 1) = '/' "
            f"THEN substr({t}, 7, 4) || '-' || substr({t}, 4, 2) || '-' || left({t}, 2) "
            f"WHEN {t} ~ {FR_DATE} THEN regexp_replace({t}, {FR_DATE_PARTS}, '\\3-\\2-\\1') "
            f"ELSE '?' END)"
        )
    return t


def _number_valid(value: str, sql_type: str) -> str:
    """SQL: `value` casts to `sql_type` (`numeric(p,s)`) without overflow, even once rounded.

    A pattern, not `pg_input_is_valid` (PostgreSQL 16 only): the servers we run on include 15.
    """
    precision, scale = (int(part) for part in sql_type[len("numeric(") : -1].split(","))
    digits = precision - scale - 1  # one digit of room for rounding up (99.995 → 100.00)
    return f"({value} ~ '^[+-]?([0-9]{{1,{digits}}}([.][0-9]*)?|[.][0-9]+)$')"


def _date_valid(value: str) -> str:
    """SQL: `value`, ISO `yyyy-m-d`, is a day of the calendar (31 April and 29 February 2023 are not)."""
    year, month, day = (f"split_part({value}, '-', {part})::int" for part in (1, 2, 3))
    last_day = f"extract(day FROM make_date({year}, {month}, 1) + interval '1 month - 1 day')"
    return (
        f"(CASE WHEN {value} !~ '^[1-9][0-9]{{3}}-[0-9]{{1,2}}-[0-9]{{1,2}}$' THEN false "
        f"WHEN {month} NOT BETWEEN 1 AND 12 THEN false "
        f"ELSE {day} BETWEEN 1 AND {last_day} END)"
    )


def typed_build(shape: FileShape, *, default_country: str) -> None:
    """`crm_etl_typed`: one row per staged row, normalised, with `reason` set when rejected."""
    kind = shape.kind
    columns = {name: f"c{shape.headers.index(header)}" for header, name in shape.mapping.items()}
    headers = {name: header for header, name in shape.mapping.items()}
    fields = FIELDS[kind]
    all_raw = ", ".join(f"c{index}" for index in range(len(shape.headers)))

    # The windows sort the raw rows only (narrow), before a cell is trimmed or parsed.
    digest = f"md5(concat_ws(E'\\x1f', {all_raw}))::uuid"
    if kind == Kind.SALES:
        # Identical rows have the same document and article: partitioning duplicates by those
        # first lets the occurrence of the article in its document (duplicates apart, for
        # `line_key`) reuse the sort, refined within each document and article only.
        document, article = (
            _trimmed(columns.get(name), "text") + ' COLLATE "C"' for name in ("document_no", "article")
        )
        source = (
            f"(SELECT d.*, row_number() OVER (PARTITION BY d.k_document, d.k_article, d.dup ORDER BY d.line) "
            f"AS occurrence FROM (SELECT {RAW}.*, {document} AS k_document, {article} AS k_article, "
            f"(row_number() OVER (PARTITION BY {document}, {article}, {digest} ORDER BY line) > 1) AS dup "
            f"FROM {RAW}) d)"
        )
    else:
        dup = f"(row_number() OVER (PARTITION BY {digest} ORDER BY line) > 1)"
        source = f"(SELECT {RAW}.*, {dup} AS dup FROM {RAW})"
    inner = ["r.*"]
    for f in fields:
        inner.append(f"{_trimmed(columns.get(f.name), f.type)} AS t_{f.name}")
    cleaned = ["l.*"] + [f"{_clean(f't_{f.name}', f.type)} AS s_{f.name}" for f in fields]

    middle = ["i.*"]
    outer = ["v.line", "v.dup"]
    checks: list[tuple[str, str, str]] = [("v.dup", reasons.DUPLICATE_ROW, "")]
    checks += [(f"v.s_{key} = ''", reasons.MISSING_KEY, key) for key in KEYS[kind]]
    fr = default_country == "FR"
    for f in fields:
        name = f"s_{f.name}"
        if f.type in NUMBER_TYPES:
            middle.append(
                f"(i.{name} = '' OR {_number_valid(f'i.{name}', NUMBER_TYPES[f.type])}) AS ok_{f.name}"
            )
            outer.append(
                f"(CASE WHEN v.ok_{f.name} AND v.{name} <> '' THEN v.{name}::{NUMBER_TYPES[f.type]} END)"
                f" AS v_{f.name}"
            )
        elif f.type == "date":
            middle.append(f"(i.{name} <> '' AND {_date_valid(f'i.{name}')}) AS ok_{f.name}")
            outer.append(f"(CASE WHEN v.ok_{f.name} THEN v.{name}::date END) AS v_{f.name}")
        elif f.type == "email":
            outer.append(f"(CASE WHEN v.{name} ~ {EMAIL} THEN left(v.{name}, 254) ELSE '' END) AS v_{f.name}")
            outer.append(f"(v.{name} <> '' AND v.{name} !~ {EMAIL}) AS w_{f.name}")
            outer.append(f"v.{name} AS r_{f.name}")
        elif f.type == "postal_code":
            country = "v.s_country" if "country" in columns else "''"
            french = f"(lower({country}) IN ('fr', 'fra', 'france')" + (f" OR {country} = '')" if fr else ")")
            middle.append(f"(i.{name} ~ '^[0-9]{{4}}$') AS short_{f.name}")
            outer.append(
                f"(CASE WHEN v.short_{f.name} AND {french} THEN '0' || v.{name} "
                f"ELSE left(v.{name}, {f.max_length}) END) AS v_{f.name}"
            )
            outer.append(f"(v.short_{f.name} AND {french}) AS w_{f.name}")
            outer.append(f"v.{name} AS r_{f.name}")
        elif f.type == "document_type":
            middle.append(
                f"(i.{name} IN {CREDIT_WORDS} OR (i.{name} = '' AND i.s_quantity LIKE '-%')) AS credit"
            )
            outer.append(f"(CASE WHEN v.credit THEN 'credit_note' ELSE 'sale' END) AS v_{f.name}")
        else:  # text, phone, country: phones and countries are read afterwards (distinct values)
            outer.append(f"left(v.{name}, {f.max_length if f.type == 'text' else 64}) AS v_{f.name}")
            if f.type == "phone":
                outer.append(f"v.{name} AS r_{f.name}")
    for f in fields:
        if f.type == "date":
            checks.append((f"NOT v.ok_{f.name}", reasons.INVALID_DATE, f.name))
    for f in fields:
        if f.type in NUMBER_TYPES:
            checks.append((f"NOT v.ok_{f.name}", reasons.INVALID_NUMBER, f.name))

    joins = ""
    if kind == Kind.SALES:
        joins = (
            f" LEFT JOIN {Customer._meta.db_table} cu ON cu.external_id = v.s_customer AND v.s_customer <> ''"
            f" LEFT JOIN {CatalogItem._meta.db_table} it ON it.article = v.s_article"
        )
        outer += [
            "cu.id AS customer_id",
            "it.id AS item_id",
            "coalesce(it.label, '') AS item_label",
            "(v.s_document_no || '|' || v.s_article || '|' || v.occurrence) AS line_key",
        ]
        checks.append(("cu.id IS NULL", reasons.UNKNOWN_CUSTOMER, "customer"))
        checks.append(("it.id IS NULL", reasons.UNKNOWN_PRODUCT, "article"))

    def case(pick) -> str:
        return (
            "CASE "
            + " ".join(f"WHEN {cond} THEN {pick(reason, name)}" for cond, reason, name in checks)
            + " END"
        )

    def value(reason, name) -> str:
        if not name or reason == reasons.MISSING_KEY:
            return "''"
        return f"left(coalesce({columns[name].replace('c', 'v.c', 1)}, ''), 300)"

    outer.append(f"{case(lambda reason, name: _lit(reason))} AS reason")
    outer.append(f"{case(lambda reason, name: _lit(headers.get(name, name)[:100]))} AS reason_column")
    outer.append(f"{case(value)} AS reason_value")

    statement = (
        f"CREATE TEMPORARY TABLE {TYPED} AS SELECT {', '.join(outer)} FROM ("
        f"SELECT {', '.join(middle)} FROM (SELECT {', '.join(cleaned)} FROM "
        f"(SELECT {', '.join(inner)} FROM {source} r OFFSET 0) l OFFSET 0) i OFFSET 0"
        f") v{joins}"
    )
    with connection.cursor() as cursor:
        _run(cursor, statement)
        if kind == Kind.CUSTOMERS:
            _python_values(
                cursor, default_country, has_country="country" in columns, has_phone="phone" in columns
            )


def _python_values(cursor, default_country: str, *, has_country: bool, has_phone: bool) -> None:
    """Countries to ISO codes and phones to E.164, once per distinct value."""
    _run(cursor, f"ALTER TABLE {TYPED} ADD COLUMN w_phone boolean NOT NULL DEFAULT false")
    if has_country:
        _run(cursor, f"SELECT DISTINCT v_country FROM {TYPED}")
        pairs = [(raw, country_code(raw, default_country)) for (raw,) in cursor.fetchall()]
        _update(cursor, "v_country", "v_country", pairs)
    else:
        _run(cursor, f"UPDATE {TYPED} SET v_country = %s", [default_country])
    if has_phone:
        _run(cursor, f"SELECT DISTINCT v_phone, v_country FROM {TYPED} WHERE v_phone <> ''")
        rows = cursor.fetchall()
        _run(cursor, "CREATE TEMPORARY TABLE crm_etl_phones (raw text, country text, e164 text)")
        with cursor.cursor.copy("COPY crm_etl_phones FROM STDIN") as copy:
            for raw, country in rows:
                copy.write_row((raw, country, phone_e164(raw, country or default_country)))
        _run(
            cursor,
            f"UPDATE {TYPED} t SET v_phone = coalesce(p.e164, t.v_phone), w_phone = p.e164 IS NULL "
            f"FROM crm_etl_phones p WHERE p.raw = t.v_phone AND p.country = t.v_country",
        )
        _run(cursor, "DROP TABLE crm_etl_phones")


def _update(cursor, column: str, key: str, pairs: list[tuple[str, str]]) -> None:
    pairs = [(raw, new) for raw, new in pairs if raw != new]
    if not pairs:
        return
    values = ", ".join(f"({_lit(raw)}, {_lit(new)})" for raw, new in pairs)
    _run(
        cursor,
        f"UPDATE {TYPED} t SET {column} = m.new FROM (VALUES {values}) m(raw, new) WHERE t.{key} = m.raw",
    )


# --- 3. write -------------------------------------------------------------------------------

WARNING_COLUMNS = {
    Kind.CUSTOMERS: (
        ("w_email", reasons.INVALID_EMAIL, "email"),
        ("w_postal_code", reasons.POSTAL_CODE_FIXED, "postal_code"),
        ("w_phone", reasons.PHONE_UNPARSED, "phone"),
    ),
    Kind.PRODUCTS: (),
    Kind.SALES: (),
}


def _rejections_write(cursor, shape: FileShape, import_id: int) -> None:
    table = ImportRejection._meta.db_table
    headers = {name: header for header, name in shape.mapping.items()}
    selects = [
        f"SELECT {import_id}, line + 1, coalesce(reason_column, ''), coalesce(reason_value, ''), "
        f"reason, false "
        f"FROM {TYPED} WHERE reason IS NOT NULL"
    ]
    for flag, reason, name in WARNING_COLUMNS[shape.kind]:
        if name not in headers:
            continue
        selects.append(
            f"SELECT {import_id}, line + 1, {_lit(headers[name][:100])}, left(coalesce(r_{name}, ''), 300), "
            f"{_lit(reason)}, true FROM {TYPED} WHERE reason IS NULL AND {flag}"
        )
    _run(
        cursor,
        f'INSERT INTO {table} (import_run_id, line, "column", value, reason, warning) '
        + " UNION ALL ".join(selects),
    )


def _hash(names: list[str]) -> str:
    return "md5(concat_ws('|', " + ", ".join(f"coalesce({name}::text, '')" for name in names) + "))"


def _upsert_customers(cursor, shape: FileShape) -> tuple[int, int]:
    mapped = [f.name for f in FIELDS[Kind.CUSTOMERS] if f.name in shape.mapping.values()]
    every = [f.name for f in FIELDS[Kind.CUSTOMERS]]
    table = Customer._meta.db_table
    # A customer placed an order before being imported: give it its client code.
    if "email" in mapped:
        _run(
            cursor,
            f"WITH cand AS (SELECT DISTINCT ON (s.v_external_id) s.v_external_id AS code, c.id "
            f"FROM {TYPED} s "
            f"JOIN {table} c ON c.email = s.v_email AND c.external_id = '' "
            f"WHERE s.reason IS NULL AND s.v_email <> '' AND NOT EXISTS "
            f"(SELECT 1 FROM {table} x WHERE x.external_id = s.v_external_id) "
            f"ORDER BY s.v_external_id, c.id), "
            f"one AS (SELECT DISTINCT ON (id) id, code FROM cand ORDER BY id, code) "
            f"UPDATE {table} c SET external_id = one.code FROM one WHERE c.id = one.id",
        )
    values = ", ".join(
        {"phone": "left(v_phone, 32)", "country": "left(v_country, 2)"}.get(name, f"v_{name}")
        for name in every
    )
    sets = ", ".join(f"{name} = EXCLUDED.{name}" for name in mapped)
    return _upsert(
        cursor,
        f"WITH src AS (SELECT DISTINCT ON (v_external_id) * FROM {TYPED} WHERE reason IS NULL "
        f"ORDER BY v_external_id, line DESC) "
        f"INSERT INTO {table} AS t ({', '.join(every)}, "
        f"language, consent_source, source, row_hash, created_at, updated_at) "
        f"SELECT {values}, '', '', 'import', {_hash([f'v_{n}' for n in mapped])}, now(), now() FROM src "
        f"ON CONFLICT (external_id) WHERE external_id <> '' "
        f"DO UPDATE SET {sets}, row_hash = EXCLUDED.row_hash, updated_at = now() "
        f"WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash",
    )


def _upsert_products(cursor, shape: FileShape) -> tuple[int, int]:
    every = [f.name for f in FIELDS[Kind.PRODUCTS]]
    table = CatalogItem._meta.db_table
    values = ", ".join(
        "coalesce(nullif(v_label, ''), v_article)" if name == "label" else f"v_{name}" for name in every
    )
    sets = ", ".join(f"{name} = EXCLUDED.{name}" for name in [*every, "product_id"] if name != "article")
    return _upsert(
        cursor,
        f"WITH src AS (SELECT DISTINCT ON (v_article) * FROM {TYPED} WHERE reason IS NULL "
        f"ORDER BY v_article, line DESC) "
        f"INSERT INTO {table} AS t ({', '.join(every)}, "
        f"product_id, active, row_hash, created_at, updated_at) "
        f"SELECT {values}, p.id, true, {_hash([*(f'v_{n}' for n in every), 'p.id'])}, now(), now() "
        f"FROM src LEFT JOIN {Product._meta.db_table} p ON p.sku = src.v_article "
        f"ON CONFLICT (article) DO UPDATE SET {sets}, row_hash = EXCLUDED.row_hash, updated_at = now() "
        f"WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash",
    )


def _credit_negative(column: str, default: str | None = "0") -> str:
    """Credit notes are returns: their quantity and amounts are negative whatever the file's sign."""
    value = f"coalesce({column}, {default})" if default is not None else column
    return f"CASE WHEN v_document_type = 'credit_note' THEN -abs({value}) ELSE {value} END"


SALES_COLUMNS = {
    "customer_id": "customer_id",
    "item_id": "item_id",
    "label": "coalesce(nullif(v_label, ''), item_label)",
    "document_type": "v_document_type",
    "document_no": "v_document_no",
    "line_key": "line_key",
    "date": "v_date",
    "quantity": _credit_negative("v_quantity"),
    "unit_price": "v_unit_price",
    "amount_excl_tax": _credit_negative("v_amount_excl_tax"),
    "amount_incl_tax": _credit_negative("v_amount_incl_tax"),
    "margin": _credit_negative("v_margin", None),
}


def _upsert_sales(cursor, shape: FileShape) -> tuple[int, int]:
    """Changed lines first (an UPDATE that touches only the lines whose hash differs), then new ones.

    An `INSERT … ON CONFLICT DO UPDATE … WHERE` alone would lock, and so write, every existing
    line it meets, changed or not: re-importing a file would rewrite the whole table. The table
    is locked against other writers (readers go on) until the import commits (`_sales_keys_lock`),
    so another import of the workspace waits for this one instead of adding the same lines meanwhile.
    """
    table = SalesLine._meta.db_table
    names = list(SALES_COLUMNS)
    # Keys are compared as the unique index does (`COLLATE "C"`): a small file probes it.
    src = (
        f"WITH src AS (SELECT {', '.join(f'{expr} AS {name}' for name, expr in SALES_COLUMNS.items())}, "
        f"{_hash([f'({expr})' for expr in SALES_COLUMNS.values()])} AS row_hash "
        f"FROM {TYPED} WHERE reason IS NULL) "
    )
    changed = ", ".join(f"{name} = src.{name}" for name in [*names, "row_hash"] if name != "line_key")
    _run(
        cursor,
        f"{src}UPDATE {table} t SET {changed} FROM src "
        f'WHERE t.line_key = src.line_key COLLATE "C" AND t.row_hash IS DISTINCT FROM src.row_hash',
    )
    updated = cursor.rowcount
    _run(
        cursor,
        f"{src}INSERT INTO {table} ({', '.join(names)}, source, row_hash) "
        f"SELECT {', '.join(names)}, 'import', row_hash FROM src "
        f'WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE x.line_key = src.line_key COLLATE "C")',
    )
    return cursor.rowcount, updated


SALES_KEYS = (
    ("customer_id", Customer, reasons.UNKNOWN_CUSTOMER, "customer"),
    ("item_id", CatalogItem, reasons.UNKNOWN_PRODUCT, "article"),
)


def _sales_keys_lock(cursor, shape: FileShape) -> None:
    """Lock each customer and item the lines refer to, then `crm_salesline` against other writers.

    `crm_salesline` has no database foreign keys (PostgreSQL would check each new line's two keys
    at commit, one index look-up each): their integrity is kept here, once per distinct key.
    `FOR KEY SHARE` keeps the rows from being deleted (or their id changed) until this import
    commits; the lines matched in `typed_build`, before this transaction, to a customer or an item
    deleted since are rejected with the reason they would have had then. ORM deletes of customers
    and items lock their rows `FOR UPDATE` before reading their lines (`models.customers.KeyedModel`):
    they wait for this import and then see its lines, or it waits for them and finds the rows gone.
    Rows are locked in id order, as those deletes do, and before the table: a delete holding a
    customer never waits for the table while this import waits for the customer.
    """
    # One scan of the lines for both keys (a row per distinct customer, then per distinct item);
    # the count of rows locked in a table is the count wanted from it unless some are gone.
    columns = [column for column, *_ in SALES_KEYS]
    counts = ", ".join(
        f"(SELECT count({column}) FROM wanted), (SELECT count(*) FROM (SELECT 1 FROM "
        f"{model._meta.db_table} WHERE id IN (SELECT {column} FROM wanted) ORDER BY id FOR KEY SHARE) locked)"
        for column, model, *_ in SALES_KEYS
    )
    _run(
        cursor,
        f"WITH wanted AS MATERIALIZED (SELECT {', '.join(columns)} FROM {TYPED} WHERE reason IS NULL "
        f"GROUP BY GROUPING SETS ({', '.join(f'({column})' for column in columns)})) SELECT {counts}",
    )
    found = cursor.fetchone()
    headers = {name: header for header, name in shape.mapping.items()}
    for index, (column, model, reason, name) in enumerate(SALES_KEYS):
        if found[2 * index] == found[2 * index + 1]:
            continue
        target = model._meta.db_table
        raw = f"c{shape.headers.index(headers[name])}"
        _run(
            cursor,
            f"UPDATE {TYPED} t SET reason = %s, reason_column = %s, "
            f"reason_value = left(coalesce(r.{raw}, ''), 300) "
            f"FROM {RAW} r WHERE r.line = t.line AND t.reason IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.id = t.{column})",
            [reason, headers[name][:100]],
        )
    _run(cursor, f"LOCK TABLE {SalesLine._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _upsert(cursor, statement: str) -> tuple[int, int]:
    _run(
        cursor,
        f"WITH up AS ({statement} RETURNING (xmax = 0) AS inserted) "
        f"SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
    )
    created, updated = cursor.fetchone()
    return created, updated


UPSERTS = {Kind.CUSTOMERS: _upsert_customers, Kind.PRODUCTS: _upsert_products, Kind.SALES: _upsert_sales}


def write(shape: FileShape, *, import_id: int) -> Report:
    """Rejections, warnings and the upsert, in one transaction: all of it, or nothing."""
    report = Report()
    with transaction.atomic(), connection.cursor() as cursor:
        # Only this transaction's durability waits less: a crash loses it whole or keeps it whole.
        _run(cursor, "SET LOCAL synchronous_commit = off")
        _run(cursor, f"ANALYZE {TYPED}")  # the joins below are planned on real figures
        if shape.kind == Kind.SALES:
            _sales_keys_lock(cursor, shape)
        credit = "v_document_type = 'credit_note'" if shape.kind == Kind.SALES else "false"
        _run(
            cursor,
            f"SELECT count(*), count(*) FILTER (WHERE reason IS NOT NULL), "
            f"count(*) FILTER (WHERE reason IS NULL AND {credit}) FROM {TYPED}",
        )
        report.rows_read, report.rejected, report.credit_notes = cursor.fetchone()
        _rejections_write(cursor, shape, import_id)
        report.created, report.updated = UPSERTS[shape.kind](cursor, shape)
        report.unchanged = report.rows_read - report.rejected - report.created - report.updated
        _run(
            cursor,
            f"SELECT reason, warning, count(*) FROM {ImportRejection._meta.db_table} "
            f"WHERE import_run_id = %s GROUP BY 1, 2 ORDER BY 1",
            [import_id],
        )
        for reason, warning, count in cursor.fetchall():
            (report.warnings if warning else report.rejections)[reason] = count
    return report


def cleanup() -> None:
    with connection.cursor() as cursor:
        _run(cursor, f"DROP TABLE IF EXISTS {RAW}, {TYPED}, crm_etl_phones")
        _run(cursor, "RESET work_mem")
        _run(cursor, "RESET enable_mergejoin")


def preview_rows(shape: FileShape, *, limit: int) -> list[dict]:
    """The first `limit` staged rows as they will be loaded: values, or the reason they would not be."""
    names = [f.name for f in FIELDS[shape.kind] if f.name in shape.mapping.values()]
    with connection.cursor() as cursor:
        _run(
            cursor,
            f"SELECT line + 1, reason, {', '.join(f'v_{n}::text' for n in names)} "
            f"FROM {TYPED} ORDER BY line LIMIT %s",
            [limit],
        )
        rows = cursor.fetchall()
    return [
        {"line": row[0], "reason": row[1], "values": dict(zip(names, row[2:], strict=True))} for row in rows
    ]
