"""Dashboard pages of the catalog, under /products/ in the `dashboard` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.product_list, name="products"),
    path("new/", views.product_new, name="product_new"),
    path("<int:pk>/", views.product_detail, name="product"),
    path("<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("<int:pk>/delete/", views.product_delete, name="product_delete"),
    path("<int:pk>/variants/add/", views.variant_add, name="variant_add"),
    path("<int:pk>/variants/<int:variant_pk>/delete/", views.variant_delete, name="variant_delete"),
    path("<int:pk>/options/add/", views.option_add, name="option_add"),
    path("<int:pk>/options/<int:option_pk>/delete/", views.option_delete, name="option_delete"),
    path("<int:pk>/views/new/", views.view_new, name="view_new"),
    path("<int:pk>/views/<int:view_pk>/edit/", views.view_edit, name="view_edit"),
    path("<int:pk>/views/<int:view_pk>/delete/", views.view_delete, name="view_delete"),
    path("<int:pk>/views/<int:view_pk>/mockup/", views.view_image, {"kind": "mockup"}, name="view_mockup"),
    path("<int:pk>/views/<int:view_pk>/mask/", views.view_image, {"kind": "mask"}, name="view_mask"),
]
