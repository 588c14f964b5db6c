"""The copilot API under /api/v1/copilot/ (`copilot-api:<name>`)."""

from django.urls import path

from . import views

app_name = "copilot-api"
urlpatterns = [
    path("copilot/conversations", views.ConversationListView.as_view(), name="conversations"),
    path("copilot/conversations/<int:pk>", views.ConversationDetailView.as_view(), name="conversation"),
    path("copilot/conversations/<int:pk>/messages", views.MessageView.as_view(), name="messages"),
    path("copilot/actions/<uuid:key>/confirm", views.ActionConfirmView.as_view(), name="action-confirm"),
    path("copilot/actions/<uuid:key>/cancel", views.ActionCancelView.as_view(), name="action-cancel"),
]
