"""Dashboard pages for brands, under /settings/brands/ in the `dashboard` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.brands, name="brands"),
    path("new/", views.brand_new, name="brand_new"),
    path("<int:pk>/", views.brand_edit, name="brand"),
    path("<int:pk>/key/", views.brand_key_rotate, name="brand_key_rotate"),
    path("<int:pk>/logo/", views.brand_logo, name="brand_logo"),
]
