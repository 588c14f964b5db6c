"""Dashboard pages under /campaigns/ (names `dashboard:campaigns:<page>`)."""

from django.urls import include, path

app_name = "campaigns"
urlpatterns = [
    path("templates/", include("apps.campaigns.urls_templates")),
]
