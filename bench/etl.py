"""CRM imports at COPY speed: 1 M generated sales lines imported end to end, with normalisation.

Files shaped like the ERP exports of the CRM issue: customers (`;`, UTF-8 with a BOM), the
catalogue (`,`, quoted French prices) and sales lines (`;`, Windows-1252, `dd/mm/yyyy` and ISO
dates, `1 234,56` with a non-breaking space, `VENTE` and `AVOIR` lines). The customers and the
catalogue are imported first (not timed); then the sales file is imported end to end
(`import_create`: checks, detection, storing the file; `import_execute`: COPY into staging,
normalisation and checks in SQL, rejections, changed lines updated and new ones inserted) and
timed. In the same run, a bare `COPY` of the same file into a table of text columns gives the
floor the import is compared to.
Peak RSS is this process's (the import's Python side; PostgreSQL's own memory is not in it).

Targets: >= 100,000 rows/s and peak RSS <= 300 MB. BENCH_SMOKE=1: 20,000 lines, no target.
"""

import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import SMOKE, enforced

SLUG = "bench-etl"
LINES = 20_000 if SMOKE else 1_000_000
CUSTOMERS = max(LINES // 10, 100)
PRODUCTS = 200
TARGET_ROWS_PER_SECOND = 100_000
TARGET_RSS_MB = 300
NBSP = "\u00a0"
FAMILIES = ("Alsace", "Bourgogne", "Loire", "Rhône", "Champagne")
NAMES = ("Lefèvre", "Müller", "Durand", "Schäfer", "Roßmann", "Garçon", "Dupré", "Hélène", "Noël", "Zoé")


def _french(value: float) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return text.replace(" ", NBSP)


def _write(path: Path, encoding: str, lines) -> None:
    with path.open("w", encoding=encoding, newline="") as out:
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) >= 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def _customers():
    yield "client_code;nom;prenom;email;telephone;adresse;code_postal;ville;pays\n"
    rng = random.Random(1)
    for n in range(1, CUSTOMERS + 1):
        name = rng.choice(NAMES)
        postal = rng.choice(("68100", "1000", "75002", "67000", "6000"))
        yield (
            f"C{n:06d};{name};Loïc;client{n}@Example.fr;+33 1 23 45 {n % 100:02d} {n % 97:02d};"
            f'"{n} rue de l\'Église; bât. B";{postal};Mulhouse;France\n'
        )


def _products():
    yield (
        "produit,article,millesime,famille_crm,sous_famille,macro_categorie,prix_ttc,price_band,"
        "premium_tier\n"
    )
    rng = random.Random(2)
    for n in range(1, PRODUCTS + 1):
        price = _french(rng.uniform(6, 1500))
        vintage, family = 2000 + n % 24, rng.choice(FAMILIES)
        yield f'Cuvée n°{n} d\'Alsace,ART{n:04d},{vintage},{family},Blancs,Repas,"{price}",,Standard\n'


def _sales():
    yield (
        "client_code;date_livraison;produit_label;qty_line;pu_ht;mt_ht;mt_ttc;marge;document_type;"
        "document_no;article;email;code_postal;ville\n"
    )
    rng = random.Random(3)
    start = date(2022, 1, 1)
    for n in range(1, LINES + 1):
        day = start + timedelta(days=rng.randrange(1000))
        when = day.strftime("%d/%m/%Y") if n % 2 else day.isoformat()
        credit = n % 50 == 0
        qty = -rng.randint(1, 3) if credit else rng.randint(1, 24)
        unit = rng.uniform(5, 120)
        net = unit * qty
        yield (
            f"C{rng.randint(1, CUSTOMERS):06d};{when};Cuvée d'Alsace;{qty};{_french(unit)};{_french(net)};"
            f"{_french(net * 1.2)};{_french(net * 0.3)};{'AVOIR' if credit else 'VENTE'};"
            f"{'A' if credit else 'V'}{n // 3:07d};ART{rng.randint(1, PRODUCTS):04d};;;\n"
        )


def _bare_copy(path: Path, columns: int) -> float:
    from django.db import connection

    names = ", ".join(f"c{i} text" for i in range(columns))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_bare ({names})")
        started = time.perf_counter()
        with (
            path.open("rb") as stream,
            cursor.cursor.copy(
                "COPY bench_bare FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';', ENCODING 'WIN1252')"
            ) as copy,
        ):
            while chunk := stream.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_bare")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_bare")
    assert copied == LINES, copied
    return elapsed


def _import(path: Path, kind: str):
    from apps.crm.etl.services import import_create, import_execute

    with path.open("rb") as stream:
        import_run = import_create(file=stream, kind=kind, run=False)
    import_execute(import_run=import_run)
    import_run.refresh_from_db()
    return import_run


def run(env: dict[str, str]) -> bool:
    from django.db import connection

    from apps.accounts.services import tenant_provision

    tenant = tenant_provision(slug=SLUG, name="Bench ETL", owner_email=f"owner@{SLUG}.test", plan="pro")
    connection.set_tenant(tenant)
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            started = time.perf_counter()
            _write(root / "customers.csv", "utf-8-sig", _customers())
            _write(root / "products.csv", "utf-8", _products())
            _write(root / "sales.csv", "cp1252", _sales())
            size = (root / "sales.csv").stat().st_size
            print(  # noqa: T201
                f"etl: {LINES:,} sales lines ({size / 2**20:.0f} MB), {CUSTOMERS:,} customers, "
                f"{PRODUCTS} products generated in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            customers = _import(root / "customers.csv", "customers")
            products = _import(root / "products.csv", "products")
            assert (customers.status, customers.created) == ("done", CUSTOMERS), customers.error
            assert (products.status, products.created) == ("done", PRODUCTS), products.error

            bare = _bare_copy(root / "sales.csv", 14)
            started = time.perf_counter()
            sales = _import(root / "sales.csv", "sales")
            elapsed = time.perf_counter() - started
            assert sales.status == "done", sales.error
            assert (sales.rows_read, sales.created, sales.rejected) == (LINES, LINES, 0), (
                sales.rows_read,
                sales.created,
                sales.rejected,
                sales.rejections,
            )
            started = time.perf_counter()
            again = _import(root / "sales.csv", "sales")
            again_elapsed = time.perf_counter() - started
            assert (again.unchanged, again.created, again.updated) == (LINES, 0, 0)
    finally:
        connection.set_schema_to_public()
    rate = LINES / elapsed
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = rate >= TARGET_ROWS_PER_SECOND and rss_mb <= TARGET_RSS_MB
    print(  # noqa: T201
        f"etl: import {elapsed:.2f} s = {rate:,.0f} rows/s ({sales.credit_notes:,} credit notes); "
        f"bare COPY {bare:.2f} s = {LINES / bare:,.0f} rows/s; import / bare COPY = {elapsed / bare:.1f}x; "
        f"re-import (all unchanged) {again_elapsed:.2f} s; peak RSS {rss_mb:.0f} MB",
        flush=True,
    )
    print(  # noqa: T201
        f"etl: [targets >= {TARGET_ROWS_PER_SECOND:,} rows/s and RSS <= {TARGET_RSS_MB} MB: "
        f"{'met' if ok else 'MISSED'}]",
        flush=True,
    )
    return enforced(ok)
