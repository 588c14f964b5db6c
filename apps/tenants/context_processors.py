from django_tenants.utils import get_public_schema_name


def workspace(request) -> dict:
    """The current workspace and the member's role, for the dashboard layout."""
    tenant = getattr(request, "tenant", None)
    is_workspace = tenant is not None and tenant.schema_name != get_public_schema_name()
    return {
        "workspace": tenant if is_workspace else None,
        "membership": getattr(request, "membership", None),
    }
