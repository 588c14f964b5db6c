from django.urls import path

from .api import views

app_name = "storefront"
urlpatterns = [
    path("api/v1/widget/config", views.WidgetConfigView.as_view(), name="config"),
    path("api/v1/widget/sessions", views.WidgetSessionView.as_view(), name="sessions"),
    path("api/v1/widget/designs", views.WidgetDesignListView.as_view(), name="designs"),
    path("api/v1/widget/designs/<str:public_id>", views.WidgetDesignDetailView.as_view(), name="design"),
    path("api/v1/widget/orders", views.WidgetOrderListView.as_view(), name="orders"),
]
