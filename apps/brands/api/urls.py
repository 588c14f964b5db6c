from django.urls import path

from . import views

app_name = "brands-api"
urlpatterns = [
    path("brands", views.BrandListView.as_view(), name="brands"),
    path("brands/<int:pk>", views.BrandDetailView.as_view(), name="brand"),
    path("brands/<int:pk>/publishable-key", views.BrandKeyView.as_view(), name="brand_key"),
]
