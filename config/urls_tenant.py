"""A workspace host (<slug>.BASE_DOMAIN): the brand's dashboard, and the API."""

from django.urls import include, path

urlpatterns = [
    path("", include("config.urls_api")),  # first: the hottest paths resolve without a scan
    path("", include("apps.core.urls_dashboard")),
    path("", include("apps.tenants.urls_dashboard")),
    path("", include("apps.core.urls_common")),
    path("accounts/", include("allauth.urls")),
]
