from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError
from apps.core.hygiene import single_line
from apps.tenants.models import ApiKey, Membership, Role, Tenant, User
from apps.tenants.scopes import SCOPES
from apps.tenants.services import slug_validate, user_get_or_create, user_set_language

from .services import invitation_accept, tenant_provision


def clean_slug(value: str) -> str:
    """A new workspace's address, or the service's reason as a form error."""
    try:
        return slug_validate(value.strip().lower())
    except ApplicationError as exc:
        raise forms.ValidationError(exc.message) from exc


class WorkspaceSignupForm(SignupForm):
    """allauth's email + password signup, plus the new workspace's name and address."""

    workspace_name = forms.CharField(label=_("Workspace name"), max_length=100, validators=[single_line])
    workspace_slug = forms.CharField(
        label=_("Workspace address"),
        max_length=30,
        help_text=_("3 to 30 lowercase letters, digits or hyphens."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace_slug"].widget.attrs.update(
            {"autocapitalize": "none", "spellcheck": "false", "pattern": "[a-z0-9-]{3,30}"}
        )
        self.workspace_domain_suffix = f".{settings.BASE_DOMAIN}"

    def clean_workspace_slug(self) -> str:
        return clean_slug(self.cleaned_data["workspace_slug"])

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            # The language chosen on the public site follows the person to their workspace.
            user_set_language(user=user, language=get_language() or "")
            request.new_workspace = tenant_provision(
                slug=self.cleaned_data["workspace_slug"],
                name=self.cleaned_data["workspace_name"],
                owner_email=user.email,
            )
        return user


def assignable_roles(actor: Membership) -> list[tuple[str, str]]:
    """The roles `actor` may give: owners any, admins any but owner."""
    if actor.role == Role.OWNER:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.OWNER]


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=100, validators=[single_line])


class AppearanceForm(forms.Form):
    color = forms.CharField(
        label=_("Colour"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.ImageField(label=_("Logo"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class CustomDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Your domain"), max_length=253, help_text=_("For example studio.example.com")
    )


class WorkspaceCreateForm(WorkspaceForm):
    slug = forms.CharField(
        label=_("Workspace address"),
        max_length=30,
        help_text=_("3 to 30 lowercase letters, digits or hyphens."),
    )

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, actor: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = assignable_roles(actor)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[single_line],
        help_text=_("Where the key is used, e.g. “Shopify store”."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ApiKey.Mode.choices,
        initial=ApiKey.Mode.LIVE,
        widget=forms.RadioSelect,
        help_text=_("Test keys work the same way and are easy to tell apart (sk_test_…)."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope, f"{scope} — {description}") for scope, description in SCOPES.items()],
        initial=list(SCOPES),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )


class InvitationSignupForm(forms.Form):
    """Someone invited without an account picks a password; the account takes the invited email."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        if User.objects.filter(email=self.email).exists():
            raise forms.ValidationError(_("An account with this email already exists. Log in to join."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("The two passwords do not match."))
            else:
                try:
                    password_validation.validate_password(password1, User(email=self.email))
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned

    def save(self, *, tenant: Tenant, token: str) -> Membership:
        """Create the account and accept the invitation, both or neither."""
        with transaction.atomic():
            user = user_get_or_create(email=self.email, password=self.cleaned_data["password1"])
            user_set_language(user=user, language=get_language() or "")
            return invitation_accept(tenant=tenant, token=token, user=user)
