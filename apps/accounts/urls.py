from django.urls import path

from . import views, views_support

app_name = "accounts"
urlpatterns = [
    path("handoff/", views.handoff, name="handoff"),
    path("handoff/domain/", views.domain_handoff, name="domain_handoff"),
    path("handoff/support/", views_support.support_handoff, name="support_handoff"),
    path("handoff/support/leave/", views_support.support_leave, name="support_leave"),
    path("workspaces/<slug:slug>/", views.workspace_open, name="workspace_open"),
    path("i18n/language/", views.language_set, name="language"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("settings/", views.settings_general, name="settings"),
    path("settings/rename/", views.workspace_rename, name="workspace_rename"),
    path("settings/appearance/", views.workspace_appearance, name="workspace_appearance"),
    path("settings/appearance/logo/", views.workspace_logo, name="workspace_logo"),
    path("settings/domain/", views.custom_domain_save, name="custom_domain"),
    path("settings/domain/check/", views.custom_domain_check, name="custom_domain_check"),
    path("settings/domain/delete/", views.custom_domain_delete, name="custom_domain_delete"),
    path("settings/team/", views.team, name="team"),
    path("settings/team/invite/", views.invitation_send, name="invitation_send"),
    path("settings/team/members/<int:pk>/role/", views.member_role_change, name="member_role"),
    path("settings/team/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("settings/team/invitations/<int:pk>/revoke/", views.invitation_cancel, name="invitation_revoke"),
    path("settings/api-keys/", views.api_keys, name="api_keys"),
    path("settings/api-keys/new/", views.api_key_new, name="api_key_new"),
    path("settings/api-keys/<int:pk>/revoke/", views.api_key_revoke_view, name="api_key_revoke"),
]
