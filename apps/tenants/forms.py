from allauth.account.forms import SignupForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError

from .models import Tenant
from .services import slug_validate, tenant_provision


class WorkspaceSignupForm(SignupForm):
    """allauth's email + password signup, plus the new workspace's name and address."""

    workspace_name = forms.CharField(label=_("Workspace name"), max_length=100)
    workspace_slug = forms.CharField(
        label=_("Workspace address"),
        max_length=30,
        help_text=_("3–30 lowercase letters, digits or hyphens: <slug>.luneo.app"),
    )

    def clean_workspace_slug(self) -> str:
        slug = self.cleaned_data["workspace_slug"].strip().lower()
        try:
            slug_validate(slug)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        if Tenant.objects.filter(schema_name=slug).exists():
            raise forms.ValidationError(_("This address is already taken."))
        return slug

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            request.new_workspace = tenant_provision(
                slug=self.cleaned_data["workspace_slug"],
                name=self.cleaned_data["workspace_name"],
                owner_email=user.email,
            )
        return user
