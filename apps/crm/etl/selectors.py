"""Reads for imports: the history, one import, its rejected rows as CSV."""

from django.db.models import QuerySet

from apps.core.csv_export import csv_text

from ..models import Import, ImportRejection


def import_list() -> QuerySet[Import]:
    return Import.objects.order_by("-created_at", "-pk")


def import_get(*, uuid) -> Import | None:
    return Import.objects.filter(uuid=uuid).first()


def rejection_list(*, import_run: Import) -> QuerySet[ImportRejection]:
    return import_run.rejection_rows.order_by("line", "pk")


def rejections_csv(import_run: Import) -> str:
    rows = rejection_list(import_run=import_run).values_list("line", "column", "value", "reason", "warning")
    return csv_text([("line", "column", "value", "reason", "warning"), *rows])
