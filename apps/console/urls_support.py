"""`/admin/support/…` (public host): support access ("view as"), apps.console.support."""

from django.urls import path

from .support import support_index_view, support_start_view

urlpatterns = [
    path("", support_index_view, name="admin-support"),
    path("start/<int:tenant_id>/", support_start_view, name="admin-support-start"),
]
