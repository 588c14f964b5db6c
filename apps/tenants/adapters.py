from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from .services import login_handoff_url, public_url
from .views import language_cookie_set


def _on_public_host(request) -> bool:
    return request.tenant.schema_name == get_public_schema_name()


class AccountAdapter(DefaultAccountAdapter):
    """After signup, land on the new workspace; after a login on the public host, pick one.

    New workspaces (and so signups) start on the public host only; a workspace host is for
    its members and the people they invite.
    """

    def is_open_for_signup(self, request) -> bool:
        return _on_public_host(request)

    def get_signup_redirect_url(self, request) -> str:
        tenant = getattr(request, "new_workspace", None)
        if tenant is None:
            return super().get_signup_redirect_url(request)
        return login_handoff_url(user=request.user, tenant=tenant)

    def get_login_redirect_url(self, request) -> str:
        if _on_public_host(request):
            return reverse("tenants:workspaces")
        return "/"

    def get_logout_redirect_url(self, request) -> str:
        return public_url("/")

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        language_cookie_set(response, user)
        return response

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        # Right after signup the person leaves for the workspace host: a "signed in" note
        # would only wait on the public site for their next visit.
        if getattr(request, "new_workspace", None) is not None:
            return
        super().add_message(request, level, message_template, *args, **kwargs)
