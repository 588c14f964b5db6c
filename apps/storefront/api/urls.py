from django.urls import include, path

from .. import media, script
from . import views

app_name = "storefront"
urlpatterns = [
    path("widget/v1/luneo.js", script.widget_script, name="widget-script"),
    path("widget/v1/editor.js", script.editor_script, name="widget-editor"),
    path("widget/v1/model-viewer.js", script.model_viewer_script, name="widget-model-viewer"),
    path("widget/v1/fonts/<str:name>", script.widget_font, name="widget-font"),
    path("widget/v1/demo", script.widget_demo, name="widget-demo"),
    path("widget/v1/media/<str:token>", media.widget_media, name="widget-media"),
    path("api/v1/widget/config", views.WidgetConfigView.as_view(), name="config"),
    path("api/v1/widget/sessions", views.WidgetSessionView.as_view(), name="sessions"),
    path("api/v1/widget/designs", views.WidgetDesignListView.as_view(), name="designs"),
    path("api/v1/widget/designs/<str:public_id>", views.WidgetDesignDetailView.as_view(), name="design"),
    path(
        "api/v1/widget/designs/<str:public_id>/events",
        views.WidgetDesignEventView.as_view(),
        name="design-events",
    ),
    path(
        "api/v1/widget/designs/<str:public_id>/variations",
        views.WidgetDesignVariationView.as_view(),
        name="design-variations",
    ),
    path("api/v1/widget/reorders", views.WidgetReorderView.as_view(), name="reorders"),
    path("api/v1/widget/orders", views.WidgetOrderListView.as_view(), name="orders"),
    path("api/v1/widget/payments", views.WidgetPaymentView.as_view(), name="payments"),
    path("", include("apps.storefront.urls_hooks")),
]
