"""/healthz and /readyz: JSON, on any host (probes often use an IP), without a workspace lookup.

Readiness with a live worker is in test_realtime.py (it needs the worker process).
"""

import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "nowhere.localhost", "10.1.2.3"])
def test_healthz_answers_ok_on_any_host_without_queries(db, host):
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST=host).get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert len(queries) == 0


def test_readyz_is_unavailable_without_a_celery_worker_within_bounded_time(db):
    response = Client(HTTP_HOST="10.1.2.3").get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"
    celery = body["checks"]["celery"]
    assert (celery["status"], celery["error"]) == ("unavailable", "CheckFailed")
    assert celery["ms"] < 3000


def test_readyz_unavailable_is_an_answer_not_an_error_in_the_log(db, caplog):
    with caplog.at_level(logging.INFO):
        assert Client().get("/readyz").status_code == 503
        assert Client().get("/no-such-page-xyz/").status_code == 404

    request_records = [r for r in caplog.records if r.name == "django.request"]
    assert not [r for r in request_records if r.levelno >= logging.ERROR]
    assert [r.status_code for r in request_records] == [404]  # other answers are still logged


def test_readyz_runs_only_select_1_against_the_database(db):
    with CaptureQueriesContext(connection) as queries:
        Client(HTTP_HOST="alpha.localhost").get("/readyz")

    statements = [query["sql"] for query in queries if not query["sql"].startswith("SET search_path")]
    assert statements == ["SELECT 1"]
