"""Public-schema models: workspaces (tenants), people, their access and API keys."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from apps.core.hygiene import single_line
from apps.core.uploads import RandomPath


class Tenant(TenantMixin):
    """A brand's workspace. Its schema name is its slug."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    suspended_at = models.DateTimeField(null=True, blank=True)
    # Why operators suspended it: shown to its owners on the suspended page and e-mailed to them.
    suspension_reason = models.TextField(_("suspension reason"), blank=True)
    # Marked for deletion (suspended meanwhile): its schema and row are dropped after this moment,
    # unless an operator restores it first (apps.tenants.services.tenants_purge).
    delete_after = models.DateTimeField(_("deleted after"), null=True, blank=True)
    # The operators' last data export (a zip built by apps.console.workspace_exports); the request's
    # moment is kept while the export is being built.
    export_requested_at = models.DateTimeField(_("export requested at"), null=True, blank=True)
    export_file = models.FileField(
        _("data export"), upload_to=RandomPath("exports/workspaces"), blank=True, max_length=300
    )
    # White-label dashboard (plans with the `white_label` feature): its colour and logo replace Luneo's.
    dashboard_color = models.CharField(_("dashboard colour"), max_length=7, blank=True)
    dashboard_logo = models.ImageField(
        _("dashboard logo"), upload_to=RandomPath("workspaces/logos"), blank=True, max_length=300
    )

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["schema_name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"

    @property
    def slug(self) -> str:
        return self.schema_name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """A spare schema renamed or the template cloned (apps/tenants/template.py), else migrated."""
        from apps.tenants.template import schema_provide

        if sync_schema and not (check_if_exists and schema_exists(self.schema_name)):
            if schema_provide(self.schema_name):
                return True
        return super().create_schema(
            check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity
        )

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_marked_for_deletion(self) -> bool:
        return self.delete_after is not None


class Domain(DomainMixin):
    """A host serving a workspace: `<slug>.BASE_DOMAIN` (primary), or the brand's own domain, which
    serves the dashboard once the workspace proved it controls it (`verified_at`) with a TXT record
    holding `verification_token`.

    Several workspaces may claim one domain; only one may hold it primary or verified.
    """

    domain = models.CharField(max_length=253, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_token = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Re-checks in a row that did not find the token (apps/tenants/domains.py).
    check_failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(is_primary=True) | models.Q(verified_at__isnull=False),
                name="domain_unique_when_serving",
            ),
            models.UniqueConstraint(fields=["tenant", "domain"], name="domain_unique_per_tenant"),
        ]

    @property
    def is_custom(self) -> bool:
        return not self.is_primary


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Log in with email; may belong to several workspaces."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True, validators=[single_line])
    language = models.CharField(_("language"), max_length=10, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


# Higher rank includes every right of the lower ones.
ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    weekly_report = models.BooleanField(_("weekly report by email"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user} in {self.tenant.schema_name} as {self.role}"

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]


class ApiKey(models.Model):
    """A secret (`sk_…`) or publishable (`pk_…`) key, found by its SHA-256.

    A publishable key is public by design (it sits in shops' page source and works only from
    its brand's allowed origins), so its whole value is kept too, to be shown again; a secret
    key's never is. Publishable keys made before the value was kept have it empty.
    """

    class Type(models.TextChoices):
        SECRET = "secret", _("Secret")
        PUBLISHABLE = "publishable", _("Publishable")

    class Mode(models.TextChoices):
        LIVE = "live", _("Live")
        TEST = "test", _("Test")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.SECRET)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.LIVE)
    prefix = models.CharField(max_length=24, unique=True, help_text=_("Public part used for lookup"))
    key_hash = models.CharField(max_length=64)
    publishable_value = models.CharField(
        max_length=64, blank=True, default="", help_text=_("The whole key (publishable keys only)")
    )
    scopes = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    brand_ref = models.PositiveIntegerField(null=True, blank=True, help_text=_("Brand id (publishable keys)"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type="publishable") | models.Q(publishable_value=""),
                name="apikey_secret_value_not_stored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The stored answer to a POST made with an `Idempotency-Key`, replayed for 24 h."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    # Whose requests share the keys: empty for a secret key's client, the shopper session for the widget.
    scope = models.CharField(max_length=64, blank=True, default="")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of method, path and body"))
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "scope", "key"], name="idempotency_unique_scoped_key")
        ]

    def __str__(self) -> str:
        return self.key


class SpareSchema(models.Model):
    """A schema cloned ahead of time from the template, waiting for a new workspace to be renamed
    into (apps/tenants/template.py). Not a workspace: no tenant row, no domain, never migrated."""

    schema_name = models.CharField(max_length=63, unique=True)
    # `template.migration_state()` of the code that cloned it: another state's spare is dropped.
    migration_state = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.schema_name
