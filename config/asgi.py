"""ASGI entry point: HTTP through Django, websockets through Channels.

Websockets pass the Origin check (ALLOWED_HOSTS), session auth, then workspace resolution
(apps.tenants.channels), before reaching the routes of apps/core/routing.py. Widget sockets
(`/ws/widget/…`) open from merchants' sites: they skip the host Origin check and sessions, and
their consumer checks the Origin against the brand's allowed origins (apps/storefront).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_asgi_application()  # sets Django up before the imports below

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.core.routing import websocket_urlpatterns  # noqa: E402
from apps.storefront import routing as widget_routing  # noqa: E402
from apps.tenants.channels import WorkspaceMiddleware  # noqa: E402

if settings.DEBUG:  # `make run` (daphne alone) serves /static/; in production the proxy does
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_application = ASGIStaticFilesHandler(django_application)

member_sockets = AllowedHostsOriginValidator(
    AuthMiddlewareStack(WorkspaceMiddleware(URLRouter(websocket_urlpatterns)))
)
widget_sockets = WorkspaceMiddleware(URLRouter(widget_routing.websocket_urlpatterns))


async def websocket_application(scope, receive, send):
    sockets = widget_sockets if scope["path"].startswith(widget_routing.WIDGET_PREFIX) else member_sockets
    return await sockets(scope, receive, send)


application = ProtocolTypeRouter({"http": django_application, "websocket": websocket_application})
