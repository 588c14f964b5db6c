"""Imports as the dashboard, the API and the CLI use them: preview a file, create an import (the
file checked before anything is written), run it, and report."""

import io
import logging
import time
import uuid
from dataclasses import asdict

from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone

from apps.brands.selectors import brand_list
from apps.core.errors import ApplicationError
from apps.core.notifications import notify

from ..models import ColumnMapping, Import
from . import loader
from .fields import FIELDS
from .reading import FileShape, shape_detect

logger = logging.getLogger(__name__)

IMPORT_EVENT = "crm.import"
PREVIEW_ROWS = 10
PREVIEW_BYTES = 256 * 1024


def default_country() -> str:
    """The region phones are read in and postal codes checked for: the first brand's country, else FR."""
    country = brand_list().exclude(country="").order_by("pk").values_list("country", flat=True).first()
    return country or "FR"


def mapping_saved(*, kind: str | None, source: str) -> dict[str, str]:
    if not source or not kind:
        return {}
    found = ColumnMapping.objects.filter(kind=kind, source=source).first()
    return dict(found.mapping) if found else {}


def mapping_save(*, kind: str, source: str, mapping: dict[str, str]) -> ColumnMapping:
    saved, _created = ColumnMapping.objects.update_or_create(
        kind=kind, source=source[:100], defaults={"mapping": mapping}
    )
    return saved


def _shape(stream, *, kind, source, encoding, delimiter, mapping) -> FileShape:
    return shape_detect(
        stream,
        kind=kind or None,
        encoding=encoding or None,
        delimiter=delimiter or None,
        mapping=mapping or None,
        saved=mapping_saved(kind=kind, source=source),
    )


def _shape_dict(shape: FileShape) -> dict:
    return {
        "kind": shape.kind,
        "encoding": shape.encoding,
        "delimiter": shape.delimiter,
        "headers": shape.headers,
        "mapping": shape.mapping,
        "fields": [field.name for field in FIELDS[shape.kind]],
    }


class _Rollback(Exception):
    pass


def import_preview(
    *, stream, kind: str = "", source: str = "", encoding: str = "", delimiter: str = "", mapping=None
) -> dict:
    """The file's shape and its first rows as the import will read them (nothing is kept)."""
    shape = _shape(stream, kind=kind, source=source, encoding=encoding, delimiter=delimiter, mapping=mapping)
    stream.seek(0)
    head = stream.read(PREVIEW_BYTES)
    if len(head) == PREVIEW_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head
    result = _shape_dict(shape)
    try:
        with transaction.atomic():
            loader.stage(io.BytesIO(head), shape)
            loader.typed_build(shape, default_country=default_country())
            result["rows"] = loader.preview_rows(shape, limit=PREVIEW_ROWS)
            raise _Rollback
    except _Rollback:
        pass
    return result


def import_create(
    *,
    file,
    kind: str = "",
    source: str = "",
    encoding: str = "",
    delimiter: str = "",
    mapping: dict | None = None,
    created_by: int | None = None,
    api_key_prefix: str = "",
    run: bool = True,
) -> Import:
    """Check the file (size, text, encoding, columns, kind), store it and queue its import.

    Raises an ImportFile… error before anything is written. A mapping given with a source is
    saved for that source's next files.
    """
    shape = _shape(file, kind=kind, source=source, encoding=encoding, delimiter=delimiter, mapping=mapping)
    if source and mapping:
        mapping_save(kind=shape.kind, source=source, mapping=shape.mapping)
    file.seek(0)
    name = getattr(file, "name", "") or "import.csv"
    import_run = Import(
        uuid=uuid.uuid4(),
        kind=shape.kind,
        original_name=name.rsplit("/", 1)[-1][:255],
        source=source[:100],
        encoding=shape.encoding,
        delimiter=shape.delimiter,
        mapping=shape.mapping,
        created_by=created_by,
        api_key_prefix=api_key_prefix,
    )
    import_run.file.save("import.csv", File(file, name=name), save=False)
    import_run.save()
    if run:
        from .tasks import crm_import_task

        transaction.on_commit(lambda: crm_import_task.delay(import_run.pk))
    return import_run


