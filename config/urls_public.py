"""The public host: landing, signup and login, operators' admin, API and docs."""

from django.contrib import admin
from django.urls import include, path

from apps.designs.admin import moderation_queue_view

urlpatterns = [
    path("", include("config.urls_api")),  # first: the hottest paths resolve without a scan
    path("", include("apps.core.urls_public")),
    path("", include("apps.tenants.urls_public")),
    path("", include("apps.core.urls_common")),
    path("accounts/", include("allauth.urls")),
    path("stripe/", include("apps.billing.urls_stripe")),  # Stripe's signed events
    path("admin/designs/moderation/", moderation_queue_view, name="admin-design-moderation"),
    path("admin/", admin.site.urls),
]
