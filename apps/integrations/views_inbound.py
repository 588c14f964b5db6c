"""Shops' order webhooks: no key, no session, no throttle; the signature is the credential.

The workspace comes from the host (`<slug>.BASE_DOMAIN`): on the public host there is nothing here.
"""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_tenants.utils import get_public_schema_name

from apps.core.api.errors import error_body
from apps.core.errors import ApplicationError

from .errors import IntegrationNotFound
from .services import shopify_webhook_receive, woocommerce_webhook_receive

RECEIVERS = {"shopify": shopify_webhook_receive, "woocommerce": woocommerce_webhook_receive}


@csrf_exempt
@require_POST
def webhook_receive(request, kind: str):
    """200 `{"status": "created"|"ignored"|"rejected"|"duplicate"}` at once; errors in the one format."""
    try:
        if connection.schema_name == get_public_schema_name():
            raise IntegrationNotFound()
        received = RECEIVERS[kind](body=request.body, headers=request.headers)
    except ApplicationError as exc:
        return JsonResponse(error_body(exc.code, exc.message, exc.details), status=exc.status)
    return JsonResponse({"status": received.status})
