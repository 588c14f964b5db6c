"""The public host: landing, signup and login, operators' admin, API and docs."""

from django.contrib import admin
from django.urls import include, path

from apps.copilot.connectors.views_gmail import google_return
from apps.designs.admin import moderation_queue_view

urlpatterns = [
    path("", include("config.urls_api")),  # first: the hottest paths resolve without a scan
    path("", include("apps.dashboard.urls_public")),
    path("", include("apps.accounts.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language, on every host
    path("accounts/", include("allauth.urls")),
    path("connectors/google/return/", google_return, name="connector-google-return"),  # Google's OAuth
    path("stripe/", include("apps.billing.urls_hooks")),  # Stripe's signed events
    path("admin/designs/moderation/", moderation_queue_view, name="admin-design-moderation"),
    path("admin/support/", include("apps.console.urls_support")),  # support access ("view as")
    path("admin/", admin.site.urls),
]
