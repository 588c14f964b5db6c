"""The CRM's background tasks, gathered for Celery's autodiscovery."""

from .etl.tasks import crm_import_task  # noqa: F401
