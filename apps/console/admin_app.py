"""Django's admin app with the Luneo site as `admin.site` (INSTALLED_APPS names this instead of
django.contrib.admin): every app's `admin.py` registers on the Luneo site."""

from django.contrib.admin.apps import AdminConfig


class LuneoAdminConfig(AdminConfig):
    default_site = "apps.console.site.LuneoAdminSite"
