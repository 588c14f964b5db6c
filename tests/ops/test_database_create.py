"""`make run` on an external server whose DATABASE_URL names a database not created yet."""

import uuid

import psycopg
import pytest
from django.db import connection

from config.run import database_create_if_missing

pytestmark = pytest.mark.django_db


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_a_missing_database_is_created_once():
    name = f"luneo_new_{uuid.uuid4().hex[:8]}"
    settings_dict = {**connection.settings_dict, "NAME": name}
    try:
        assert database_create_if_missing(settings_dict) is True
        assert _exists(name)
        assert database_create_if_missing(settings_dict) is False  # there already: left as it is
    finally:
        keys = ("host", "port", "user", "password")
        params = {key: connection.settings_dict[key.upper()] or None for key in keys}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
