"""Settings → Integrations, in the dashboard namespace: dashboard:integrations:<page>."""

from django.urls import path, re_path

from . import views

app_name = "integrations"
KIND = r"(?P<kind>shopify|woocommerce)"
urlpatterns = [
    path("", views.integration_list, name="list"),
    re_path(rf"^{KIND}/$", views.integration_import_status, name="import_status"),
    re_path(rf"^{KIND}/connect/$", views.integration_connect_view, name="connect"),
    re_path(rf"^{KIND}/disconnect/$", views.integration_disconnect_view, name="disconnect"),
    re_path(rf"^{KIND}/import/$", views.integration_import_view, name="import"),
]
