"""New workspaces' schemas cloned from a template schema kept at the latest migration.

Migrating a new schema costs seconds (every tenant app's migrations, replayed); copying the
template's tables costs milliseconds. The template, `settings.TENANT_TEMPLATE_SCHEMA`, is a schema
like any workspace's but with no tenant row: `migrate_schemas` rebuilds it whenever its recorded
migrations differ from the code's (and `manage.py tenant_template` on demand). While it is missing
or stale, a new workspace is migrated as before: slower, never wrong.

The clone is plain DDL generated from the template's catalog, once per process and migration
state: its tables (`LIKE ... INCLUDING` defaults, identity, check constraints, storage, comments),
its own sequences with their positions, its rows (`django_migrations`, content types, whatever
data migrations left), then primary keys, unique constraints and indexes under their names, and
foreign keys. Every name is the template's with the schema replaced, so later migrations that
drop or rename an index by name work as in a migrated schema. Identity columns get sequences of
their own; a default that calls a template sequence is re-pointed at the clone's. A template with
objects this does not copy (views, functions, triggers, types, partitions) is not cloned: the
workspace is migrated instead.

Spare schemas: cloning still costs 0.3-1 s, so `settings.TENANT_SPARE_SCHEMAS` clones are made
ahead of signups (`luneo_spare_<hex>`, one `SpareSchema` row each, with the migration state of the
code that cloned them). A signup takes one (row locked `FOR UPDATE SKIP LOCKED`, deleted, schema
renamed by `ALTER SCHEMA ... RENAME`, all in the signup's transaction: two signups never get the
same spare, a failed signup gives it back) and queues `spares_refill` on commit; beat runs it every
minute too. Renaming keeps every object and dependency (defaults and sequences refer to each other
by OID, not by name). A spare of another migration state is never taken: the refill drops it, and
rebuilding the template drops every spare. Spares are not tenants, so `migrate_schemas` never sees
them.
"""

import functools
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from .models import SpareSchema

logger = logging.getLogger(__name__)

# Both taken around a rebuild and a clone, so a clone never reads a half-dropped template.
_LOCK_KEY = 0x6C756E656F  # "luneo"
_REFILL_LOCK_KEY = _LOCK_KEY + 1  # one refill at a time
SPARE_PREFIX = "luneo_spare_"  # not a valid workspace slug (underscores)


def template_schema() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


@functools.cache
def _code_migrations() -> tuple[tuple[tuple[str, tuple[str, str]], ...], frozenset[tuple[str, str]]]:
    """The code's migrations, each with those it replaces (squashed), and every name on disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = tuple((key, tuple(loader.graph.nodes[key].replaces or ())) for key in loader.graph.nodes)
    return plan, frozenset(loader.disk_migrations)


def _recorded_migrations(schema: str) -> frozenset[tuple[str, str]] | None:
    """The migrations `schema` records as applied; None if it has no django_migrations table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{_quote(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT app, name FROM {_quote(schema)}.django_migrations")
        return frozenset(cursor.fetchall())


def template_is_fresh() -> bool:
    """The template exists and records exactly the code's migrations."""
    schema = template_schema()
    if not schema_exists(schema):
        return False
    recorded = _recorded_migrations(schema)
    return recorded is not None and _covers(recorded)


def _covers(recorded: frozenset[tuple[str, str]]) -> bool:
    """Every migration of the code is recorded (a squashed one, or all it replaces), and nothing
    else is: a template migrated by newer code (a release rolled back) is stale too.
    """
    plan, on_disk = _code_migrations()
    applied = all(key in recorded or (replaces and set(replaces) <= recorded) for key, replaces in plan)
    return applied and recorded <= on_disk


def template_rebuild(*, verbosity: int = 0) -> None:
    """Migrate a fresh schema from zero, then put it in the template's place in one transaction."""
    schema = template_schema()
    building = f"{schema}_next"
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(building)} CASCADE")
        cursor.execute(f"CREATE SCHEMA {_quote(building)}")
    call_command("migrate_schemas", tenant=True, schema_name=building, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE")
        cursor.execute(f"ALTER SCHEMA {_quote(building)} RENAME TO {_quote(schema)}")
    _clone_script.cache_clear()
    spares_drop()  # cloned from the previous template


def template_refresh(*, verbosity: int = 0) -> bool:
    """Rebuild the template if it is missing or stale. True if it was rebuilt."""
    if template_is_fresh():
        return False
    template_rebuild(verbosity=verbosity)
    return True


def schema_clone(schema_name: str) -> bool:
    """Create `schema_name` as a copy of the template. False (nothing done) if the template is
    missing, stale or holds objects the clone does not copy: migrate the schema instead.
    """
    template = template_schema()
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_LOCK_KEY])
        if not schema_exists(template):
            logger.warning("No template schema %s: workspace %s is migrated", template, schema_name)
            return False
        recorded = _recorded_migrations(template)
        if recorded is None or not _covers(recorded):
            logger.warning("Template schema %s is stale: workspace %s is migrated", template, schema_name)
            return False
        script = _clone_script(template, recorded)
        if script is None:
            return False
        target = _quote(schema_name)
        try:
            with transaction.atomic():
                cursor.execute(f"CREATE SCHEMA {target}")
                cursor.execute(script.replace(_TARGET, target))
        except DatabaseError:
            logger.exception("Cloning %s failed: workspace %s is migrated", template, schema_name)
            return False
    return True


