"""Dashboard pages under /orders/ (names `dashboard:orders:<page>`)."""

from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list_page, name="list"),
    path("<int:number>/", views.order_detail, name="detail"),
    path("<int:number>/transition/", views.order_transition_view, name="transition"),
    path("<int:number>/pack/", views.order_pack_build_view, name="pack-build"),
    path("<int:number>/pack/download/", views.order_pack_download, name="pack-download"),
]
