from types import SimpleNamespace
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from apps.core import crypto
from apps.tenants.services import login_handoff_url, public_url, user_access_changed, user_password_set

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
            return reverse("accounts:workspaces")
        return "/"

    def get_logout_redirect_url(self, request) -> str:
        return public_url("/")

    def logout(self, request) -> None:
        """The session ends, and with it its open websockets (the person's other sessions stay)."""
        user = request.user
        super().logout(request)
        if user.is_authenticated:
            user_access_changed(user=user)

    def set_password(self, user, password: str) -> None:
        """Every password allauth sets (change, set, reset from a key) goes through the service."""
        user_password_set(user=user, password=password)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        language_cookie_set(response, user)
        return response

    # Every link in an account e-mail goes to the public host, whatever host the request came to
    # (a custom domain's DNS is its owner's: a reset key sent there would be theirs to read).

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_account_already_exists_mail(self, email: str) -> None:
        links = {
            "signup_url": public_url(reverse("account_signup")),
            "password_reset_url": public_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, links)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "current_site": SimpleNamespace(name="Luneo", domain=settings.BASE_DOMAIN)}
        if "signup_url" in context:  # allauth builds the unknown-account mail's from the request
            context["signup_url"] = public_url(reverse("account_signup"))
        super().send_mail(template_prefix, email, context)

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        # Right after signup the person leaves for the workspace host: a "signed in" note
        # would only wait on the public site for their next visit.
        if getattr(request, "new_workspace", None) is not None:
            return
        super().add_message(request, level, message_template, *args, **kwargs)


def qr_svg(text: str) -> str:
    """`text` as a QR code: one SVG path, a dark square per module, four modules of quiet zone
    (reportlab's encoder: no QR package needed)."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count, quiet = code.getModuleCount(), 4
    squares = "".join(
        f"M{col + quiet} {row + quiet}h1v1h-1z"
        for row in range(count)
        for col in range(count)
        if code.isDark(row, col)
    )
    size = count + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size * 5}" '
        f'height="{size * 5}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/>'
        f'<path fill="#000" d="{squares}"/></svg>'
    )


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor authentication: secrets encrypted at rest (apps/core/crypto.py), QR codes drawn
    without a QR package, and staff may not turn their authenticator app off (the console requires
    it; an Admin deletes a lost one in the console's Authenticators)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def build_totp_svg(self, url: str) -> str:
        return qr_svg(url)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not (authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff)
