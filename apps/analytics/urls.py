"""Dashboard exports and settings under /analytics/ (`dashboard:analytics:<name>`)."""

from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("kpis.csv", views.export_kpis, name="export-kpis"),
    path("orders.csv", views.export_orders, name="export-orders"),
    path("report.pdf", views.export_report, name="export-report"),
    path("weekly-report/", views.weekly_report, name="weekly-report"),
]
