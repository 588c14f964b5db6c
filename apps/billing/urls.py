"""Dashboard pages under /settings/billing/ (`dashboard:billing:<page>`)."""

from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.billing_page, name="page"),
    path("checkout/", views.billing_checkout, name="checkout"),
    path("portal/", views.billing_portal, name="portal"),
]
