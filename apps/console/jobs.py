"""The operators' Jobs page (`/admin/console/jobs/`): the broker's queue depths, beat's schedules
and their last run, webhook endpoints failing in any workspace, and the failed tasks' count."""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context
from kombu import Connection

from apps.core.tasks import schemas_active
from apps.tenants.models import Tenant
from apps.webhooks.selectors import endpoints_failing

from .models import FailedTask

logger = logging.getLogger(__name__)


def queue_names() -> list[str]:
    return [queue.name for queue in current_app.conf.task_queues or []] or [
        settings.CELERY_TASK_DEFAULT_QUEUE
    ]


def queue_depths(url: str | None = None) -> dict[str, int | None]:
    """Messages waiting in each queue (LLEN of its Redis lists, every priority) on the broker the
    settings name; None for each when the broker cannot be reached."""
    names = queue_names()
    try:
        with Connection(url or settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1)
            channel = broker.default_channel
            return {name: channel._size(name) for name in names}  # the Redis transport's LLEN sum
    except Exception:
        logger.warning("queue depths: broker unreachable", exc_info=True)
        return dict.fromkeys(names)


def beat_schedules() -> list[PeriodicTask]:
    return list(
        PeriodicTask.objects.select_related("interval", "crontab", "solar", "clocked").order_by("name")
    )


def failing_endpoints(*, days: int | None = None) -> list[dict]:
    """Endpoints with a delivery that failed within `days` (CONSOLE_WEBHOOK_FAILING_DAYS), per workspace."""
    since = timezone.now() - timedelta(days=days or settings.CONSOLE_WEBHOOK_FAILING_DAYS)
    rows = []
    for tenant in Tenant.objects.filter(schema_name__in=schemas_active()).order_by("schema_name"):
        with tenant_context(tenant):
            rows += [{"tenant": tenant, **row} for row in endpoints_failing(since)]
    return rows


def jobs_page(request, model_admin):
    day_ago = timezone.now() - timedelta(days=1)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Jobs"),
        "queues": queue_depths(),
        "schedules": beat_schedules(),
        "endpoints": failing_endpoints(),
        "webhook_days": settings.CONSOLE_WEBHOOK_FAILING_DAYS,
        "failed_recent": FailedTask.objects.filter(created_at__gte=day_ago).count(),
        "failed_waiting": FailedTask.objects.filter(retried_at__isnull=True).count(),
        "failed_url": reverse("admin:console_failedtask_changelist"),
        "schedules_url": reverse("admin:django_celery_beat_periodictask_changelist"),
    }
    return TemplateResponse(request, "admin/console/jobs.html", context)
