"""The design pipeline on the `ai` queue: one idempotent task per step, keyed by design id.

Each task loads the design and returns at once unless it is in the status the step handles
(a redelivered or repeated task is a no-op, or reruns the step and replaces its files). A
provider's transient error is retried with backoff (DESIGN_STEP_MAX_RETRIES; the only retries of
image generation), then the design fails with the reason; a permanent one fails it at once. A
refusal of the input, by moderation or by the provider's content policy, rejects it.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext

from apps.ai.errors import AIError, PermanentAIError, TransientAIError
from apps.core.tasks import TenantTask

from . import pipeline
from .errors import TransitionNotAllowed
from .models import Design
from .services import design_fail, design_flag, designs_stalled_claim

logger = logging.getLogger(__name__)
CONTENT_POLICY = "content_policy"  # PermanentAIError.code of a provider refusing the prompt


def _failure(exc: Exception) -> dict:
    """The code and reason a design fails with for `exc`."""
    if isinstance(exc, AIError):
        return {"code": exc.code, "message": exc.message}
    if isinstance(exc, pipeline.RenderFailed):
        return {"code": exc.code, "message": str(exc)}
    if isinstance(exc, SoftTimeLimitExceeded):
        return {"code": "step_timeout", "message": gettext("A step took too long. Retry the design.")}
    return {"code": "internal_error", "message": gettext("An unexpected error stopped the design.")}


def _retry_or_fail(task, design: Design, exc: TransientAIError):
    if task.request.retries < settings.DESIGN_STEP_MAX_RETRIES:
        countdown = settings.DESIGN_STEP_RETRY_BACKOFF_SECONDS * 2**task.request.retries
        logger.warning("design %s: %s retried in %ss: %s", design.pk, task.name, countdown, exc)
        raise task.retry(exc=exc, countdown=countdown) from exc
    design_fail(design=design, **_failure(exc))


def _reject(design: Design, *, code: str, message: str) -> None:
    design_flag(design=design, code=code, message=message)


def _run(task, design_id: int, statuses: set[str], step, queue_next, handed_on: str | None = None) -> None:
    """Run `step` if the design is in one of `statuses`. In `handed_on` (the status the step moves
    it to), the step was done but this task is running again: its worker died after the step
    committed, maybe before the next step was queued. Queue it again: a next step finding the
    design moved on is a no-op, and two at once are serialised by the transition's row lock."""
    design = Design.objects.select_related("product__brand", "variant").filter(pk=design_id).first()
    if design is not None and handed_on is not None and design.status == handed_on:
        logger.warning("design %s: %s ran again after its step; next step queued again", design_id, task.name)
        queue_next(design_id)
        return
    if design is None or design.status not in statuses:
        logger.info("design %s: %s skipped (status %s)", design_id, task.name, design and design.status)
        return
    try:
        step(design, queue_next)
    except TransitionNotAllowed as exc:  # cancelled or moved on meanwhile
        logger.info("design %s: %s dropped: %s", design_id, task.name, exc.details)
    except pipeline.Rejected as exc:
        _reject(design, code="moderation_rejected", message="; ".join(exc.reasons))
    except TransientAIError as exc:
        _retry_or_fail(task, design, exc)
    except PermanentAIError as exc:
        if exc.code == CONTENT_POLICY:
            _reject(design, code=exc.code, message=exc.message)
        else:
            design_fail(design=design, **_failure(exc))
    except (pipeline.RenderFailed, SoftTimeLimitExceeded) as exc:
        design_fail(design=design, **_failure(exc))
    except Exception as exc:
        # A bug, not the input: the design must not stay "in progress" forever.
        logger.exception("design %s: %s crashed", design_id, task.name)
        design_fail(design=design, **_failure(exc))
        raise


STEP_OPTIONS = {"base": TenantTask, "bind": True, "acks_late": True, "max_retries": None, "queue": "ai"}


@shared_task(**STEP_OPTIONS)
def design_moderate_task(self, design_id: int) -> None:
    _run(
        self,
        design_id,
        {Design.Status.QUEUED, Design.Status.MODERATING},
        pipeline.step_moderate,
        design_generate_task.delay,
        Design.Status.GENERATING,
    )


@shared_task(
    **STEP_OPTIONS,
    soft_time_limit=settings.DESIGN_GENERATE_SOFT_TIME_LIMIT,
    time_limit=settings.DESIGN_GENERATE_TIME_LIMIT,
)
def design_generate_task(self, design_id: int) -> None:
    _run(
        self,
        design_id,
        {Design.Status.GENERATING},
        pipeline.step_generate,
        design_composite_task.delay,
        Design.Status.COMPOSITING,
    )


@shared_task(**STEP_OPTIONS)
def design_composite_task(self, design_id: int) -> None:
    _run(
        self,
        design_id,
        {Design.Status.COMPOSITING},
        pipeline.step_composite,
        design_export_task.delay,
        Design.Status.EXPORTING,
    )


@shared_task(**STEP_OPTIONS)
def design_export_task(self, design_id: int) -> None:
    _run(self, design_id, {Design.Status.EXPORTING}, pipeline.step_export, None)


STEP_TASKS = {
    Design.Status.QUEUED: design_moderate_task,
    Design.Status.MODERATING: design_moderate_task,
    Design.Status.GENERATING: design_generate_task,
    Design.Status.COMPOSITING: design_composite_task,
    Design.Status.EXPORTING: design_export_task,
}


@shared_task(base=TenantTask, acks_late=True, ignore_result=True, queue="default")
def designs_stalled_requeue_task() -> int:
    """Periodic, per workspace: queue again the step of each design whose task was lost."""
    stalled = designs_stalled_claim()
    for design_id, status in stalled:
        logger.warning("design %s: stalled in %s, its step queued again", design_id, status)
        STEP_TASKS[status].delay(design_id)
    return len(stalled)
