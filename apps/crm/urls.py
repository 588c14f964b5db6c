"""Dashboard pages under /customers/ (names `dashboard:crm:<page>`)."""

from django.urls import path

from . import views

app_name = "crm"
urlpatterns = [
    path("", views.customer_list_page, name="customers"),
    path("affinity/", views.customer_affinity, name="affinity"),
    path("export.csv", views.customer_export, name="customers-export"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/consent/", views.customer_consent, name="consent"),
]
