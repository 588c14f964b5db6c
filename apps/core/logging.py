import logging

from . import context


class ContextFilter(logging.Filter):
    """Adds request_id, tenant and user to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        record.tenant = context.tenant.get()
        record.user = context.user.get()
        return True
