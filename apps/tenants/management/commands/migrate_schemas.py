"""django-tenants' `migrate_schemas`, then the template schema rebuilt if it is stale.

Whether a schema has its django_migrations table is looked up by name (apps/tenants/migrate.py),
not by listing every visible table: that listing grows with the number of workspaces.

The template (apps/tenants/template.py) follows every run that migrates the tenant schemas, so a
workspace created after a deploy is cloned at the new migrations.
"""

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.utils import get_public_schema_name

from apps.tenants.migrate import recorder_lookup_by_name
from apps.tenants.template import template_refresh


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        with recorder_lookup_by_name():
            super().handle(*args, **options)
        every_tenant = self.sync_tenant and self.schema_name in (None, get_public_schema_name())
        partial = options.get("app_label") or options.get("fake") or options.get("plan")
        if every_tenant and not partial and not options.get("check_unapplied"):
            if template_refresh(verbosity=options["verbosity"]) and options["verbosity"]:
                self.stdout.write("Template schema rebuilt.")
