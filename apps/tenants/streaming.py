"""Responses read after the view returns still read the workspace that asked for them."""

from collections.abc import Iterable, Iterator

from django.db import connection
from django_tenants.utils import tenant_context


def workspace_bound(rows: Iterable) -> Iterator:
    """`rows` read in the workspace active now, whenever and on whichever thread they are read.

    A streamed response is iterated after the view has returned (under ASGI, on another thread
    and connection): a lazy queryset would otherwise run against whatever schema is active then.
    """
    tenant = connection.tenant

    def read() -> Iterator:
        with tenant_context(tenant):
            yield from rows

    return read()
