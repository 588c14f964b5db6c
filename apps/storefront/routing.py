"""Widget sockets, opened from merchants' sites (config/asgi.py serves them without the host Origin check)."""

from django.urls import path

from .consumers import WidgetDesignConsumer

WIDGET_PREFIX = "/ws/widget/"
websocket_urlpatterns = [
    path("ws/widget/designs/<str:public_id>/", WidgetDesignConsumer.as_asgi(), name="ws-widget-design"),
]
