"""The customers API under /api/v1/crm/ (`crm-customers-api:<name>`)."""

from django.urls import path

from . import views_customers as views

app_name = "crm-customers-api"
urlpatterns = [
    path("crm/customers", views.CustomerListView.as_view(), name="customers"),
    path("crm/customers/<int:pk>", views.CustomerDetailView.as_view(), name="customer"),
    path(
        "crm/customers/<int:pk>/recommendations",
        views.CustomerRecommendationsView.as_view(),
        name="customer-recommendations",
    ),
    path("crm/segments", views.SegmentListView.as_view(), name="segments"),
]
