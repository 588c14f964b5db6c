"""Websocket routes (config/asgi.py serves them behind session auth and workspace resolution)."""

from django.urls import path

from apps.accounts.consumers import NotificationsConsumer
from apps.copilot.consumers import CopilotConsumer
from apps.designs.consumers import DesignConsumer
from apps.planner.consumers import PlannerChatConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi(), name="ws-notifications"),
    path("ws/designs/<str:design_id>/", DesignConsumer.as_asgi(), name="ws-design"),
    path("ws/planner/<int:scenario_id>/", PlannerChatConsumer.as_asgi(), name="ws-planner"),
    path("ws/copilot/<int:conversation_id>/", CopilotConsumer.as_asgi(), name="ws-copilot"),
]
