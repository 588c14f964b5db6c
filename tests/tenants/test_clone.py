"""New workspaces cloned from the template schema (apps/tenants/template.py), on real PostgreSQL,
or renamed from a spare schema cloned ahead of time.

Each test provisions inside the test's transaction: the schemas it creates are rolled back (but
the concurrency test's, which cleans up after itself).
"""

import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.signals import schema_migrated
from django_tenants.utils import schema_exists

from apps.accounts.services import tenant_provision
from apps.core.schedules import SCHEDULES
from apps.tenants.models import SpareSchema
from apps.tenants.template import (
    _refill_soon,
    migration_state,
    spare_take,
    spares_drop,
    spares_refill,
    template_is_fresh,
    template_schema,
)

# The schema's catalog, with the schema's own name written as `~` so two schemas compare equal.
SIGNATURE = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
               pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r' AND a.attnum > 0
           AND NOT a.attisdropped""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE k.connamespace = %(ns)s::regnamespace""",
    "indexes": """
        SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_class c
         WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'i'""",
    "sequences": """
        SELECT c.relname, s.seqtypid, s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcycle
          FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
         WHERE c.relnamespace = %(ns)s::regnamespace""",
    "migrations": "SELECT app, name FROM {schema}.django_migrations",
    "content_types": "SELECT id, app_label, model FROM {schema}.django_content_type",
}


def signature(schema: str) -> dict[str, set]:
    quoted = connection.ops.quote_name(schema)
    own = re.compile(rf"(?:{re.escape(quoted)}|\b{re.escape(schema)})\.")
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('search_path', 'pg_catalog', true)")
        for key, query in SIGNATURE.items():
            cursor.execute(query.format(schema=quoted), {"ns": schema})
            result[key] = {
                tuple(own.sub("~.", v) if isinstance(v, str) else v for v in row) for row in cursor
            }
        cursor.execute("SELECT set_config('search_path', %s, true)", [f"{quoted}, public"])
    connection.set_schema_to_public()
    return result


def provision(slug: str):
    return tenant_provision(slug=slug, name=slug.title(), owner_email=f"owner@{slug}.test")


@pytest.fixture
def public(db):
    connection.set_schema_to_public()
    assert template_is_fresh(), "migrate_schemas (the test database's setup) builds the template"


@pytest.fixture(params=["cloned", "spare"])
def way(request, public, settings):
    """Each workspace cloned at signup, or renamed from a spare cloned ahead of time."""
    if request.param == "spare":
        settings.TENANT_SPARE_SCHEMAS = 1
        assert spares_refill() == 1
    return request.param


def spares() -> set[str]:
    return set(SpareSchema.objects.values_list("schema_name", flat=True))


def namespace_oid(schema: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        row = cursor.fetchone()
    return row and row[0]


def test_a_clone_has_the_template_tables_constraints_indexes_sequences_and_rows(way):
    spare = spares()
    provision("clone-shop")
    assert not spares()
    assert not any(schema_exists(name) for name in spare)

    clone, template = signature("clone-shop"), signature(template_schema())
    for key in SIGNATURE:
        if key != "indexes":
            assert clone[key] == template[key], key
    # A partial index's predicate is printed again from the parsed copy: `IN (...)` may come back
    # as `ANY (ARRAY[...])` with the casts moved, the same condition.
    assert {(name, sql.split(" WHERE ")[0]) for name, sql in clone["indexes"]} == {
        (name, sql.split(" WHERE ")[0]) for name, sql in template["indexes"]
    }
    assert len(clone["indexes"]) > 100
    assert len(clone["migrations"]) > 100


def test_a_clone_owns_its_sequences_and_gives_fresh_ids(way):
    tenant = provision("clone-ids")
    with connection.cursor() as cursor:
        # Nothing in the clone depends on a relation of the template (defaults, identity, FKs).
        cursor.execute(
            """SELECT count(*) FROM pg_depend d JOIN pg_class r ON r.oid = d.refobjid
                JOIN pg_class c
                  ON c.oid = d.objid OR c.oid = (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
               WHERE r.relnamespace = %s::regnamespace AND c.relnamespace = %s::regnamespace""",
            [template_schema(), "clone-ids"],
        )
        assert cursor.fetchone()[0] == 0
        template_number = _sequence_position(cursor, template_schema(), "orders_order_number_seq")
        cursor.execute("""SELECT max(id) FROM "clone-ids".django_content_type""")
        highest = cursor.fetchone()[0]

    connection.set_tenant(tenant)
    from django.contrib.contenttypes.models import ContentType

    from apps.orders.models import NUMBER_SEQUENCE

    content_type = ContentType.objects.create(app_label="clone", model="probe")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s), nextval(%s)", [NUMBER_SEQUENCE, NUMBER_SEQUENCE])
        first, second = cursor.fetchone()
    connection.set_schema_to_public()

    assert content_type.id == highest + 1
    assert (first, second) == (1, 2)
    with connection.cursor() as cursor:
        assert _sequence_position(cursor, template_schema(), "orders_order_number_seq") == template_number
        template = connection.ops.quote_name(template_schema())
        cursor.execute(f"SELECT count(*) FROM {template}.django_content_type")
        assert cursor.fetchone()[0] == highest


def _sequence_position(cursor, schema: str, name: str) -> tuple:
    cursor.execute(f"SELECT last_value, is_called FROM {connection.ops.quote_name(schema)}.{name}")
    return cursor.fetchone()


@pytest.mark.parametrize(("app", "previous"), [("campaigns", "0003"), ("designs", "0007")])
def test_a_clone_migrates_back_and_forth_like_a_migrated_schema(public, app, previous):
    """Migrations find the indexes and constraints under the names they gave them."""
    provision("clone-moves")
    before = signature("clone-moves")

    call_command("migrate_schemas", app, previous, schema_name="clone-moves", interactive=False, verbosity=0)
    call_command("migrate_schemas", schema_name="clone-moves", interactive=False, verbosity=0)

    after = signature("clone-moves")
    for key in ("columns", "constraints", "indexes", "sequences"):
        assert after[key] == before[key], key


def test_a_stale_template_is_not_cloned_and_the_command_rebuilds_it(public):
    template = connection.ops.quote_name(template_schema())
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {template}.django_migrations WHERE app = 'campaigns' AND name LIKE '0004%%'"
        )
    assert not template_is_fresh()

    provision("migrated-shop")  # migrated, as before templates: slower, same schema

    assert schema_exists("migrated-shop")
    call_command("tenant_template", verbosity=0)
    assert template_is_fresh()
    migrated, cloned = signature("migrated-shop"), signature(template_schema())
    for key in ("columns", "constraints", "sequences", "migrations"):
        assert migrated[key] == cloned[key], key
    assert {name for name, _ in migrated["indexes"]} == {name for name, _ in cloned["indexes"]}


def test_a_signup_takes_a_spare_and_queues_a_refill(public, settings, django_capture_on_commit_callbacks):
    settings.TENANT_SPARE_SCHEMAS = 2
    assert spares_refill() == 2
    assert spares_refill() == 0
    first, second = SpareSchema.objects.all()
    oid = namespace_oid(first.schema_name)

    with django_capture_on_commit_callbacks() as callbacks:
        provision("spare-shop")

    assert namespace_oid("spare-shop") == oid  # the oldest spare, renamed
    assert spares() == {second.schema_name}
    assert _refill_soon in callbacks
    assert "apps.tenants.tasks.spares_refill_task" in {schedule.task for schedule in SCHEDULES}
    assert spares_refill() == 1
    assert len(spares()) == 2
    assert second.schema_name in spares()


def test_the_refill_drops_spares_of_another_migration_state_and_extra_ones(public, settings):
    settings.TENANT_SPARE_SCHEMAS = 3
    spares_refill()
    stale, kept, extra = SpareSchema.objects.all()
    SpareSchema.objects.filter(pk=stale.pk).update(migration_state="0" * 64)
    settings.TENANT_SPARE_SCHEMAS = 1

    assert spares_refill() == 0

    assert spares() == {kept.schema_name}
    assert not schema_exists(stale.schema_name)
    assert not schema_exists(extra.schema_name)


def test_a_stale_spare_is_never_taken_and_a_stale_template_falls_back_to_migrating(public, settings):
    settings.TENANT_SPARE_SCHEMAS = 2
    spares_refill()
    stale, fresh = SpareSchema.objects.all()
    SpareSchema.objects.filter(pk=stale.pk).update(migration_state="0" * 64)
    stale_oid, fresh_oid = namespace_oid(stale.schema_name), namespace_oid(fresh.schema_name)
    template = connection.ops.quote_name(template_schema())
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {template}.django_migrations WHERE app = 'campaigns' AND name LIKE '0004%%'"
        )

    provision("spare-fresh")  # the spare at the code's migrations is taken, stale template or not
    provision("spare-migrated")  # the other is stale, and so is the template: migrated

    assert namespace_oid("spare-fresh") == fresh_oid
    assert namespace_oid("spare-migrated") not in (None, stale_oid)
    assert spares() == {stale.schema_name}
    assert signature("spare-migrated")["migrations"] == signature("spare-fresh")["migrations"]
    call_command("tenant_template", verbosity=0)  # the template rebuilt: every spare dropped
    assert not spares()
    assert not schema_exists(stale.schema_name)
    assert spares_refill() == 2
    assert {row.migration_state for row in SpareSchema.objects.all()} == {migration_state()}


def test_migrate_schemas_leaves_spares_out_and_keeps_them_while_the_template_is_fresh(public, settings):
    provision("spare-neighbour")
    settings.TENANT_SPARE_SCHEMAS = 1
    spares_refill()
    [spare] = spares()
    migrated = []

    def record(sender, schema_name, **kwargs):
        migrated.append(schema_name)

    schema_migrated.connect(record)
    try:
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    finally:
        schema_migrated.disconnect(record)

    assert "spare-neighbour" in migrated
    assert spare not in migrated
    assert spares() == {spare}
    assert schema_exists(spare)


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_take_the_same_spare(settings):
    """Three signups at once, two spares: each spare goes to one signup, the third gets none; the
    signups roll back and the spares are free again."""
    settings.TENANT_SPARE_SCHEMAS = 2
    connection.set_schema_to_public()
    try:
        spares_refill()
        oids = {namespace_oid(name) for name in spares()}
        inside = threading.Barrier(3, timeout=30)
        taken: dict[int, int | None] = {}

        def signup(index: int) -> None:
            schema = f"spare-race-{index}"
            try:
                with transaction.atomic():
                    took = spare_take(schema)
                    taken[index] = namespace_oid(schema) if took else None
                    inside.wait()  # every signup has tried before any lets go of its spare
                    transaction.set_rollback(True)
            finally:
                connection.close()

        threads = [threading.Thread(target=signup, args=(index,)) for index in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(taken) == 3
        assert sorted(taken.values(), key=str) == sorted([*oids, None], key=str)
        assert {namespace_oid(name) for name in spares()} == oids
    finally:
        spares_drop()
