"""A marketing scenario (what the brand wants, for whom, with what), and the plans made for it.

A plan is a version: regenerating adds one, earlier ones stay. The scenario's current plan is
`current_version`: the latest saved, unless an earlier one was restored."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scenario(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready")  # it has a plan
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=120)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    period_start = models.DateField(_("start"), null=True, blank=True)
    period_end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="planner_scenario_period_order",
            ),
        ]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="objectives")
    label = models.CharField(_("label"), max_length=200)
    metric = models.CharField(_("metric"), max_length=100)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    """Who the plan speaks to: free text, or a CRM RFM segment, or a campaigns audience (not both)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="targets")
    label = models.CharField(_("label"), max_length=200)
    segment = models.CharField(_("segment"), max_length=30, blank=True)  # an apps.crm Segment code
    audience = models.ForeignKey(
        "campaigns.Audience", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(Lower("label"), "scenario", name="planner_target_label_once"),
            models.CheckConstraint(
                condition=models.Q(segment="") | models.Q(audience__isnull=True),
                name="planner_target_segment_or_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Resource(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        PEOPLE = "people", _("People")
        ASSET = "asset", _("Asset")
        CHANNEL = "channel", _("Channel")
        LEAD_TIME = "lead_time", _("Production lead time")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)  # "EUR", "people", "days"

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class PlanVersion(models.Model):
    class Provider(models.TextChoices):
        OFFLINE = "offline", _("Offline assistant")
        OPENAI = "openai", _("OpenAI")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(_("summary"))
    provider = models.CharField(max_length=10, choices=Provider.choices)
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="planner_version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} v{self.number}"


class PlanItem(models.Model):
    class Format(models.TextChoices):
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video")
        WEBINAR = "webinar", _("Webinar")
        INFOGRAPHIC = "infographic", _("Infographic")
        EMAIL = "email", _("E-mail")
        SOCIAL_POST = "social_post", _("Social post")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    message = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=60)
    frequency = models.CharField(_("frequency"), max_length=60)
    kpi = models.CharField(_("KPI"), max_length=200)
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The draft this e-mail item became (apps.planner.services.plan_to_campaign_drafts): made once.
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="planner_item_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.format}: {self.message[:40]}"


class ChatMessage(models.Model):
    """One turn of a scenario's chat: what a person clicked or typed, or the assistant's answer
    (Markdown). Purged after the workspace's TTL (`PlannerSettings.chat_ttl_days`); the scenario
    and its plans stay."""

    class Role(models.TextChoices):
        USER = "user", _("You")
        ASSISTANT = "assistant", _("Assistant")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    action = models.CharField(max_length=30, blank=True)  # the action code it ran, if any
    created_by = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["scenario", "created_at"], name="planner_chat_scenario_time")]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"


class PlannerSettings(models.Model):
    """The workspace's planner settings (one row, made when first saved)."""

    chat_ttl_days = models.PositiveSmallIntegerField(
        _("keep chat messages for (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("planner settings")
        verbose_name_plural = _("planner settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
