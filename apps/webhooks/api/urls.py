from django.urls import path

from . import views

app_name = "webhooks-api"
urlpatterns = [
    path("webhooks/endpoints", views.EndpointListView.as_view(), name="endpoints"),
    path("webhooks/endpoints/<int:pk>", views.EndpointDetailView.as_view(), name="endpoint"),
    path(
        "webhooks/endpoints/<int:pk>/rotate-secret",
        views.EndpointRotateSecretView.as_view(),
        name="endpoint-rotate-secret",
    ),
    path("webhooks/endpoints/<int:pk>/test", views.EndpointTestView.as_view(), name="endpoint-test"),
    path(
        "webhooks/endpoints/<int:pk>/deliveries",
        views.EndpointDeliveryListView.as_view(),
        name="endpoint-deliveries",
    ),
    path("webhooks/deliveries/<int:pk>/redeliver", views.DeliveryRedeliverView.as_view(), name="redeliver"),
]
