"""The campaigns API under /api/v1/campaigns/ (`campaigns-api:<name>`)."""

from django.urls import path

from . import views

app_name = "campaigns-api"
urlpatterns = [
    path("campaigns/audiences", views.AudienceListView.as_view(), name="audiences"),
    path("campaigns/audiences/<int:pk>", views.AudienceDetailView.as_view(), name="audience"),
    path("campaigns/templates", views.TemplateListView.as_view(), name="templates"),
    path("campaigns/templates/<int:pk>", views.TemplateDetailView.as_view(), name="template"),
    path("campaigns/automations", views.AutomationListView.as_view(), name="automations"),
    path("campaigns/automations/<str:kind>", views.AutomationDetailView.as_view(), name="automation"),
    path("campaigns", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/schedule", views.CampaignScheduleView.as_view(), name="campaign-schedule"),
    path("campaigns/<int:pk>/cancel", views.CampaignCancelView.as_view(), name="campaign-cancel"),
    path("campaigns/<int:pk>/pause", views.CampaignPauseView.as_view(), name="campaign-pause"),
    path("campaigns/<int:pk>/resume", views.CampaignResumeView.as_view(), name="campaign-resume"),
]
