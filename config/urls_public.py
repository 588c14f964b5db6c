"""The public host: landing, signup and login, operators' admin, API and docs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from apps.copilot.connectors.views_gmail import google_return

urlpatterns = [
    path("", include("config.urls_api")),  # first: the hottest paths resolve without a scan
    path("", include("apps.dashboard.urls_public")),
    path("", include("apps.accounts.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language, on every host
    path("accounts/", include("allauth.urls")),
    path("connectors/google/return/", google_return, name="connector-google-return"),  # Google's OAuth
    path("stripe/", include("apps.billing.urls_hooks")),  # Stripe's signed events
    # The moderation queue's old address: the operators' moderation console (apps/console).
    path(
        "admin/designs/moderation/", RedirectView.as_view(url="/admin/console/moderation/", query_string=True)
    ),
    path("admin/support/", include("apps.console.urls_support")),  # support access ("view as")
    path("admin/", admin.site.urls),
]
