"""`python manage.py crm_import <workspace-slug> --kind customers|products|sales FILE [--json]`.

Imports the file in this process (no worker needed) and prints the report; `--json` prints it
as one JSON object on stdout: {"status", "rows_read", "created", "updated", "unchanged",
"rejected", "rejections": {reason: n}, "warnings": {reason: n}, "credit_notes"}.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, get_tenant_model, tenant_context

from apps.core.errors import ApplicationError
from apps.crm.etl.services import import_create, import_execute, import_report
from apps.crm.models.imports import Kind


class Command(BaseCommand):
    help = "Import an ERP export (customers, products or sales lines) into a workspace's CRM."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="the workspace's slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=Kind.values, required=True)
        parser.add_argument("--source", default="", help="whose saved column mapping applies")
        parser.add_argument("--encoding", default="", help="utf-8, cp1252, iso-8859-1 or iso-8859-15")
        parser.add_argument("--json", action="store_true", help="print the report as one JSON object")

    def handle(self, *args, **options):
        tenant = (
            get_tenant_model()
            .objects.exclude(schema_name=get_public_schema_name())
            .filter(schema_name=options["workspace"])
            .first()
        )
        if tenant is None:
            raise CommandError(f"no workspace {options['workspace']!r}")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no file {str(path)!r}")
        with tenant_context(tenant), path.open("rb") as stream:
            try:
                import_run = import_create(
                    file=stream,
                    kind=options["kind"],
                    source=options["source"],
                    encoding=options["encoding"],
                    run=False,
                )
            except ApplicationError as error:
                raise CommandError(f"{error.code}: {error.message}") from error
            import_execute(import_run=import_run)
            import_run.refresh_from_db()
            report = import_report(import_run)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            for name, value in report.items():
                self.stdout.write(f"{name}: {value}")
            if import_run.error:
                self.stdout.write(f"error: {import_run.error}")
        if import_run.status != import_run.Status.DONE:
            raise CommandError(import_run.error or "import failed")
