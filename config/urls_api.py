"""The REST API, served on every host (the key, not the host, picks the workspace)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The page loads its set-up script from ?script (no inline script: Content-Security-Policy).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("apps.accounts.api.urls")),
    # Early: shoppers' pages call these most, and each include tried before costs a scan of its paths.
    path("", include("apps.storefront.api.urls")),  # /api/v1/widget/… and /widget/v1/luneo.js
    path("api/v1/", include("apps.designs.api.urls")),
    path("", include("apps.designs.urls_signed")),  # signed asset links, on every host
    path("", include("apps.orders.urls_signed")),  # signed pack links, on every host
    path("api/v1/", include("apps.brands.api.urls")),
    path("api/v1/", include("apps.products.api.urls")),
    path("api/v1/", include("apps.orders.api.urls")),
    path("api/v1/", include("apps.webhooks.api.urls")),
    path("api/v1/", include("apps.crm.api.urls_customers")),
    path("api/v1/", include("apps.integrations.urls_hooks")),
    path("api/v1/", include("apps.crm.api.urls")),
    path("api/v1/", include("apps.campaigns.api.urls")),
    path("api/v1/", include("apps.planner.api.urls")),
    path("api/v1/", include("apps.copilot.api.urls")),
]
