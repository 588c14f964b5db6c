"""Small helpers the apps' API views share."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


def path_id(what: str, name: str = "id") -> OpenApiParameter:
    """The schema of a path's integer id: "The <what>'s id."."""
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=f"The {what}'s id.")


def found(obj):
    """`obj`, or a 404 when a selector found nothing (also what another workspace's id gives)."""
    if obj is None:
        raise Http404
    return obj


def key_user_id(request) -> int | None:
    """The user who created the API key making the request: what the services record as author."""
    return getattr(request.auth, "created_by_id", None)
