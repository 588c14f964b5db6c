from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from .services import login_handoff_url


class AccountAdapter(DefaultAccountAdapter):
    """After signup, land on the new workspace; after a login on the public host, pick one."""

    def get_signup_redirect_url(self, request) -> str:
        tenant = getattr(request, "new_workspace", None)
        if tenant is None:
            return super().get_signup_redirect_url(request)
        return login_handoff_url(user=request.user, tenant=tenant)

    def get_login_redirect_url(self, request) -> str:
        if request.tenant.schema_name == get_public_schema_name():
            return reverse("tenants:workspaces")
        return "/"
