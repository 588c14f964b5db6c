"""Dashboard pages under /designs/ (the list is `dashboard:designs`, in apps/dashboard/urls.py).

A design is named by its id, `dsg_…`, as in the API, webhooks and the widget.
"""

from django.urls import path

from . import views

app_name = "designs"
urlpatterns = [
    path("new/", views.design_new, name="new"),
    path("<str:design_id>/", views.design_detail, name="detail"),
    path("<str:design_id>/retry/", views.design_retry_view, name="retry"),
    path("<str:design_id>/cancel/", views.design_cancel_view, name="cancel"),
    path("<str:design_id>/variations/", views.design_variation_view, name="variation"),
    path("<str:design_id>/report/", views.design_report_view, name="report"),
]
