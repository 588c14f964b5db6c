"""`migrate` for tenant schemas that applies only TENANT_APPS migrations.

django-tenants runs every app's migrations in every schema and lets the router turn the
operations of shared apps into no-ops. The no-ops still re-render model state: dj-stripe's
history alone costs ~33 s of CPU per schema. Here, in a tenant schema, migrations of apps
that do not live there are recorded as applied without being loaded into a plan, so a new
schema costs only its own tables.
"""

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import get_public_schema_name


def _tenant_app_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}


def _has_table_in_schema(recorder: MigrationRecorder) -> bool:
    """`MigrationRecorder.has_table`, looking the one table up by name in the connection's schema."""
    if not recorder._has_table:
        connection = recorder.connection
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(%s) IS NOT NULL",
                [f"{quote(connection.schema_name)}.{quote(recorder.Migration._meta.db_table)}"],
            )
            recorder._has_table = cursor.fetchone()[0]
    return recorder._has_table


@contextlib.contextmanager
def recorder_lookup_by_name() -> Iterator[None]:
    """Within: whether a schema has its django_migrations table is one lookup by name. Django lists
    every table in the search path instead (all of pg_class, each row checked with
    pg_table_is_visible): ≈ 85 ms with 400 schemas and growing with each, asked about seven times
    per schema migrated (most of a no-op migration's time at 1,000 workspaces). With fork, the
    executor's worker processes inherit it.
    """
    has_table = MigrationRecorder.has_table
    MigrationRecorder.has_table = _has_table_in_schema
    try:
        yield
    finally:
        MigrationRecorder.has_table = has_table


class TenantMigrateCommand(MigrateCommand):
    def execute(self, *args, **options):
        if connections[options.get("database", DEFAULT_DB_ALIAS)].schema_name != get_public_schema_name():
            # `migrate_schemas` ran the system checks once, before the first schema: not again in
            # each (≈ 0.2 s a schema, minutes over 1,000 workspaces).
            options["skip_checks"] = True
        return super().execute(*args, **options)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.schema_name != get_public_schema_name() and not options["app_label"]:
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            if any(
                key[0] == "contenttypes" and key not in loader.applied_migrations
                for key in loader.graph.nodes
            ):
                # Shared apps' migrations depend on contenttypes, which lives in every schema. Only
                # for a new schema: an extra `migrate` renders every model again (≈ 0.4 s a schema).
                super().handle(*args, **{**options, "app_label": "contenttypes"})
                loader = MigrationLoader(connection, ignore_no_migrations=True)
            self._record_shared_migrations(connection, loader)
        return super().handle(*args, **options)

    @staticmethod
    def _record_shared_migrations(connection, loader: MigrationLoader) -> None:
        tenant_labels = _tenant_app_labels()
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        missing = [
            key
            for key in loader.graph.nodes
            if key[0] not in tenant_labels and key not in loader.applied_migrations
        ]
        recorder.Migration.objects.using(connection.alias).bulk_create(
            recorder.Migration(app=app, name=name) for app, name in missing
        )
