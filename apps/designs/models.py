"""Designs: a prompt (and text, a photo) on a product, through the pipeline to print files.

A `Design` is a state machine (transitions in services.TRANSITIONS); its `spec` is the
vendor-neutral record (layers, parameters, per-view print specs) that print files can be
re-rendered from. `DesignAsset` rows are the files each step produced, one per
(design, view, kind): a repeated step replaces its file instead of adding one.
"""

import re
import secrets
from pathlib import PurePosixPath

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROMPT_MAX_LENGTH = 1000
# A design's id wherever it is shown (API, webhooks, sockets, widget, dashboard URLs).
PUBLIC_ID = re.compile(r"dsg_[A-Za-z0-9_-]{1,36}")


def _token() -> str:
    return secrets.token_urlsafe(12)


def public_id_new() -> str:
    """The design's one id outside the database (`dsg_…`): unguessable, unlike the primary key."""
    return f"dsg_{secrets.token_urlsafe(16)}"


def photo_upload_to(design: "Design", filename: str) -> str:
    return f"designs/{connection.schema_name}/uploads/{_token()}/{PurePosixPath(filename).name}"


def asset_upload_to(asset: "DesignAsset", filename: str) -> str:
    """`designs/<schema>/<design id>/<random>/<name>`: a path nobody can guess."""
    return f"designs/{connection.schema_name}/{asset.design_id}/{_token()}/{filename}"


class Design(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        MODERATING = "moderating", _("Moderating")
        GENERATING = "generating", _("Generating")
        COMPOSITING = "compositing", _("Compositing")
        EXPORTING = "exporting", _("Exporting")
        READY = "ready", _("Ready")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="designs")
    variant = models.ForeignKey(
        "products.Variant", on_delete=models.PROTECT, null=True, blank=True, related_name="designs"
    )
    prompt = models.CharField(max_length=PROMPT_MAX_LENGTH)
    style = models.CharField(max_length=40, blank=True)
    text_layers = models.JSONField(default=list, blank=True)
    # Where the shopper put the artwork and the photo: {"artwork": {x, y, scale, rotation}, "photo": …}.
    layout = models.JSONField(default=dict, blank=True)
    photo = models.ImageField(upload_to=photo_upload_to, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    provider = models.CharField(max_length=40, blank=True)
    seed = models.BigIntegerField(default=0)
    spec = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="variations"
    )
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    api_key_prefix = models.CharField(max_length=32, blank=True)  # the key that created it, if any
    public_id = models.CharField(max_length=40, unique=True, default=public_id_new, editable=False)
    shopper_session = models.CharField(max_length=64, blank=True)  # the widget session that made it
    # The shopper's funnel, reported by the widget: the preview was shown, then added to the cart.
    preview_seen_at = models.DateTimeField(null=True, blank=True)
    added_to_cart_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="design_progress_lte_100"),
        ]

    def __str__(self) -> str:
        return f"Design {self.public_id} ({self.status})"


class DesignSessionGrant(models.Model):
    """A widget session given the use of a design another session made: a "reorder my design"
    link opened in a new browser lets the shopper see and order it as their own."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="session_grants")
    shopper_session = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shopper_session", "design"], name="design_session_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"Design {self.design_id} for session {self.shopper_session}"


class DesignCorrection(models.Model):
    """The brand's correction of a design's text (a typo a customer reported on their order): the
    text layers before and after, each (wrong, right) applied, who confirmed it. Its own rows, not
    the spec: a retried design's spec is made anew, its history must stay. `reprinted_at` is empty
    until the design's files are drawn again with it; at that moment the orders holding the design
    rebuild their production packs (signals.design_reprinted)."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="corrections")
    replacements = models.JSONField(default=list)  # [[wrong, right], …] in the order applied
    text_layers_before = models.JSONField(default=list)
    text_layers_after = models.JSONField(default=list)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now)
    reprinted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Correction of design {self.design_id}"


class DesignAsset(models.Model):
    class Kind(models.TextChoices):
        ARTWORK = "artwork", _("Artwork")
        PRINT_PNG = "print_png", _("Print PNG")
        PRINT_PDF = "print_pdf", _("Print PDF")
        PREVIEW_JPG = "preview_jpg", _("Preview (JPEG)")
        PREVIEW_WEBP = "preview_webp", _("Preview (WebP)")
        THUMB = "thumb", _("Thumbnail")
        GLB = "glb", _("3D model (GLB)")
        # The design on another product of the brand (a campaign's "their designs" block): kept
        # with that product's view, outside the design's own files.
        ELSEWHERE = "elsewhere", _("Preview on another product")

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="assets")
    view = models.ForeignKey(
        "products.View", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=asset_upload_to, max_length=300)
    content_type = models.CharField(max_length=100)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    dpi = models.PositiveIntegerField(null=True, blank=True)
    bytes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["view_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["design", "view", "kind"], name="design_asset_unique", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of design {self.design_id}"


REPORT_NOTE_MAX_LENGTH = 1000
# The error code of a design an operator rejected: its message is the operator's reason, shown as
# it is to the shopper (widget) and the brand (dashboard, API, webhooks).
OPERATOR_REJECTED = "operator_rejected"


class DesignReport(models.Model):
    """A brand member's report of a design to Luneo's operators (from the design's dashboard page),
    with their note. `resolved_at` is set when an operator approves, rejects or retries it."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="reports")
    note = models.TextField(max_length=REPORT_NOTE_MAX_LENGTH)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Report on design {self.design_id}"


class DesignReview(models.Model):
    """One moderation event of a design: flagged by the pipeline (its moderation or the provider
    refused it), or approved, rejected or retried by an operator; the operators' daily counts."""

    class Action(models.TextChoices):
        FLAGGED = "flagged", _("Flagged")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETRIED = "retried", _("Retried")

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField(blank=True)
    actor = models.BigIntegerField(null=True, blank=True)  # the operator's User id; None: the pipeline
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} design {self.design_id}"
