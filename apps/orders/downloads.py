"""`/orders/packs/<token>/`: an order's production pack through its signed, expiring link.

Served on every host, like design assets (apps/designs/downloads.py): the token names the
workspace, so the link works without a session or key (hand it to a print shop), but never on
another workspace's host; a forged, expired or superseded (pack rebuilt since) token gets 404.
"""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from django_tenants.utils import schema_context

from apps.designs.downloads import schema_allowed

from .models import Order
from .signing import pack_built_stamp, pack_token_read


@require_GET
def pack_download(request, token: str):
    claim = pack_token_read(token)
    if claim is None:
        raise Http404
    schema, order_id, built = claim
    if not schema_allowed(request, schema):
        raise Http404
    with schema_context(schema):
        order = Order.objects.filter(pk=order_id, pack_status=Order.PackStatus.READY).first()
        if order is None or not order.pack or pack_built_stamp(order) != built:
            raise Http404
        try:
            file = order.pack.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=f"{order.reference}-pack.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
