from django.urls import include, path

from .. import media, script
from . import views

app_name = "storefront"
# Grouped under their two prefixes, so that every other path is turned away by one prefix check
# instead of a scan of each pattern (config/urls_api.py tries these early).
urlpatterns = [
    path(
        "api/v1/widget/",
        include(
            [
                path("config", views.WidgetConfigView.as_view(), name="config"),
                path("sessions", views.WidgetSessionView.as_view(), name="sessions"),
                path("designs", views.WidgetDesignListView.as_view(), name="designs"),
                path("designs/<str:public_id>", views.WidgetDesignDetailView.as_view(), name="design"),
                path(
                    "designs/<str:public_id>/events",
                    views.WidgetDesignEventView.as_view(),
                    name="design-events",
                ),
                path(
                    "designs/<str:public_id>/variations",
                    views.WidgetDesignVariationView.as_view(),
                    name="design-variations",
                ),
                path("reorders", views.WidgetReorderView.as_view(), name="reorders"),
                path("orders", views.WidgetOrderListView.as_view(), name="orders"),
                path("payments", views.WidgetPaymentView.as_view(), name="payments"),
            ]
        ),
    ),
    path(
        "widget/v1/",
        include(
            [
                path("luneo.js", script.widget_script, name="widget-script"),
                path("editor.js", script.editor_script, name="widget-editor"),
                path("model-viewer.js", script.model_viewer_script, name="widget-model-viewer"),
                path("fonts/<str:name>", script.widget_font, name="widget-font"),
                path("demo", script.widget_demo, name="widget-demo"),
                path("media/<str:token>", media.widget_media, name="widget-media"),
            ]
        ),
    ),
    path("", include("apps.storefront.urls_hooks")),
]
