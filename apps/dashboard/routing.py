"""Websocket routes (config/asgi.py serves them behind session auth and workspace resolution)."""

from django.urls import path

from apps.accounts.consumers import NotificationsConsumer
from apps.designs.consumers import DesignConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi(), name="ws-notifications"),
    path("ws/designs/<str:design_id>/", DesignConsumer.as_asgi(), name="ws-design"),
]
