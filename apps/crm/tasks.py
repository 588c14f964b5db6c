"""The CRM's tasks, gathered here for Celery's autodiscovery."""

from .scoring.tasks import crm_refresh_task  # noqa: F401
