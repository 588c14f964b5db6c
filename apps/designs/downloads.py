"""`/designs/assets/<token>/`: a design's file through its signed, expiring link;
`/designs/corrections/<token>/preview.png`: a correction's "after" preview, drawn when opened.

Served on every host. The token names the workspace, so the link works without a session or
key (hand it to a print shop), but never on another workspace's host; a forged or expired
token, or a suspended workspace, gets 404.
"""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET
from django_tenants.utils import get_public_schema_name, schema_context

from apps.core.errors import ApplicationError
from apps.tenants.models import Tenant

from .models import DesignAsset
from .pipeline import RenderFailed, design_preview_corrected
from .selectors import design_asset_get, design_get
from .signing import asset_token_read, correction_token_read

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


@require_GET
def correction_preview(request, token: str):
    """The design's first side with the signed corrections applied, drawn now (nothing stored):
    404 for a forged or expired token, another workspace's host, or a correction that no longer
    applies (the design changed since)."""
    claim = correction_token_read(token)
    if claim is None or not schema_allowed(request, claim[0]):
        raise Http404
    schema, design_id, replacements = claim
    with schema_context(schema):
        design = design_get(design_id)
        if design is None:
            raise Http404
        try:
            png = design_preview_corrected(design, replacements)
        except (ApplicationError, RenderFailed):
            raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
