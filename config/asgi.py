"""ASGI entry point: HTTP through Django, websockets through Channels.

Websockets pass session auth, then workspace resolution and the Origin check (apps.tenants.channels:
a browser's Origin must be the host the socket opens on; API clients with a secret key need
none), before reaching the routes of apps/dashboard/routing.py. Widget sockets (`/ws/widget/…`) open
from merchants' sites: they skip sessions, and their consumer checks the Origin against the
brand's allowed origins (apps/storefront).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Django runs each synchronous request (and each database_sync_to_async call) of an ASGI server
# in a thread of its own: a persistent connection would outlive its thread, never reused, never
# closed, until PostgreSQL refuses new ones. Every ASGI process (daphne under `make run`, the
# /ws/ server in production) closes its connections after each request; gunicorn and Celery,
# which reuse their threads, keep DATABASE_CONN_MAX_AGE.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
django_application = get_asgi_application()  # sets Django up before the imports below

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.accounts.channels import WorkspaceMiddleware  # noqa: E402
from apps.dashboard.routing import websocket_urlpatterns  # noqa: E402
from apps.storefront import routing as widget_routing  # noqa: E402

if settings.DEBUG:  # `make run` (daphne alone) serves /static/; in production the proxy does
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_application = ASGIStaticFilesHandler(django_application)

member_sockets = AuthMiddlewareStack(WorkspaceMiddleware(URLRouter(websocket_urlpatterns)))
widget_sockets = WorkspaceMiddleware(URLRouter(widget_routing.websocket_urlpatterns))


async def websocket_application(scope, receive, send):
    sockets = widget_sockets if scope["path"].startswith(widget_routing.WIDGET_PREFIX) else member_sockets
    return await sockets(scope, receive, send)


application = ProtocolTypeRouter({"http": django_application, "websocket": websocket_application})
