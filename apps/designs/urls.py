"""Dashboard pages under /designs/ (the list is `dashboard:designs`, in apps/dashboard/urls.py)."""

from django.urls import path

from . import views

app_name = "designs"
urlpatterns = [
    path("new/", views.design_new, name="new"),
    path("<int:pk>/", views.design_detail, name="detail"),
    path("<int:pk>/retry/", views.design_retry_view, name="retry"),
    path("<int:pk>/cancel/", views.design_cancel_view, name="cancel"),
    path("<int:pk>/variations/", views.design_variation_view, name="variation"),
]
