"""`manage.py tenant_template [--force]`: rebuild the schema new workspaces are cloned from.

Without --force, only when it is missing or stale (its migrations differ from the code's);
`migrate_schemas` does the same after migrating the workspaces.
"""

from django.core.management.base import BaseCommand

from apps.tenants.template import template_rebuild, template_refresh, template_schema


class Command(BaseCommand):
    help = "Rebuild the template schema new workspaces are cloned from, if stale (or --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild even if it is up to date.")

    def handle(self, *args, force: bool = False, verbosity: int = 1, **options):
        if force:
            template_rebuild()
            rebuilt = True
        else:
            rebuilt = template_refresh()
        if verbosity:
            state = "rebuilt" if rebuilt else "already up to date"
            self.stdout.write(f"Template schema {template_schema()}: {state}.")
