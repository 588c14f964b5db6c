"""Per-request context (request id, tenant, user) for logs, carried in contextvars."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")
tenant: ContextVar[str] = ContextVar("tenant", default="-")
user: ContextVar[str] = ContextVar("user", default="-")
