"""The CRM's background tasks, gathered for Celery's autodiscovery."""

from .etl.tasks import crm_import_task  # noqa: F401
from .scoring.tasks import crm_refresh_task  # noqa: F401
