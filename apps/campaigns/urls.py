"""Dashboard pages under /campaigns/ (names `dashboard:campaigns:<page>`)."""

from django.urls import include, path, re_path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_page, name="list"),
    path("new/", views.campaign_create_page, name="create"),
    path("<int:pk>/", views.campaign_detail_page, name="detail"),
    path("<int:pk>/progress/", views.campaign_progress_partial, name="progress"),
    path("<int:pk>/start/", views.campaign_start_action, name="start"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<action>pause|resume|cancel)/$", views.campaign_action, name="action"),
    path("<int:pk>/recipients.csv", views.campaign_recipients_export, name="recipients-export"),
    path("audiences/", views.audience_list_page, name="audiences"),
    path("audiences/new/", views.audience_edit_page, name="audience-create"),
    path("audiences/size/", views.audience_size_partial, name="audience-size"),
    path("audiences/<int:pk>/", views.audience_edit_page, name="audience"),
    path("audiences/<int:pk>/delete/", views.audience_delete_action, name="audience-delete"),
    path("contacts/<int:pk>/", views.contact_privacy_page, name="contact-privacy"),
    path("contacts/<int:pk>/data.json", views.contact_export, name="contact-export"),
    path("contacts/<int:pk>/erase/", views.contact_erase_action, name="contact-erase"),
    path("automations/", views.automation_list_page, name="automations"),
    re_path(r"^automations/(?P<kind>[a-z_]{1,30})/$", views.automation_save_action, name="automation-save"),
    path("settings/", views.sending_settings_page, name="sending-settings"),
    path("templates/", include("apps.campaigns.urls_templates")),
]