def import_payload(import_run: Import) -> dict:
    """What sockets receive as an import progresses (the API's serializer says more)."""
    return {
        "uuid": str(import_run.uuid),
        "kind": import_run.kind,
        "status": import_run.status,
        "progress": import_run.progress,
        "original_name": import_run.original_name,
        **import_report(import_run),
    }


def import_report(import_run: Import) -> dict:
    """The report: the CLI's `--json` and the API's `report`."""
    return {
        "status": import_run.status,
        "rows_read": import_run.rows_read,
        "created": import_run.created,
        "updated": import_run.updated,
        "unchanged": import_run.unchanged,
        "rejected": import_run.rejected,
        "rejections": dict(import_run.rejections),
        "warnings": dict(import_run.warnings),
        "credit_notes": import_run.credit_notes,
    }


def _progress(import_run: Import, progress: int, *, save: bool = True) -> None:
    progress = max(0, min(100, progress))
    if progress <= import_run.progress and progress != 100:
        return
    import_run.progress = progress
    if save:
        Import.objects.filter(pk=import_run.pk).update(progress=progress)
    notify(schema=connection.schema_name, event=IMPORT_EVENT, payload=import_payload(import_run))


def import_execute(*, import_run: Import) -> loader.Report:
    """Run a queued import to its end: DONE with its counts, or FAILED with the reason (data untouched)."""
    from ..health import health_snapshot_take
    from ..scoring.tasks import scores_refresh_after_import

    Import.objects.filter(pk=import_run.pk).update(status=Import.Status.RUNNING, progress=0)
    import_run.status, import_run.progress = Import.Status.RUNNING, 0
    _progress(import_run, 1)
    started = time.perf_counter()
    try:
        with import_run.file.open("rb") as stream:
            shape = shape_detect(
                stream,
                kind=import_run.kind,
                encoding=import_run.encoding or None,
                delimiter=import_run.delimiter or None,
                mapping=import_run.mapping or None,
            )
            size = max(shape.size, 1)
            loader.stage(
                stream, shape, on_bytes=lambda done: _progress(import_run, 2 + 48 * done // size, save=False)
            )
        staged = time.perf_counter()
        _progress(import_run, 50)
        loader.typed_build(shape, default_country=default_country())
        typed = time.perf_counter()
        _progress(import_run, 70)
        report = loader.write(shape, import_id=import_run.pk)
        logger.info(
            "crm import %s: staged in %.2f s, checked in %.2f s, written in %.2f s",
            import_run.uuid,
            staged - started,
            typed - staged,
            time.perf_counter() - typed,
        )
    except ApplicationError as error:
        return _fail(import_run, error.message)
    except Exception as error:
        logger.exception("crm import %s failed", import_run.uuid)
        return _fail(import_run, str(error).splitlines()[0][:500] if str(error) else error.__class__.__name__)
    finally:
        _cleanup()
    for name, value in asdict(report).items():
        if name != "status":
            setattr(import_run, name, value)
    import_run.status, import_run.progress, import_run.finished_at = Import.Status.DONE, 100, timezone.now()
    import_run.error = ""
    import_run.save()
    health_snapshot_take(import_run=import_run)
    scores_refresh_after_import()  # RFM, segments and recommendations follow the new data
    _progress(import_run, 100, save=False)
    return report


def _cleanup() -> None:
    try:
        loader.cleanup()
    except Exception:  # the connection broke: its temporary tables went with it
        logger.warning("crm import: staging tables not dropped", exc_info=True)


def _fail(import_run: Import, message: str) -> loader.Report:
    import_run.status, import_run.error, import_run.finished_at = (
        Import.Status.FAILED,
        message,
        timezone.now(),
    )
    import_run.save(update_fields=["status", "error", "finished_at"])
    _progress(import_run, 100, save=False)
    return loader.Report(status=Import.Status.FAILED)
