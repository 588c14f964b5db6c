"""The copilot's conversations (one person's, or one API key's), their messages, the actions it
proposed and the workspace's retention setting. Purged after the retention the workspace sets."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    """A person's (or an API key's) conversation with the copilot; only its owner sees it."""

    title = models.CharField(_("title"), max_length=120)
    user_id = models.BigIntegerField(null=True, blank=True)  # a public-schema User id
    api_key_id = models.BigIntegerField(null=True, blank=True)  # or the ApiKey that opened it
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["user_id", "-updated_at"], name="copilot_conv_user_recent"),
            models.Index(fields=["api_key_id", "-updated_at"], name="copilot_conv_key_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user_id__isnull=False) | models.Q(api_key_id__isnull=False),
                name="copilot_conv_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One turn: what the person asked, or the copilot's answer (Markdown) with its sources."""

    class Role(models.TextChoices):
        USER = "user", _("You")
        ASSISTANT = "assistant", _("Copilot")

    class Provider(models.TextChoices):
        OFFLINE = "offline", _("Offline copilot")
        OPENAI = "openai", _("AI copilot (OpenAI)")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    page = models.CharField(max_length=200, blank=True)  # the dashboard page it was asked from
    provider = models.CharField(max_length=10, choices=Provider.choices, blank=True)
    tools = models.JSONField(default=list, blank=True)  # [{"name", "arguments"}] the answer used
    sources = models.JSONField(default=list, blank=True)  # [{"label", "url"}] pages showing its figures
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="copilot_msg_conv_time")]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"


class PendingAction(models.Model):
    """An action the copilot proposed: it runs only when its owner confirms it, once."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for your confirmation")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="actions", verbose_name=_("message")
    )
    kind = models.CharField(_("action"), max_length=40)
    arguments = models.JSONField(_("arguments"), default=dict)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # what a confirmation names
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    card = models.TextField(_("proposal"))  # Markdown: what confirming will do
    result = models.TextField(_("result"), blank=True)  # Markdown: what was done, or why it failed
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    decided_by = models.BigIntegerField(_("decided by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class CopilotSettings(models.Model):
    """The workspace's copilot settings (one row, made when first saved)."""

    retention_days = models.PositiveSmallIntegerField(
        _("keep conversations for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("copilot settings")
        verbose_name_plural = _("copilot settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


# --- connectors (apps/copilot/connectors) --------------------------------------------------------


class Connector(models.Model):
    """A service the copilot reaches for the workspace (Notion, WhatsApp through Twilio, Gmail).

    `credentials` is encrypted JSON (apps.core.crypto) and never shown back; disconnecting deletes
    the row. `settings` holds what is not secret: Notion's default parent page, Twilio's sender and
    template SIDs, the Gmail address."""

    class Kind(models.TextChoices):
        NOTION = "notion", "Notion"
        WHATSAPP = "whatsapp", _("WhatsApp (Twilio)")
        GMAIL = "gmail", "Gmail"

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        ERROR = "error", _("Error")

    kind = models.CharField(_("connector"), max_length=20, choices=Kind.choices, unique=True)
    credentials = models.TextField()  # encrypted JSON
    settings = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONNECTED)
    last_error = models.TextField(_("last error"), blank=True)
    last_tested_at = models.DateTimeField(_("last tested at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.status})"


class WhatsAppMessage(models.Model):
    """A WhatsApp template message sent through Twilio, once per order (or design) and template;
    its status follows Twilio's status callbacks.

    A design proof (`design_proof`) waits for the customer's answer (`answer`): one proof at a
    time per order awaits it (a failed one aside), and another may be sent once it is answered."""

    class Template(models.TextChoices):
        ORDER_CONFIRMED = "order_confirmed", _("Order confirmed")
        DESIGN_READY = "design_ready", _("Design ready")
        DESIGN_PROOF = "design_proof", _("Design proof")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")
        UNDELIVERED = "undelivered", _("Undelivered")

    class Answer(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting the customer's answer")
        APPROVED = "approved", _("Approved by the customer")
        DECLINED = "declined", _("Declined by the customer")

    customer_id = models.BigIntegerField()  # a crm Customer
    order_id = models.BigIntegerField(null=True, blank=True)
    design_id = models.BigIntegerField(null=True, blank=True)
    template = models.CharField(_("template"), max_length=20, choices=Template.choices)
    to = models.CharField(max_length=40)  # whatsapp:+E164
    twilio_sid = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)  # proofs
    answer_text = models.TextField(_("customer's reply"), blank=True)  # their latest, as they wrote it
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to", "answer"], name="copilot_whatsapp_to_answer")]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order_id"],
                condition=models.Q(order_id__isnull=False) & ~models.Q(template="design_proof"),
                name="copilot_whatsapp_once_per_order",
            ),
            models.UniqueConstraint(
                fields=["order_id"],
                condition=models.Q(template="design_proof", answer="awaiting")
                & ~models.Q(status__in=["failed", "undelivered"]),
                name="copilot_whatsapp_one_proof_awaiting",
            ),
            models.UniqueConstraint(
                fields=["template", "design_id"],
                condition=models.Q(design_id__isnull=False),
                name="copilot_whatsapp_once_per_design",
            ),
            models.UniqueConstraint(
                fields=["twilio_sid"], condition=~models.Q(twilio_sid=""), name="copilot_whatsapp_unique_sid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to} ({self.status})"


class EmailThread(models.Model):
    """An inbox thread of the connected Gmail, as the copilot triaged it.

    Its text is data: it is read by a model call that has no tools and may only return a label
    and a summary, it is shown as plain text, and nothing it links to is fetched. A reply is
    drafted here, reviewed and edited by a person, then saved as a Gmail draft: never sent."""

    class Label(models.TextChoices):
        ORDER_QUESTION = "order_question", _("Order question")
        COMPLAINT = "complaint", _("Complaint")
        SUPPLIER = "supplier", _("Supplier")
        OTHER = "other", _("Other")

    gmail_id = models.CharField(max_length=32, unique=True)
    sender = models.CharField(_("from"), max_length=254, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(blank=True)  # the first message's text, at most 8,000 characters
    reply_to_message = models.CharField(max_length=300, blank=True)  # Message-ID to answer
    received_at = models.DateTimeField(_("received"))
    label = models.CharField(_("label"), max_length=20, choices=Label.choices)
    summary = models.CharField(_("summary"), max_length=300)
    provider = models.CharField(max_length=10, choices=Message.Provider.choices)
    order_number = models.PositiveIntegerField(null=True, blank=True)  # the order it is about, if found
    correction = models.JSONField(default=dict, blank=True)  # {"wrong", "right"}: a text fix asked for
    label_applied = models.BooleanField(default=False)  # in Gmail
    draft = models.TextField(_("draft reply"), blank=True)
    draft_gmail_id = models.CharField(max_length=64, blank=True)
    drafted_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["label", "-received_at"], name="copilot_thread_label_recent")]

    def __str__(self) -> str:
        return self.subject or self.gmail_id
