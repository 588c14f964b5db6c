"""The console's own admin pages, registered on the Luneo site (apps/console/site.py)."""

from django.contrib import admin

from apps.tenants.models import Tenant

from .workspaces import WorkspaceAdmin

admin.site.register(Tenant, WorkspaceAdmin)
