"""The CRM's REST API (`/api/v1/crm/…`)."""

from django.urls import path

from . import views_imports

app_name = "crm-api"
urlpatterns = [
    path("crm/imports", views_imports.ImportListView.as_view(), name="imports"),
    path("crm/imports/<uuid:uuid>", views_imports.ImportDetailView.as_view(), name="import"),
    path(
        "crm/imports/<uuid:uuid>/rejections",
        views_imports.ImportRejectionListView.as_view(),
        name="import-rejections",
    ),
]