# --- Spare schemas ----------------------------------------------------------------------------


@functools.cache
def migration_state() -> str:
    """A digest of the code's migrations: a spare cloned under another one is stale."""
    plan, _ = _code_migrations()
    return hashlib.sha256("\n".join(sorted(f"{app}.{name}" for (app, name), _ in plan)).encode()).hexdigest()


def schema_provide(schema_name: str) -> bool:
    """Create `schema_name` for a new workspace: a spare renamed, else a clone of the template (and a
    refill of the pool queued once the signup commits). False (nothing done): migrate it instead.
    """
    if settings.TENANT_SPARE_SCHEMAS:
        taken = spare_take(schema_name)
        transaction.on_commit(_refill_soon)
        if taken:
            return True
    return schema_clone(schema_name)


def spare_take(schema_name: str) -> bool:
    """Rename a free spare of the code's migration state to `schema_name`, in the caller's
    transaction (rolled back with it, the spare is free again). False if there is none.
    """
    table = _quote(SpareSchema._meta.db_table)
    connection.set_schema_to_public()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""DELETE FROM {table} WHERE id = (
                        SELECT id FROM {table} WHERE migration_state = %s
                         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING schema_name""",
                [migration_state()],
            )
            row = cursor.fetchone()
            if row is None:
                logger.info("No spare schema free: workspace %s is cloned", schema_name)
                return False
            cursor.execute(f"ALTER SCHEMA {_quote(row[0])} RENAME TO {_quote(schema_name)}")
    except DatabaseError:
        logger.exception("Taking a spare schema failed: workspace %s is cloned", schema_name)
        return False
    return True


def _refill_soon() -> None:
    from .tasks import spares_refill_task

    try:
        spares_refill_task.delay()
    except Exception:  # the signup is committed; beat refills the pool within a minute anyway
        logger.exception("Could not queue the spare schemas' refill")


def spares_refill() -> int:
    """Bring the pool to `TENANT_SPARE_SCHEMAS` spares of the code's migration state: others dropped,
    the missing ones cloned (each committed at once, free for the next signup). One refill runs at a
    time; another returns 0 at once. Returns how many were cloned.
    """
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REFILL_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return 0
    try:
        state = migration_state()
        spares_drop(exclude_state=state)
        fresh = SpareSchema.objects.filter(migration_state=state)
        wanted = settings.TENANT_SPARE_SCHEMAS
        for name in fresh.values_list("schema_name", flat=True)[wanted:]:  # the setting was lowered
            _spare_drop(name)
        cloned = 0
        while fresh.count() < wanted:  # counted again: signups may take spares meanwhile
            name = f"{SPARE_PREFIX}{secrets.token_hex(6)}"
            with transaction.atomic():
                if not schema_clone(name):
                    break  # no fresh template: signups migrate until migrate_schemas rebuilds it
                SpareSchema.objects.create(schema_name=name, migration_state=state)
            cloned += 1
        return cloned
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK_KEY])


def spares_drop(*, exclude_state: str | None = None) -> int:
    """Drop the spares (but those of `exclude_state`). Returns how many."""
    connection.set_schema_to_public()
    spares = SpareSchema.objects.all()
    if exclude_state:
        spares = spares.exclude(migration_state=exclude_state)
    return sum(_spare_drop(name) for name in list(spares.values_list("schema_name", flat=True)))


def _spare_drop(name: str) -> bool:
    """Drop one spare, unless a signup took it meanwhile (the DELETE waits for the signup's row
    lock, then finds no row)."""
    with transaction.atomic():
        if not SpareSchema.objects.filter(schema_name=name).delete()[0]:
            return False
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")
    return True


# --- The clone script -------------------------------------------------------------------------

_TARGET = "\x00target\x00"  # where the new schema's quoted name goes in the cached script

_UNSUPPORTED = """
SELECT 'relation ' || c.relname FROM pg_class c
 WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind NOT IN ('r', 'i', 'S')
UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = %(ns)s::regnamespace
UNION ALL SELECT 'type ' || typname FROM pg_type t
 WHERE typnamespace = %(ns)s::regnamespace AND typtype <> 'b' AND typrelid = 0
UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
 WHERE c.relnamespace = %(ns)s::regnamespace AND NOT g.tgisinternal
UNION ALL SELECT 'policy ' || polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
 WHERE c.relnamespace = %(ns)s::regnamespace
UNION ALL SELECT 'rule ' || rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
 WHERE c.relnamespace = %(ns)s::regnamespace
UNION ALL SELECT 'constraint ' || conname FROM pg_constraint
 WHERE connamespace = %(ns)s::regnamespace AND contype NOT IN ('c', 'f', 'p', 'u', 'x', 'n')
"""

# Sequences that no identity column owns (RunSQL's, serial columns'), with their settings.
_SEQUENCES = """
SELECT c.relname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
       s.seqcache, s.seqcycle, owner.relname, a.attname
  FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class owner ON owner.oid = d.refobjid
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
 WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'S'
   AND (d.deptype IS NULL OR d.deptype = 'a')
 ORDER BY c.relname
"""

_TABLES = """
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r' ORDER BY c.relname
"""

# Identity columns: their sequence is the clone's own (LIKE ... INCLUDING IDENTITY) but starts afresh.
_IDENTITIES = """
SELECT c.relname, a.attname, pg_get_serial_sequence(format('%%I.%%I', %(ns)s, c.relname), a.attname),
       q.relname, format_type(s.seqtypid, NULL)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_depend d ON d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'i'
   AND d.classid = 'pg_class'::regclass
  JOIN pg_class q ON q.oid = d.objid AND q.relkind = 'S'
  JOIN pg_sequence s ON s.seqrelid = q.oid
 WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
   AND NOT a.attisdropped ORDER BY 1, 2
"""

# Defaults that name an object of the template (a sequence, mostly): re-pointed at the clone's.
_DEFAULTS = """
SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid)
  FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
  JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
 WHERE c.relnamespace = %(ns)s::regnamespace
   AND EXISTS (SELECT FROM pg_depend p JOIN pg_class r ON r.oid = p.refobjid
                WHERE p.classid = 'pg_attrdef'::regclass AND p.objid = d.oid
                  AND p.refclassid = 'pg_class'::regclass AND r.relnamespace = %(ns)s::regnamespace)
 ORDER BY 1, 2
