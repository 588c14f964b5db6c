"""Dev settings for the supervisor test: dj-stripe's flat test migration keeps a cold start short."""

from config.settings.dev import *  # noqa: F403

MIGRATION_MODULES = {"djstripe": "tests.djstripe_migrations"}
