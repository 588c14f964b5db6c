"""What every log line says about where it comes from, carried in contextvars.

An HTTP request binds its request id, workspace (schema) and user; a Celery task binds its
workspace, its own id and the request id and user of whoever queued it (passed in the task's
headers). Values are strings; "-" means unknown.
"""

from contextvars import ContextVar, Token

request_id: ContextVar[str] = ContextVar("request_id", default="-")
tenant: ContextVar[str] = ContextVar("tenant", default="-")
user: ContextVar[str] = ContextVar("user", default="-")
task_id: ContextVar[str] = ContextVar("task_id", default="-")

VARIABLES = {"request_id": request_id, "tenant": tenant, "user": user, "task_id": task_id}

Tokens = list[tuple[ContextVar[str], Token[str]]]


def bind(**values: str | None) -> Tokens:
    """Set some of the variables (None or "" → "-"); `unbind` the result to restore them."""
    return [(VARIABLES[name], VARIABLES[name].set(value or "-")) for name, value in values.items()]


def unbind(tokens: Tokens) -> None:
    for variable, token in reversed(tokens):
        variable.reset(token)


def clear() -> None:
    for variable in VARIABLES.values():
        variable.set("-")


def current() -> dict[str, str]:
    return {name: variable.get() for name, variable in VARIABLES.items()}
