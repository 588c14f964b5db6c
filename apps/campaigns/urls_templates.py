"""Dashboard pages under /campaigns/templates/ (names `dashboard:campaigns:<page>`)."""

from django.urls import path

from . import views_templates as views

urlpatterns = [
    path("", views.template_list_page, name="templates"),
    path("new/", views.template_create_page, name="template-create"),
    path("<int:pk>/", views.template_edit, name="template-edit"),
    path("<int:pk>/preview/", views.template_preview, name="template-preview"),
    path("<int:pk>/draft/", views.template_draft, name="template-draft"),
    path("<int:pk>/test/", views.template_test_send, name="template-test"),
    path("<int:pk>/duplicate/", views.template_duplicate_page, name="template-duplicate"),
    path("<int:pk>/delete/", views.template_delete_page, name="template-delete"),
]
