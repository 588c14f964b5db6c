"""Operators' admin (public host only): workspaces, people, access and keys."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from apps.tenants import services as tenancy
from apps.tenants.models import ApiKey, Domain, Membership, Tenant, User

from . import services
from .forms import clean_slug
from .models import Invitation


class TenantCreationForm(forms.ModelForm):
    """Add a workspace through the provisioning service (schema, domain, owner)."""

    schema_name = forms.CharField(label=_("Slug"), max_length=30)
    owner_email = forms.EmailField(label=_("Owner email"))
    owner_password = forms.CharField(
        label=_("Owner password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only for a new user; leave empty for an existing one."),
    )

    class Meta:
        model = Tenant
        fields = ["schema_name", "name"]

    def clean_schema_name(self) -> str:
        return clean_slug(self.cleaned_data["schema_name"])


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]


class MembershipFormSet(forms.BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        if commit:
            tenancy.membership_delete(membership=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "schema_name", "status", "member_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "schema_name", "domains__domain"]
    ordering = ["-created_at"]
    actions = ["suspend", "reactivate"]
    inlines = [DomainInline, MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(schema_name=get_public_schema_name())
            .annotate(member_count=Count("memberships"))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, tenant: Tenant) -> int:
        return tenant.member_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TenantCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["schema_name", "name", "owner_email", "owner_password"]
        return ["name", "schema_name", "status", "created_at", "suspended_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["schema_name", "status", "created_at", "suspended_at"] if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        tenant = services.tenant_provision(
            slug=form.cleaned_data["schema_name"],
            name=form.cleaned_data["name"],
            owner_email=form.cleaned_data["owner_email"],
            owner_password=form.cleaned_data["owner_password"] or None,
        )
        obj.pk = tenant.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # suspend instead: deleting drops a brand's data

    @admin.action(description=_("Suspend selected workspaces"))
    def suspend(self, request, queryset):
        for tenant in queryset:
            tenancy.tenant_suspend(tenant=tenant)
        self.message_user(request, _("%(count)d suspended.") % {"count": len(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Reactivate selected workspaces"))
    def reactivate(self, request, queryset):
        for tenant in queryset:
            tenancy.tenant_reactivate(tenant=tenant)
        self.message_user(request, _("%(count)d reactivated.") % {"count": len(queryset)}, messages.SUCCESS)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class PasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return tenancy.user_password_set(user=self.user, password=password)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Deactivating a person or setting their password closes their open websockets."""

    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "staff_roles", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "groups", "is_active"]

    @admin.display(description=_("Staff roles"))
    def staff_roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all()) if user.is_staff else ""

    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            tenancy.user_access_changed(user=obj)  # e.g. deactivated: their sockets check again


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "tenant__schema_name", "tenant__name"]
    autocomplete_fields = ["user", "tenant"]
    list_select_related = ["user", "tenant"]

    def delete_model(self, request, obj):
        tenancy.membership_delete(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            tenancy.membership_delete(membership=membership)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "tenant", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "tenant__schema_name"]
    exclude = ["token_hash"]
    readonly_fields = ["tenant", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["tenant"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # invitations are sent from the workspace's Team page

    @admin.action(description=_("Revoke selected invitations"))
    def revoke(self, request, queryset):
        for invitation in queryset:
            services.invitation_revoke(invitation=invitation)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys show their prefix only; the secret is never stored."""

    list_display = ["name", "tenant", "prefix", "type", "mode", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["type", "mode", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "tenant__schema_name"]
    fields = ["name", "tenant", "prefix", "type", "mode", "scopes", "created_by", "created_at"]
    fields += ["last_used_at", "revoked_at"]
    readonly_fields = fields
    list_select_related = ["tenant"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # created in the dashboard or with `manage.py create_api_key`

    @admin.action(description=_("Revoke selected keys"))
    def revoke(self, request, queryset):
        for api_key in queryset:
            tenancy.api_key_revoke(api_key=api_key)
        self.message_user(request, _("%(count)d revoked.") % {"count": len(queryset)}, messages.SUCCESS)