"""

_COLUMNS = """
SELECT c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r' AND a.attnum > 0
   AND NOT a.attisdropped AND a.attgenerated = ''
 GROUP BY c.relname
"""

_CONSTRAINTS = """
SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
 WHERE k.connamespace = %(ns)s::regnamespace AND k.contype IN ('p', 'u', 'x', 'f')
 ORDER BY k.contype = 'f', c.relname, k.conname
"""

_INDEXES = """
SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = %(ns)s::regnamespace
   AND NOT EXISTS (SELECT FROM pg_constraint k
                    WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
 ORDER BY c.relname
"""


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.lru_cache(maxsize=4)
def _clone_script(template: str, recorded: frozenset[tuple[str, str]]) -> str | None:
    """The SQL that fills an empty schema (_TARGET) like the template; None if it cannot.

    `recorded` is part of the cache key: a template rebuilt at other migrations gets a new script.
    """
    params = {"ns": template}
    with connection.cursor() as cursor:
        cursor.execute(_UNSUPPORTED, params)
        unsupported = [row[0] for row in cursor.fetchall()]
        if unsupported:
            logger.warning("Template schema %s holds %s: workspaces are migrated", template, unsupported)
            return None
        # pg_get_*def name every object of the template with its schema: only pg_catalog is visible.
        cursor.execute("SELECT current_setting('search_path'), set_config('search_path', 'pg_catalog', true)")
        search_path = cursor.fetchone()[0]
        try:
            rows = {}
            for key, query in (
                ("sequences", _SEQUENCES),
                ("tables", _TABLES),
                ("identities", _IDENTITIES),
                ("defaults", _DEFAULTS),
                ("columns", _COLUMNS),
                ("constraints", _CONSTRAINTS),
                ("indexes", _INDEXES),
            ):
                cursor.execute(query, params)
                rows[key] = cursor.fetchall()
        finally:
            cursor.execute("SELECT set_config('search_path', %s, true)", [search_path])
        source = _quote(template)
        filled = []
        for (table,) in rows["tables"]:
            cursor.execute(f"SELECT EXISTS (SELECT FROM {source}.{_quote(table)})")
            if cursor.fetchone()[0]:
                filled.append(table)

    # As pg_get_*def print it: quoted only if it must be.
    in_template = re.compile(rf"(?<![\w$\"])(?:{re.escape(source)}|{re.escape(template)})\.")

    def retarget(sql: str) -> str:
        return in_template.sub(lambda _: f"{_TARGET}.", sql)

    def target(name: str) -> str:
        return f"{_TARGET}.{_quote(name)}"

    statements = []
    for name, type_, increment, minimum, maximum, start, cache, cycle, _, _ in rows["sequences"]:
        statements.append(
            f"CREATE SEQUENCE {target(name)} AS {type_} INCREMENT BY {increment} MINVALUE {minimum} "
            f"MAXVALUE {maximum} START WITH {start} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
        )
    for (table,) in rows["tables"]:
        statements.append(
            f"CREATE TABLE {target(table)} (LIKE {source}.{_quote(table)} INCLUDING DEFAULTS "
            "INCLUDING IDENTITY INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE "
            "INCLUDING COMMENTS INCLUDING COMPRESSION)"
        )
    for table, column, expression in rows["defaults"]:
        statements.append(
            f"ALTER TABLE {target(table)} ALTER COLUMN {_quote(column)} SET DEFAULT {retarget(expression)}"
        )
    for name, *_, owner, column in rows["sequences"]:
        if owner:
            statements.append(f"ALTER SEQUENCE {target(name)} OWNED BY {target(owner)}.{_quote(column)}")
    columns = dict(rows["columns"])
    for table in filled:
        statements.append(
            f"INSERT INTO {target(table)} ({columns[table]}) OVERRIDING SYSTEM VALUE "
            f"SELECT {columns[table]} FROM {source}.{_quote(table)}"
        )
    # Every sequence where the template's stands (on its own object: nothing is shared).
    for name, *_ in rows["sequences"]:
        statements.append(
            f"SELECT setval('{target(name)}', last_value, is_called) FROM {source}.{_quote(name)}"
        )
    for table, column, sequence, name, type_ in rows["identities"]:
        if type_ != "bigint":  # LIKE makes every identity sequence a bigint one, under the same name
            statements.append(f"ALTER SEQUENCE {target(name)} AS {type_}")
        statements.append(
            f"SELECT setval(pg_get_serial_sequence('{target(table)}', '{column}'), last_value, is_called) "
            f"FROM {sequence}"
        )
    for table, name, _, definition in rows["constraints"]:
        statements.append(f"ALTER TABLE {target(table)} ADD CONSTRAINT {_quote(name)} {retarget(definition)}")
    # Before the foreign keys (which need the unique indexes): constraints come first in the list,
    # foreign keys last, so indexes go in between.
    first_foreign = next((i for i, row in enumerate(rows["constraints"]) if row[2] == "f"), None)
    indexes = [retarget(definition) for (definition,) in rows["indexes"]]
    if first_foreign is None:
        statements.extend(indexes)
    else:
        at = len(statements) - (len(rows["constraints"]) - first_foreign)
        statements[at:at] = indexes
    return ";\n".join(statements)
