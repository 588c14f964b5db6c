"""Checkout events from brands' own Stripe accounts, on the workspace's host.

No key, no session, no signature to check: an event is only a pointer to a Checkout Session,
which is read back from Stripe with the key of the brand whose order it names
(`payments.stripe_event_receive`). Per sender address at most STRIPE_EVENTS_PER_MINUTE, so
nobody can make us call a brand's Stripe account in a loop; Stripe retries what is refused.
"""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_tenants.utils import get_public_schema_name

from apps.core.api.errors import error_body
from apps.core.api.ratelimit import rate_limit_hit
from apps.core.errors import ApplicationError, NotFound, RateLimited

from .auth import client_ip
from .errors import EventsRateLimited
from .payments import stripe_event_receive

STRIPE_EVENTS_PER_MINUTE = 120


@csrf_exempt
@require_POST
def stripe_events(request):
    """200 `{"status": "paid"|"ignored"}`; 404 on the public host, 429 too often, 503 Stripe down."""
    schema = connection.schema_name
    try:
        if schema == get_public_schema_name():
            raise NotFound()
        bucket = ("stripe-events", schema, client_ip(request))
        wait = rate_limit_hit(bucket=bucket, limit=STRIPE_EVENTS_PER_MINUTE, window=60)
        if wait is not None:
            raise EventsRateLimited(retry_after=wait)
        received = stripe_event_receive(body=request.body)
    except ApplicationError as exc:
        response = JsonResponse(error_body(exc.code, exc.message, exc.details), status=exc.status)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return JsonResponse({"status": received})
