"""Storefront tests: a real daphne and Celery worker for the websocket and browser tests."""

from tests.core.conftest import daphne, processes, worker  # noqa: F401
