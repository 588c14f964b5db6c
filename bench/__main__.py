"""`python -m bench [NAME ...]`: the named benchmarks (default: all but the soak), one after the other, in one
fresh database. Exit status 1 if one crashes or misses a target, 2 for an unknown name.
"""

import sys
import traceback

from bench import (
    SMOKE,
    api,
    api_lists,
    billing,
    campaign,
    chaos,
    copilot,
    crm_scores,
    dashboard,
    etl,
    pipeline,
    provisioning,
    rebuy,
    scale,
    soak,
    storefront,
    widget,
)
from bench.database import django_on_fresh_database

BENCHMARKS = {
    "provisioning": provisioning,
    "api": api,
    "api_lists": api_lists,
    "pipeline": pipeline,
    "storefront": storefront,
    "widget": widget,
    "billing": billing,
    "dashboard": dashboard,
    "crm_scores": crm_scores,
    "etl": etl,
    "campaign": campaign,
    "rebuy": rebuy,
    "copilot": copilot,
    "scale": scale,
    "chaos": chaos,
    "soak": soak,
}
# Run only when named (`make bench-soak`: ten minutes), or in a smoke run (a few seconds).
ON_DEMAND = {"soak"}


def _run(name: str, environment: dict[str, str]) -> str:
    """One benchmark: "ok", "failed" (a target missed, a wrong answer) or "crashed" (printed)."""
    from django.db import connection

    print(f"== bench {name}", flush=True)  # noqa: T201
    try:
        return "ok" if BENCHMARKS[name].run(environment) else "failed"
    except Exception:
        traceback.print_exc()
        return "crashed"
    finally:
        connection.set_schema_to_public()  # each benchmark starts on the public schema


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"not a benchmark: {', '.join(unknown)}; one of: {', '.join(BENCHMARKS)}", file=sys.stderr)  # noqa: T201
        return 2
    if SMOKE:
        print("BENCH_SMOKE: a few iterations each, timing targets not enforced", flush=True)  # noqa: T201
    with django_on_fresh_database() as environment:
        default = [name for name in BENCHMARKS if SMOKE or name not in ON_DEMAND]
        outcomes = {name: _run(name, environment) for name in names or default}
    bad = [f"{name} {outcome}" for name, outcome in outcomes.items() if outcome != "ok"]
    print(f"== bench: {', '.join(bad) or f'all {len(outcomes)} ok'}", flush=True)  # noqa: T201
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
