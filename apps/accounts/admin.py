"""Operators' admin (public host only): people, access and keys (workspaces: apps/console/workspaces.py)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from apps.tenants import services as tenancy
from apps.tenants.models import ApiKey, Membership, User

from . import services
from .models import Invitation


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


from . import admin_support  # noqa: E402,F401  support sessions ("view as")
