"""`/designs/assets/<token>/`: a design's file through its signed, expiring link.

Served on every host. The token names the workspace, so the link works without a session or
key (hand it to a print shop), but never on another workspace's host; a forged or expired
token, or a suspended workspace, gets 404.
"""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from django_tenants.utils import get_public_schema_name, schema_context

from apps.tenants.models import Tenant

from .models import DesignAsset
from .selectors import design_asset_get
from .signing import asset_token_read

ATTACHMENT_KINDS = {DesignAsset.Kind.PRINT_PNG, DesignAsset.Kind.PRINT_PDF, DesignAsset.Kind.GLB}


def schema_allowed(request, schema: str) -> bool:
    here = getattr(request, "tenant", None)
    if here is not None and here.schema_name not in (get_public_schema_name(), schema):
        return False
    return Tenant.objects.filter(schema_name=schema, status=Tenant.Status.ACTIVE).exists()


def _filename(asset: DesignAsset) -> str:
    suffix = PurePosixPath(asset.file.name).suffix
    view = f"-{asset.view.name}" if asset.view_id else ""
    return f"design-{asset.design.public_id}{view}-{asset.kind}{suffix}".replace(" ", "_")


@require_GET
def asset_download(request, token: str):
    claim = asset_token_read(token)
    if claim is None:
        raise Http404
    schema, asset_id = claim
    if not schema_allowed(request, schema):
        raise Http404
    with schema_context(schema):
        asset = design_asset_get(asset_id)
        if asset is None:
            raise Http404
        try:
            file = asset.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = _filename(asset)
    download = asset.kind in ATTACHMENT_KINDS or request.GET.get("download") == "1"
    response = FileResponse(file, as_attachment=download, filename=filename, content_type=asset.content_type)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # the token is the credential: shops' pages may fetch it
    return response
