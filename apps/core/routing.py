"""Websocket routes (config/asgi.py serves them behind session auth and workspace resolution)."""

from django.urls import path

from apps.designs.consumers import DesignConsumer

from .consumers import NotificationsConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi(), name="ws-notifications"),
    path("ws/designs/<int:design_id>/", DesignConsumer.as_asgi(), name="ws-design"),
]
