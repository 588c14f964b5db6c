"""Dashboard pages of the catalog, under /products/ in the `dashboard` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.product_list, name="products"),
    path("new/", views.product_new, name="product_new"),
    path("<int:pk>/", views.product_detail, name="product"),
    path("<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("<int:pk>/delete/", views.product_delete, name="product_delete"),
    path("<int:pk>/variants/new/", views.variant_new, name="variant_new"),
    path("<int:pk>/variants/<int:variant_pk>/edit/", views.variant_edit, name="variant_edit"),
    path("<int:pk>/variants/<int:variant_pk>/delete/", views.variant_delete, name="variant_delete"),
    path("<int:pk>/options/", views.options_edit, name="options_edit"),
    path("<int:pk>/views/new/", views.view_new, name="view_new"),
    path("<int:pk>/views/<int:view_pk>/edit/", views.view_edit, name="view_edit"),
    path("<int:pk>/views/<int:view_pk>/delete/", views.view_delete, name="view_delete"),
    path("<int:pk>/views/<int:view_pk>/mockup/", views.view_image, {"kind": "mockup"}, name="view_mockup"),
    path("<int:pk>/views/<int:view_pk>/mask/", views.view_image, {"kind": "mask"}, name="view_mask"),
]
