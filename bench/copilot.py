"""The offline copilot answering on the dashboard, against the home page in the same run.

A workspace with the demo catalog and 90 days of `demo_history_seed` (as bench/dashboard.py);
then, as a logged-in owner through Django's test client, 30 renders of the home page for the last
30 days (the baseline: the page the answer links to) and 30 questions asked from the copilot's
panel with htmx, answered offline and rendered: one tool ("How did we do this month?") and three
("Which orders are blocked, which customers are slipping away, why do designs fail?").
Each answer is saved, pushed to its socket's group and rendered with its sources.
Target: the one-tool answer p95 <= 250 ms. BENCH_SMOKE=1: 2 runs, 7 days of history.
"""

import logging

from bench import enforced, iterations
from bench.stats import ms, percentile, timings

SLUG = "bench-copilot"
RUNS = iterations(30, 2)
HISTORY_DAYS = iterations(90, 7)
TARGET_P95_SECONDS = 0.250
QUESTIONS = {
    "one tool": "How did we do this month?",
    "three tools": "Which orders are blocked, which customers are slipping away, why do designs fail?",
}


def _fresh_limits() -> None:
    """The copilot's 20 questions a minute per person: not what is measured."""
    from django.core.cache import cache

    cache.clear()


def run(env: dict[str, str]) -> bool:
    from django.db import connection
    from django.test import Client

    logging.getLogger("luneo.request").setLevel(logging.WARNING)  # one line per request otherwise
    from apps.accounts.services import tenant_provision
    from apps.analytics.demo import demo_history_seed
    from apps.copilot.models import Message
    from apps.products.services import catalog_seed_demo
    from apps.tenants.models import User

    tenant = tenant_provision(slug=SLUG, name="Bench copilot", owner_email=f"owner@{SLUG}.test", plan="pro")
    connection.set_tenant(tenant)
    catalog_seed_demo()
    orders = demo_history_seed(days=HISTORY_DAYS)
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=f"{SLUG}.localhost")
    client.force_login(User.objects.get(email=f"owner@{SLUG}.test"))
    print(f"copilot: demo history with {orders} orders, offline answers", flush=True)  # noqa: T201

    home = timings(lambda: client.get("/?period=30"), RUNS)
    home_p50 = percentile(home, 50)
    print(f"  baseline, the home page (30 days): p50 {ms(home_p50)}, p95 {ms(percentile(home, 95))}")  # noqa: T201
    ok = True
    for label, question in QUESTIONS.items():
        form = {"text": question, "page": "/", "panel": "1"}
        answers = timings(
            lambda form=form: client.post("/copilot/ask/", form, headers={"HX-Request": "true"}),
            RUNS,
            before=_fresh_limits,
        )
        p50, p95 = percentile(answers, 50), percentile(answers, 95)
        print(  # noqa: T201
            f"  {label}: p50 {ms(p50)}, p95 {ms(p95)} ({p50 / home_p50:.2f}× the home page)", flush=True
        )
        if label == "one tool":
            ok &= enforced(p95 <= TARGET_P95_SECONDS)
    connection.set_tenant(tenant)
    answered = Message.objects.filter(role=Message.Role.ASSISTANT).exclude(sources=[]).count()
    connection.set_schema_to_public()
    return ok and answered == RUNS * len(QUESTIONS)  # every answer came with its sources
