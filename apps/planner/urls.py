"""Dashboard pages under /plans/ (names `dashboard:planner:<page>`)."""

from django.urls import path

from . import views

app_name = "planner"
urlpatterns = [
    path("", views.scenario_list_page, name="list"),
    path("new/", views.scenario_create_page, name="create"),
    path("start/", views.scenario_start_action, name="start"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:pk>/", views.scenario_page, name="detail"),
    path("<int:pk>/live/", views.live_partial, name="live"),
    path("<int:pk>/edit/", views.scenario_edit_page, name="edit"),
    path("<int:pk>/archive/", views.scenario_archive_page, name="archive"),
    path("<int:pk>/<slug:kind>s/<int:part_pk>/remove/", views.part_remove_action, name="remove"),
    path("<int:pk>/act/", views.chat_act_action, name="act"),
    path("<int:pk>/say/", views.chat_say_action, name="say"),
    path("<int:pk>/versions/compare/", views.versions_compare_page, name="compare"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore_action, name="restore"),
    path("<int:pk>/export.json", views.plan_json_export, name="export-json"),
    path("<int:pk>/export.csv", views.plan_csv_export, name="export-csv"),
]
