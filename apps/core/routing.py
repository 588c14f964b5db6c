"""Websocket routes (config/asgi.py serves them behind session auth and workspace resolution)."""

from django.urls import path

from .consumers import NotificationsConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi(), name="ws-notifications"),
]
