"""Invitations: how a person is asked to join a workspace (their seat is held from the invitation on);
support sessions: an operator viewing a workspace as one of its members."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Role, Tenant, User


class Invitation(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.tenant.schema_name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class SupportSession(models.Model):
    """Support access ("view as"): an operator opens a workspace's dashboard as one of its members.

    Read-only unless a superuser allowed changes (with a reason), and only until `expires_at`.
    Started in the admin (apps.console.support), opened on the workspace host through a one-time
    link, ended by "Leave", by expiry or by an operator (apps.accounts.support).
    """

    class End(models.TextChoices):
        LEFT = "left", _("Left by the operator")
        EXPIRED = "expired", _("Expired")
        REPLACED = "replaced", _("Replaced by a newer session")
        REVOKED = "revoked", _("Ended from the admin")
        INVALID = "invalid", _("Access no longer valid")

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="support_sessions", verbose_name=_("workspace")
    )
    operator = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("operator")
    )
    member = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("viewed as")
    )
    reason = models.TextField(_("reason"))
    allow_changes = models.BooleanField(_("changes allowed"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("ends at"))
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=16, choices=End.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("support session")
        verbose_name_plural = _("support sessions")
        permissions = [("view_as", _("Can view a workspace as one of its members (support access)"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.tenant.schema_name}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()
