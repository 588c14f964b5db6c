from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("workspaces/", views.workspaces, name="workspaces"),
    path("workspaces/new/", views.workspace_create, name="workspace_create"),
    path("workspaces/<slug:slug>/", views.workspace_open, name="workspace_open"),
    # Under /i18n/ so that it is open on every host, logged in or not.
    path("i18n/language/", views.language_set, name="language"),
]
