import logging
import re
import time
import uuid

from . import context

logger = logging.getLogger("luneo.request")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Gives each request an id (kept from a sane `X-Request-ID`), echoes it, logs one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        tokens = [
            (context.request_id, context.request_id.set(request.id)),
            (context.tenant, context.tenant.set("-")),
            (context.user, context.user.set("-")),
        ]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            tenant = getattr(request, "tenant", None)
            context.tenant.set(tenant.schema_name if tenant else "-")
            user = getattr(request, "user", None)
            api_key = getattr(request, "api_key", None)
            if api_key is not None:
                context.user.set(f"key:{api_key.prefix}")
            elif user is not None and user.is_authenticated:
                context.user.set(str(user.pk))
            response["X-Request-ID"] = request.id
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        finally:
            for var, token in reversed(tokens):
                var.reset(token)
