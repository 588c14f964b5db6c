"""A database of the benchmark's own on the server DATABASE_URL points at, with Django set up on it."""

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg

SETTINGS_MODULE = "bench.settings"


def _execute(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """Create `<name>_bench` (dropped first if a run was interrupted); drop it afterwards."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"{parts.path.strip('/')}_bench"
    maintenance = parts._replace(path="/postgres").geturl()
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    _execute(maintenance, drop, f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        _execute(maintenance, drop)


@contextlib.contextmanager
def django_on_fresh_database() -> Iterator[dict[str, str]]:
    """Django set up on a fresh database with the public schema migrated (not timed).

    Yields the environment for subprocesses (manage.py, gunicorn) that must use it too.
    """
    with fresh_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate_schemas", "--shared", verbosity=0)
        try:
            yield dict(os.environ)
        finally:
            connections.close_all()
