"""Dashboard pages under /crm/ for imports and data health (names `dashboard:crm_imports:<page>`)."""

from django.urls import path

from . import views_imports as views

app_name = "crm_imports"
urlpatterns = [
    path("imports/", views.imports_page, name="list"),
    path("imports/preview/", views.import_preview_view, name="preview"),
    path("imports/start/", views.import_start_view, name="start"),
    path("imports/<uuid:uuid>/", views.import_detail_page, name="detail"),
    path("imports/<uuid:uuid>/status/", views.import_status_view, name="status"),
    path("imports/<uuid:uuid>/rejections.csv", views.import_rejections_csv, name="rejections-csv"),
    path("health/", views.health_page, name="health"),
]
