"""Dashboard pages for workspaces, people and keys: parse the request, call a service, render."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from apps.billing.entitlements import entitlements
from apps.billing.errors import PlanLimitReached
from apps.billing.models import Feature
from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, member_required
from apps.tenants.errors import LastOwner, RoleNotAllowed
from apps.tenants.hosts import site_url
from apps.tenants.models import ApiKey, Membership, Role, User
from apps.tenants.scopes import ALL_SCOPES
from apps.tenants.selectors import api_key_list, member_list, user_memberships
from apps.tenants.services import (
    api_key_create,
    api_key_revoke,
    login_handoff_create,
    login_handoff_redeem,
    login_handoff_url,
    membership_change_role,
    membership_remove,
    tenant_rename,
    tenant_url,
    user_set_language,
)

from .domains import (
    challenge_name,
    custom_domain_get,
    custom_domain_remove,
    custom_domain_set,
    custom_domain_verify,
)
from .errors import AlreadyMember, InvitationInvalid
from .forms import (
    ApiKeyForm,
    AppearanceForm,
    CustomDomainForm,
    InvitationForm,
    InvitationSignupForm,
    RoleForm,
    WorkspaceCreateForm,
    WorkspaceForm,
    assignable_roles,
)
from .models import Invitation
from .selectors import invitation_list_pending
from .services import (
    invitation_accept,
    invitation_create,
    invitation_get_pending,
    invitation_revoke,
    tenant_provision,
    workspace_appearance_set,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- language ---------------------------------------------------------------------------


def language_cookie_set(response: HttpResponse, user: User) -> HttpResponse:
    """Carry the person's saved language to this host (cookies are per host)."""
    if user.language and check_for_language(user.language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_POST
def language_set(request):
    """Django's set_language, remembered on the account for the person's other hosts."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return response


# --- moving between workspaces ---------------------------------------------------------------


@login_required
def workspaces(request):
    """Public host: the workspaces the user belongs to; straight in when there is one."""
    memberships = list(user_memberships(user=request.user))
    if len(memberships) == 1:
        return redirect(login_handoff_url(user=request.user, tenant=memberships[0].tenant))
    return render(request, "accounts/workspaces.html", {"memberships": memberships})


@login_required
def workspace_create(request):
    """Public host: a logged-in person creates another workspace, as its owner, and opens it."""
    form = WorkspaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant = tenant_provision(
                slug=form.cleaned_data["slug"], name=form.cleaned_data["name"], owner_email=request.user.email
            )
        except ApplicationError as exc:  # e.g. the address was taken a moment ago
            form.add_error("slug", exc.message)
        else:
            return redirect(login_handoff_url(user=request.user, tenant=tenant))
    status = 400 if form.errors else 200
    context = {"form": form, "domain_suffix": f".{settings.BASE_DOMAIN}"}
    return render(request, "accounts/workspace_new.html", context, status=status)


@login_required
def workspace_open(request, slug: str):
    """Open one of the user's workspaces with a fresh one-time login link (valid one minute)."""
    membership = user_memberships(user=request.user).filter(tenant__schema_name=slug).first()
    if membership is None:
        raise Http404
    return redirect(login_handoff_url(user=request.user, tenant=membership.tenant))


@login_required
def domain_handoff(request):
    """Workspace host, once logged in for the workspace's verified custom domain: log in there too."""
    custom = custom_domain_get(tenant=request.tenant)
    if custom is None or custom.verified_at is None:
        return redirect("dashboard:home")
    token = login_handoff_create(user=request.user, tenant=request.tenant)
    return redirect(site_url(custom.domain, f"{reverse('accounts:handoff')}?{urlencode({'token': token})}"))


def handoff(request):
    """Workspace host: log in with a one-time token minted on another Luneo host."""
    user = login_handoff_redeem(token=request.GET.get("token", ""), tenant=request.tenant)
    if user is None:
        messages.info(request, _("That link has expired. Log in to continue."))
        return redirect("account_login")
    login(request, user, backend=MODEL_BACKEND)
    return language_cookie_set(redirect("dashboard:home"), user)


# --- settings: general ----------------------------------------------------------------------


def _general_page(request, form: WorkspaceForm | None = None, status: int = 200, **forms):
    tenant = request.tenant
    custom = custom_domain_get(tenant=tenant)
    context = {
        "form": form or WorkspaceForm(initial={"name": tenant.name}),
        "address": tenant_url(tenant),
        "appearance": AppearanceForm(initial={"color": tenant.dashboard_color or "#4F46E5"}),
        "custom_domain": custom,
        "domain_form": CustomDomainForm(initial={"domain": custom.domain if custom else ""}),
        "cname_target": f"{tenant.schema_name}.{settings.BASE_DOMAIN}",
        "challenge_name": challenge_name(custom) if custom else "",
        "can_custom_domain": entitlements(tenant).has(Feature.CUSTOM_DOMAIN),
        "two_factor": is_mfa_enabled(request.user),
        **forms,
    }
    return render(request, "accounts/settings_general.html", context, status=status)


@member_required
def settings_general(request):
    return _general_page(request)


@require_POST
@admin_required
def workspace_rename(request):
    form = WorkspaceForm(request.POST)
    if not form.is_valid():
        return _general_page(request, form, status=400)
    try:
        tenant_rename(tenant=request.tenant, name=form.cleaned_data["name"])
    except ApplicationError as exc:
        form.add_error("name", exc.message)
        return _general_page(request, form, status=400)
    messages.success(request, _("Workspace renamed."))
    return redirect("accounts:settings")


@require_POST
@admin_required
def workspace_appearance(request):
    form = AppearanceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            workspace_appearance_set(tenant=request.tenant, **form.cleaned_data)
        except ApplicationError as exc:
            for field, errors in exc.details.get("fields", {"logo": [exc.message]}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The dashboard's appearance was saved."))
            return redirect("accounts:settings")
    return _general_page(request, status=422, appearance=form)


@require_POST
@admin_required
def custom_domain_save(request):
    form = CustomDomainForm(request.POST)
    if form.is_valid():
        try:
            custom_domain_set(tenant=request.tenant, domain=form.cleaned_data["domain"])
        except ApplicationError as exc:
            form.add_error("domain", exc.message)
        else:
            messages.success(request, _("Domain saved: add the DNS record below, then check it."))
            return redirect(f"{reverse('accounts:settings')}#custom-domain")
    return _general_page(request, status=422, domain_form=form)


@require_POST
@admin_required
def custom_domain_check(request):
    custom = custom_domain_get(tenant=request.tenant)
    if custom is None:
        raise Http404
    try:
        custom_domain_verify(domain=custom)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(domain)s is verified: your dashboard answers there once its CNAME points to Luneo.")
            % {"domain": custom.domain},
        )
    return redirect(f"{reverse('accounts:settings')}#custom-domain")


@require_POST
@admin_required
def custom_domain_delete(request):
    custom_domain_remove(tenant=request.tenant)
    messages.success(request, _("The custom domain was removed."))
    return redirect("accounts:settings")


@member_required
def workspace_logo(request):
    if not request.tenant.dashboard_logo:
        raise Http404
    response = FileResponse(request.tenant.dashboard_logo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- settings: team -------------------------------------------------------------------------


def _team_page(request, invite_form: InvitationForm | None = None, status: int = 200):
    tenant, actor = request.tenant, request.membership
    can_manage = actor.has_role(Role.ADMIN)
    if can_manage and invite_form is None:
        invite_form = InvitationForm(actor=actor)
    context = {
        "members": member_list(tenant=tenant).order_by("created_at"),
        "invitations": invitation_list_pending(tenant=tenant),
        "invite_form": invite_form,
        "roles": assignable_roles(actor),
        "invitation_days": settings.INVITATION_TTL_DAYS,
    }
    return render(request, "accounts/team.html", context, status=status)


@member_required
def team(request):
    return _team_page(request)


@require_POST
@admin_required
def invitation_send(request):
    form = InvitationForm(request.POST, actor=request.membership)
    if not form.is_valid():
        return _team_page(request, form, status=400)
    try:
        invitation, _token = invitation_create(
            tenant=request.tenant,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            inviter_role=request.membership.role,
            invited_by=request.user,
        )
    except AlreadyMember as exc:
        form.add_error("email", _("This person is already a member of the workspace."))
        return _team_page(request, form, status=exc.status)
    except RoleNotAllowed as exc:
        form.add_error("role", _("Only an owner can invite an owner."))
        return _team_page(request, form, status=exc.status)
    except PlanLimitReached as exc:
        form.add_error(None, exc.message)
        return _team_page(request, form, status=exc.status)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:team")


def _member_response(request, membership: Membership | None):
    """htmx: the member's row (or nothing once removed) with the messages; else back to Team."""
    if not request.htmx:
        return redirect("accounts:team")
    context = {"member": membership, "roles": assignable_roles(request.membership)}
    return render(request, "accounts/partials/member_response.html", context)


def _explain(exc: ApplicationError) -> str:
    """The dashboard's wording for a refused team change."""
    if isinstance(exc, RoleNotAllowed):
        return _("Only an owner can grant, change or remove the owner role.")
    if isinstance(exc, LastOwner):
        return _("A workspace needs at least one owner. Make someone else owner first.")
    return exc.message


@require_POST
@admin_required
def member_role_change(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, tenant=request.tenant)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return _member_response(request, membership)
    try:
        membership = membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.membership
        )
    except ApplicationError as exc:
        messages.error(request, _explain(exc))
        membership.refresh_from_db()
    else:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
    return _member_response(request, membership)


@require_POST
@admin_required
def member_remove(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, tenant=request.tenant)
    try:
        membership_remove(membership=membership, actor=request.membership)
    except ApplicationError as exc:
        messages.error(request, _explain(exc))
        return _member_response(request, membership)
    messages.success(request, _("%(email)s was removed.") % {"email": membership.user.email})
    return _member_response(request, None)


@require_POST
@admin_required
def invitation_cancel(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk, tenant=request.tenant)
    invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    if request.htmx:
        return render(request, "partials/messages.html", {"oob": True})
    return redirect("accounts:team")


# --- invitations ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """Workspace host, open to everyone holding the link: join the workspace.

    Expired, revoked and used links (also one used a moment ago, in another tab) get one page.
    """
    try:
        return _invitation_page(request, token)
    except InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)


def _invitation_page(request, token: str):
    pending = invitation_get_pending(tenant=request.tenant, token=token)
    user = request.user
    context = {
        "invitation": pending,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
    }
    if user.is_authenticated:
        if user.email.lower() != pending.email:
            return render(request, "accounts/invitation_wrong_email.html", context, status=403)
        if request.method == "POST":
            return _joined(request, invitation_accept(tenant=request.tenant, token=token, user=user))
        return render(request, "accounts/invitation.html", context)
    context["has_account"] = User.objects.filter(email=pending.email).exists()
    form = InvitationSignupForm(request.POST or None, email=pending.email)
    if request.method == "POST" and not context["has_account"] and form.is_valid():
        membership = form.save(tenant=request.tenant, token=token)
        login(request, membership.user, backend=MODEL_BACKEND)
        return language_cookie_set(_joined(request, membership), membership.user)
    context["form"] = form
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)


def _joined(request, membership: Membership):
    messages.success(
        request,
        _("Welcome to %(workspace)s. You joined as %(role)s.")
        % {"workspace": membership.tenant.name, "role": membership.get_role_display()},
    )
    return redirect("dashboard:home")


# --- API keys ---------------------------------------------------------------------------------


@admin_required
def api_keys(request):
    keys = api_key_list(tenant=request.tenant)
    return render(request, "accounts/api_keys.html", {"keys": keys, "all_scopes": ALL_SCOPES})


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def api_key_new(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        api_key, raw = api_key_create(
            tenant=request.tenant,
            name=form.cleaned_data["name"],
            mode=form.cleaned_data["mode"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
        )
        # The raw key exists only in this response: it is never stored, nor shown again.
        return render(request, "accounts/api_key_created.html", {"api_key": api_key, "raw_key": raw})
    status = 400 if form.errors else 200
    return render(request, "accounts/api_key_new.html", {"form": form}, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def api_key_revoke_view(request, pk: int):
    api_key = get_object_or_404(ApiKey, pk=pk, tenant=request.tenant)
    if request.method == "GET":
        return render(request, "accounts/api_key_revoke.html", {"api_key": api_key})
    api_key_revoke(api_key=api_key)
    messages.success(request, _("The key “%(name)s” was revoked.") % {"name": api_key.name})
    if request.htmx:
        api_key.refresh_from_db()
        context = {"key": api_key, "all_scopes": ALL_SCOPES}
        return render(request, "accounts/partials/api_key_response.html", context)
    return redirect("accounts:api_keys")
