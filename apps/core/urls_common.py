"""Served on every host."""

from django.urls import include, path

# /healthz and /readyz are answered before routing by apps.core.health.HealthCheckMiddleware.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
