"""Dashboard pages under /copilot/ (names `dashboard:copilot:<page>`)."""

from django.urls import path

from . import views
from .connectors import views as connectors
from .connectors import views_gmail as gmail_views

app_name = "copilot"
urlpatterns = [
    path("", views.copilot_page, name="home"),
    path("ask/", views.ask_action, name="ask"),
    path("panel/", views.panel_partial, name="panel"),
    path("settings/", views.settings_page, name="settings"),
    path("connectors/", connectors.connectors_page, name="connectors"),
    path("connectors/whatsapp/status/", connectors.whatsapp_status, name="whatsapp-status"),  # Twilio, signed
    path(
        "connectors/whatsapp/inbound/", connectors.whatsapp_inbound, name="whatsapp-inbound"
    ),  # Twilio, signed
    path("connectors/gmail/authorize/", gmail_views.gmail_authorize, name="gmail-authorize"),
    path("connectors/gmail/callback/", gmail_views.gmail_callback, name="gmail-callback"),
    path("inbox/", gmail_views.inbox_page, name="inbox"),
    path("inbox/triage/", gmail_views.inbox_sync_action, name="inbox-sync"),
    path("inbox/<int:pk>/", gmail_views.thread_page, name="inbox-thread"),
    path("inbox/<int:pk>/draft/", gmail_views.draft_action, name="inbox-draft"),
    path("inbox/<int:pk>/reprint/", gmail_views.reprint_action, name="inbox-reprint"),
    path("connectors/<str:kind>/connect/", connectors.connect_action, name="connector-connect"),
    path("connectors/<str:kind>/test/", connectors.test_action, name="connector-test"),
    path("connectors/<str:kind>/disconnect/", connectors.disconnect_action, name="connector-disconnect"),
    path("<int:pk>/", views.copilot_page, name="conversation"),
    path("<int:pk>/ask/", views.ask_action, name="ask-more"),
    path("<int:pk>/live/", views.live_partial, name="live"),
    path("<int:pk>/delete/", views.delete_action, name="delete"),
    path("actions/<uuid:key>/<str:decision>/", views.decide_action, name="decide"),
]
