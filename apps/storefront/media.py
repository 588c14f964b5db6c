"""`/widget/v1/media/<token>`: the images the widget shows besides a design's own files.

Product mockups and brand logos are not secret, and a shopper's photo is linked only to that
shopper's widget (the link is the secret); workspace media are never served as plain files: each
is linked through a token signed for (schema, kind, id), valid for MEDIA_URL_MAX_AGE, loadable
from any shop's page (CORS) and cached by browsers (a day; the photo privately, an hour).
"""

from django.db import connection
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tenants.utils import schema_context

from apps.brands.models import Brand
from apps.core.signed_links import lasting_salt, link_token, link_token_read_any
from apps.designs.downloads import schema_allowed
from apps.designs.selectors import design_by_pk
from apps.products.selectors import view_of_active_product

SALT = "storefront.media"
MEDIA_URL_MAX_AGE = 7 * 24 * 3600  # a cached configuration's links outlive it by far


def _file(kind: str, pk: int):
    if kind == "mockup":
        view = view_of_active_product(pk=pk)
        return view.mockup if view is not None else None
    if kind == "photo":
        design = design_by_pk(pk)
        return design.photo if design is not None and design.photo else None
    brand = Brand.objects.filter(pk=pk).first() if kind == "logo" else None
    return brand.logo if brand is not None and brand.logo else None


def media_url(kind: str, pk: int, *, lasting: bool = False) -> str:
    """The signed path of a view's mockup (`mockup`), a brand's logo (`logo`) or a design's photo
    (`photo`) in this schema; `lasting` for a link in an e-mail (LASTING_MAX_AGE)."""
    salt = lasting_salt(SALT) if lasting else SALT
    return reverse("storefront:widget-media", args=[link_token(salt, connection.schema_name, kind, pk)])


@require_safe
def widget_media(request, token: str):
    claim = link_token_read_any(token, salt=SALT, max_age=MEDIA_URL_MAX_AGE, types=(str, str, int))
    if claim is None or not schema_allowed(request, claim[0]):
        raise Http404
    schema, kind, pk = claim
    with schema_context(schema):
        file = _file(kind, pk)
        if file is None:
            raise Http404
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600" if kind == "photo" else "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response
