from django.urls import include, path

from apps.analytics.views import home as analytics_home
from apps.crm.views_debug import scores_debug as crm_scores_debug
from apps.designs.views import design_list_page

app_name = "dashboard"
urlpatterns = [
    path("", analytics_home, name="home"),
    path("analytics/", include("apps.analytics.urls")),  # dashboard:analytics:<export>
    path("designs/", design_list_page, name="designs"),
    path("designs/", include("apps.designs.urls")),  # dashboard:designs:<page>
    path("products/", include("apps.products.urls")),  # dashboard:products, dashboard:product, …
    path("settings/brands/", include("apps.brands.urls")),  # dashboard:brands, dashboard:brand, …
    path("orders/", include("apps.orders.urls")),  # orders:list, orders:detail, …
    path("customers/", include("apps.crm.urls")),  # dashboard:crm:customers, dashboard:crm:detail, …
    path("campaigns/", include("apps.campaigns.urls")),  # dashboard:campaigns:<page>
    path("plans/", include("apps.planner.urls")),  # dashboard:planner:<page>
    path("settings/webhooks/", include("apps.webhooks.urls")),
    path("settings/integrations/", include("apps.integrations.urls")),
    path("settings/billing/", include("apps.billing.urls")),
    path("settings/audit/", include("apps.audit.urls")),
    path("crm/scores/", crm_scores_debug, name="crm-scores"),  # owners and admins: rules and RFM
    path("crm/", include("apps.crm.urls_imports")),  # dashboard:crm_imports:<page>
    path("copilot/", include("apps.copilot.urls")),  # dashboard:copilot:<page>
]
