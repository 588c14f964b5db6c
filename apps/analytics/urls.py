"""Dashboard exports and settings under /analytics/ (`dashboard:analytics:<name>`)."""

from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("kpis.csv", views.export, {"kind": "kpis"}, name="export-kpis"),
    path("orders.csv", views.export, {"kind": "orders"}, name="export-orders"),
    path("report.pdf", views.export, {"kind": "report"}, name="export-report"),
    path("weekly-report/", views.weekly_report, name="weekly-report"),
]
