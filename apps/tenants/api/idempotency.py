"""`Idempotency-Key` for POSTs that create work: a retried request gets the first answer back.

Decorate a DRF view method with `@idempotent`. With the header, the first request claims the
key for its API key and scope (the view's `idempotency_scope(request)`: the widget's shopper
session, so shoppers sharing a publishable key never see each other's answers) by inserting
an `IdempotencyRecord` *in the same transaction* as the view's work, so:

- a request that fails (exception or 5xx) rolls back and stores nothing: retry it freely;
- a concurrent duplicate blocks on the unique constraint until the first one finishes, then
  replays its answer (or gets 409 `idempotency_in_progress` after IDEMPOTENCY_WAIT_SECONDS);
- a later retry within IDEMPOTENCY_TTL_HOURS gets the stored status and body back with
  `Idempotent-Replayed: true`; the same key with another method, path or body gets 422.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.core.api.schema import IDEMPOTENCY_HEADER as HEADER
from apps.core.errors import ApplicationError

from ..models import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
LOCK_NOT_AVAILABLE = "55P03"
PENDING = 0  # status of a claim; others never see it, as it commits with the answer

PARAMETER = OpenApiParameter(
    HEADER,
    # What `_key_from` accepts (HTTP trims spaces at either end).
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"^[!-~](?:[ -~]*[!-~])?$"},
    OpenApiParameter.HEADER,
    description=(
        "A unique value (e.g. a UUID, at most 255 characters) that makes this request safe to retry. "
        "A retry with the same key within 24 h returns the first response again, with the header "
        "`Idempotent-Replayed: true`; the same key with a different body answers 422 "
        "`idempotency_key_reused`, and while the first request is still running 409 "
        "`idempotency_in_progress`. Failed requests (errors) are not stored."
    ),
)


class IdempotencyKeyInvalid(ApplicationError):
    code = "idempotency_key_invalid"
    status = 400
    message = _("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")


class IdempotencyKeyReused(ApplicationError):
    code = "idempotency_key_reused"
    status = 422
    message = _("This Idempotency-Key was already used for a different request. Use a new key.")


class IdempotencyInProgress(ApplicationError):
    code = "idempotency_in_progress"
    status = 409
    message = _("A request with this Idempotency-Key is still being processed. Retry in a moment.")


def _key_from(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise IdempotencyKeyInvalid(details={"header": HEADER, "max_length": MAX_KEY_LENGTH})
    return key


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n{body}".encode()).hexdigest()


def _insert_waiting_at_most(record: IdempotencyRecord, seconds: float) -> None:
    """Insert `record`; wait at most `seconds` for a concurrent insert of the same key to end.

    PostgreSQL makes the second insert of a unique key wait for the first transaction: if it
    commits we get IntegrityError, if it rolls back the insert goes through. `lock_timeout`
    bounds the wait; it is restored afterwards so the view's own work is not affected.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
            [f"{max(int(seconds * 1000), 1)}ms"],  # 0 would mean "wait forever"
        )
        previous = cursor.fetchone()[0]
        record.save(force_insert=True)
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _scope(view, request) -> str:
    """Whose keys these are within the API key: all its requests (""), or the view's narrower scope."""
    scope = getattr(view, "idempotency_scope", None)
    return scope(request) if scope else ""


def _claim(*, owner: dict, fingerprint: str) -> IdempotencyRecord | None:
    """Claim the key (`owner`: api_key, scope, key) for this request (None), or return the finished
    record that already holds it."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    IdempotencyRecord.objects.filter(**owner, created_at__lt=cutoff).delete()
    record = IdempotencyRecord(**owner, fingerprint=fingerprint, status_code=PENDING, body={})
    try:
        with transaction.atomic():
            _insert_waiting_at_most(record, settings.IDEMPOTENCY_WAIT_SECONDS)
    except IntegrityError:
        return IdempotencyRecord.objects.get(**owner)
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise IdempotencyInProgress() from exc
        raise
    return None


def _store(*, owner: dict, response: Response) -> None:
    body = models.Value(None, models.JSONField())
    if response.data is not None:
        body = json.loads(JSONRenderer().render(response.data))
    IdempotencyRecord.objects.filter(**owner).update(status_code=response.status_code, body=body)


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def idempotent(view_method):
    """Make a DRF view method (usually `post`) honour `Idempotency-Key`, and document the header."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = _key_from(request)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        owner = {"api_key": request.auth, "scope": _scope(view, request), "key": key}
        with transaction.atomic():
            existing = _claim(owner=owner, fingerprint=fingerprint)
            if existing is not None:
                return _replay(existing, fingerprint)
            response = view_method(view, request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            else:
                _store(owner=owner, response=response)
            return response

    return extend_schema(parameters=[PARAMETER])(wrapper)
