"""Reads for imports: the history, one import, its rejected rows."""

from collections.abc import Iterator
from itertools import chain

from django.db.models import QuerySet

from apps.tenants.streaming import workspace_bound

from ..models import Import, ImportRejection


def import_list() -> QuerySet[Import]:
    return Import.objects.order_by("-created_at", "-pk")


def import_get(*, uuid) -> Import | None:
    return Import.objects.filter(uuid=uuid).first()


def rejection_list(*, import_run: Import) -> QuerySet[ImportRejection]:
    return import_run.rejection_rows.order_by("line", "pk")


REJECTION_COLUMNS = ("line", "column", "value", "reason", "warning")


def rejection_table(import_run: Import) -> Iterator[tuple]:
    """The rejected rows and warnings as a table, header first, read in batches (in this
    workspace, even when read after the view has returned)."""
    rows = rejection_list(import_run=import_run).values_list(*REJECTION_COLUMNS)
    return workspace_bound(chain([REJECTION_COLUMNS], rows.iterator(chunk_size=2000)))


def rejections_filename(import_run: Import) -> str:
    return f"import-{import_run.uuid}-rejections.csv"
