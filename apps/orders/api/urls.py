from django.urls import path

from . import views

app_name = "orders-api"
urlpatterns = [
    path("orders", views.OrderListView.as_view(), name="orders"),
    path("orders/<str:number>", views.OrderDetailView.as_view(), name="order"),
    path("orders/<str:number>/transition", views.OrderTransitionView.as_view(), name="order-transition"),
    path("orders/<str:number>/pack", views.OrderPackView.as_view(), name="order-pack"),
]
