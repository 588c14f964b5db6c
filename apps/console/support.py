"""Support access in the operators' console (apps.accounts.support does the work): pick a
workspace, then a member and a reason, and open its dashboard as them through a one-time link.

URL names (config/urls_public.py): `admin-support` (the workspaces, and the open sessions) and
`admin-support-start` (one workspace: `reverse("admin-support-start", args=[tenant.pk])`).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from apps.accounts.models import SupportSession
from apps.accounts.support import (
    REASON_MAX_LENGTH,
    can_view_as,
    support_handoff_url,
    support_members,
    support_minutes,
    support_session_start,
)
from apps.core.errors import ApplicationError
from apps.tenants.models import Tenant


class SupportStartForm(forms.Form):
    member = forms.ModelChoiceField(label=_("View as"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log of the platform and of the workspace."),
    )
    allow_changes = forms.BooleanField(
        label=_("Allow changes"),
        required=False,
        help_text=_(
            "Superusers only. Every change made is recorded; without it, support access is read-only."
        ),
    )

    def __init__(self, *args, tenant: Tenant, superuser: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = support_members(tenant)
        self.fields["member"].label_from_instance = lambda user: user.email
        if not superuser:
            del self.fields["allow_changes"]


def _require_permission(request) -> None:
    if not can_view_as(request.user):
        raise PermissionDenied


def support_index(request):
    """The workspaces an operator may open, and the support sessions still open."""
    _require_permission(request)
    query = request.GET.get("q", "").strip()
    tenants = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("name")
    if query:
        tenants = tenants.filter(Q(name__icontains=query) | Q(schema_name__icontains=query))
    open_sessions = SupportSession.objects.filter(ended_at__isnull=True).select_related(
        "tenant", "operator", "member"
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Support access"),
        "tenants": tenants[:100],
        "query": query,
        "open_sessions": open_sessions[:50],
    }
    return TemplateResponse(request, "admin/support/index.html", context)


def support_start(request, tenant_id: int):
    """Choose the member and the reason; on POST, start the session and go to the workspace host."""
    _require_permission(request)
    tenant = get_object_or_404(Tenant.objects.exclude(schema_name=get_public_schema_name()), pk=tenant_id)
    form = SupportStartForm(request.POST or None, tenant=tenant, superuser=request.user.is_superuser)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = support_session_start(
                    operator=request.user,
                    tenant=tenant,
                    member=form.cleaned_data["member"],
                    reason=form.cleaned_data["reason"],
                    allow_changes=form.cleaned_data.get("allow_changes", False),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(support_handoff_url(session))
        status = 400
    context = {
        **admin.site.each_context(request),
        "title": _("Support access: %(workspace)s") % {"workspace": tenant.name},
        "tenant": tenant,
        "form": form,
        "minutes": support_minutes(),
        "suspended": not tenant.is_active,
    }
    return TemplateResponse(request, "admin/support/start.html", context, status=status)


support_index_view = admin.site.admin_view(support_index)
support_start_view = admin.site.admin_view(support_start)
