"""A workspace host (<slug>.BASE_DOMAIN): the brand's dashboard, and the API."""

from django.urls import include, path

urlpatterns = [
    path("", include("config.urls_api")),  # first: the hottest paths resolve without a scan
    path("", include("apps.dashboard.urls")),
    path("", include("apps.accounts.urls")),
    path("e/", include("apps.campaigns.urls_public")),  # links in campaign e-mails
    path("i18n/", include("django.conf.urls.i18n")),  # set_language, on every host
    path("accounts/", include("allauth.urls")),
]
