"""Writes of the ai app: the usage log every provider call feeds."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from .models import AIUsage


def ai_usage_record(
    *,
    provider: str,
    model: str,
    operation: str,
    units: int,
    latency_ms: int,
    cost: Decimal,
    design_id: int | None = None,
    tokens: int = 0,
    ok: bool = True,
    error_code: str = "",
) -> AIUsage:
    return AIUsage.objects.create(
        provider=provider,
        model=model,
        operation=operation,
        units=units,
        tokens=tokens,
        latency_ms=latency_ms,
        cost=cost,
        design_id=design_id,
        ok=ok,
        error_code=error_code[:64],
    )


def ai_usage_history_record(*, calls: list[dict]) -> list[AIUsage]:
    """Record calls made before they were logged here (the demo's history): each dict holds
    `ai_usage_record`'s arguments and `created_at`, when the call was made."""
    rows = AIUsage.objects.bulk_create(
        AIUsage(**{name: value for name, value in call.items() if name != "created_at"}) for call in calls
    )
    for row, call in zip(rows, calls, strict=True):
        row.created_at = call["created_at"]  # the insert gave it now (`auto_now_add`)
    AIUsage.objects.bulk_update(rows, ["created_at"], batch_size=500)
    return rows


@dataclass
class AICall:
    """What the code inside `ai_call` learns about the call: set units, tokens, cost, model."""

    model: str
    units: int = 0
    tokens: int = 0
    cost: Decimal = Decimal(0)


@contextmanager
def ai_call(*, provider: str, model: str, operation: str, design_id: int | None = None) -> Iterator[AICall]:
    """Time the block and record one usage row when it ends, also when it raises.

        with ai_call(provider="openai", model=model, operation="image.generate") as call:
            response = client.images.generate(...)
            call.units = 1

    The row is written in the current schema, outside any rollback of the caller only if the caller
    holds no transaction open around the call (a provider call should never run inside one).
    """
    call = AICall(model=model)
    started = time.perf_counter()
    error_code = ""
    try:
        yield call
    except Exception as exc:
        error_code = getattr(exc, "code", None) or type(exc).__name__
        raise
    finally:
        ai_usage_record(
            provider=provider,
            model=call.model,
            operation=operation,
            units=call.units,
            tokens=call.tokens,
            latency_ms=round((time.perf_counter() - started) * 1000),
            cost=call.cost,
            design_id=design_id,
            ok=not error_code,
            error_code=str(error_code),
        )
