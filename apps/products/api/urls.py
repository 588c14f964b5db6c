from django.urls import path

from . import views

app_name = "products-api"
urlpatterns = [
    path("products", views.ProductListView.as_view(), name="products"),
    path("products/<int:pk>", views.ProductDetailView.as_view(), name="product"),
    path("products/<int:product_id>/variants", views.VariantListView.as_view(), name="variants"),
    path("products/<int:product_id>/variants/<int:pk>", views.VariantDetailView.as_view(), name="variant"),
    path("products/<int:product_id>/views", views.ViewListView.as_view(), name="views"),
    path("products/<int:product_id>/views/<int:pk>", views.ViewDetailView.as_view(), name="view"),
    path("products/<int:product_id>/options", views.OptionListView.as_view(), name="options"),
    path("products/<int:product_id>/options/<int:pk>", views.OptionDetailView.as_view(), name="option"),
]
