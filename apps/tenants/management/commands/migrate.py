"""`migrate` is `migrate_schemas` (as in django-tenants), with the template schema kept fresh."""

from apps.tenants.management.commands.migrate_schemas import Command

__all__ = ["Command"]
