"""Writes for the connectors: connect (fields checked, or Google's consent for Gmail; one call to
the service, credentials stored encrypted), test, disconnect (the row and its credentials
deleted); export a conversation or a plan to Notion; send WhatsApp notifications and record
Twilio's status callbacks.

WhatsApp is sent only to a customer who agreed to marketing messages (`marketing_consent` True)
and has a phone number: otherwise `WhatsAppRefused` says why and nothing is stored (no row, so
nothing is kept about a customer who did not agree). A message is sent once per order (or
design) and template: its row is inserted, and locked, before Twilio is called, and a unique
constraint stops a second one; a task that runs again finds it and sends nothing.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.crypto import encrypt_json
from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.markdown import md_escape
from apps.crm.selectors import order_customer, session_customer
from apps.designs.selectors import design_by_pk
from apps.orders.selectors import order_get
from apps.planner.exports import plan_json
from apps.planner.selectors import scenario_get

from ..models import Connector, Conversation, Message, WhatsAppMessage
from . import gmail, notion, whatsapp
from .errors import (
    CredentialsRefused,
    MessageUnknown,
    NotConnected,
    ServiceUnavailable,
    SignatureInvalid,
    WhatsAppRefused,
)
from .inbox import inbox_forget
from .selectors import connector_credentials, connector_get, connector_live

logger = logging.getLogger(__name__)
Kind = Connector.Kind
Template = WhatsAppMessage.Template
SECRET_MAX = 200
TEMPLATES = tuple(Template.values)
# Twilio's statuses in the order a message goes through them; failures are final.
PROGRESS = ["queued", "sent", "delivered", "read"]
FINAL = {"failed", "undelivered"}
TWILIO_STATUSES = {"accepted": "queued", "scheduled": "queued", "sending": "queued", "queued": "queued"}
TWILIO_STATUSES |= {status: status for status in [*PROGRESS, *FINAL]}


# --- connect, test, disconnect -------------------------------------------------------------------


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _text(value) -> str:
    return str(value or "").strip()


def _notion_clean(credentials: dict, options: dict, errors: dict) -> tuple[dict, dict]:
    token = _text(credentials.get("token"))
    if token and (len(token) < 20 or len(token) > SECRET_MAX or any(c.isspace() for c in token)):
        _add(errors, "token", _("Paste the integration's secret: it starts with ntn_ or secret_."))
    try:
        parent = notion.page_id_clean(options.get("parent_page_id"))
    except ValueError as exc:
        _add(errors, "parent_page_id", str(exc))
        parent = ""
    return {"token": token}, {"parent_page_id": parent}


def _whatsapp_clean(credentials: dict, options: dict, errors: dict) -> tuple[dict, dict]:
    sid, token = _text(credentials.get("account_sid")), _text(credentials.get("auth_token"))
    if not whatsapp.ACCOUNT_SID.match(sid):
        _add(errors, "account_sid", _("Paste the Account SID: AC followed by 32 letters and digits."))
    if token and not whatsapp.AUTH_TOKEN.match(token):
        _add(errors, "auth_token", _("Paste the Auth Token: 32 letters and digits."))
    try:
        sender = whatsapp.sender_clean(options.get("sender"))
    except ValueError as exc:
        _add(errors, "sender", str(exc))
        sender = ""
    templates = {}
    for name in TEMPLATES:
        value = _text((options.get("templates") or {}).get(name))
        if value and not whatsapp.CONTENT_SID.match(value):
            _add(errors, f"template_{name}", _("A template SID is HX followed by 32 letters and digits."))
        templates[name] = value
    return {"account_sid": sid, "auth_token": token}, {"sender": sender, "templates": templates}


CLEAN = {Kind.NOTION: _notion_clean, Kind.WHATSAPP: _whatsapp_clean}
SECRET = {Kind.NOTION: "token", Kind.WHATSAPP: "auth_token"}


def _check(kind: str, credentials: dict) -> None:
    """One call to the service with `credentials` (raises what it answered)."""
    if kind == Kind.NOTION:
        notion.notion_me(token=credentials["token"])
    elif kind == Kind.WHATSAPP:
        whatsapp.twilio_account(account_sid=credentials["account_sid"], auth_token=credentials["auth_token"])
    else:
        gmail.profile(token=gmail.access_token())


def connector_connect(*, kind: str, credentials: dict, options: dict) -> Connector:
    """Check the fields (ValidationFailed listing them under `fields`), call the service once with
    them (the credentials refused: a field error; the service down: ServiceUnavailable), then store
    them encrypted. Connected already, a blank secret keeps the stored one."""
    if kind not in CLEAN:
        raise ValidationFailed(details={"fields": {"kind": [_("Unknown connector.")]}})
    errors: dict[str, list[str]] = {}
    credentials, options = CLEAN[kind](credentials, options, errors)
    existing = connector_get(kind=kind)
    secret = SECRET[kind]
    if not credentials[secret]:
        kept = connector_credentials(existing) if existing else {}
        same_account = kind == Kind.NOTION or kept.get("account_sid") == credentials.get("account_sid")
        if kept.get(secret) and same_account:
            credentials[secret] = kept[secret]
        else:
            _add(errors, secret, _("This field is required."))
    if errors:
        raise ValidationFailed(details={"fields": errors})
    try:
        _check(kind, credentials)
    except CredentialsRefused as exc:
        raise ValidationFailed(details={"fields": {secret: [exc.message]}}) from exc
    connector, _created = Connector.objects.update_or_create(
        kind=kind,
        defaults={
            "credentials": encrypt_json(credentials),
            "settings": options,
            "status": Connector.Status.CONNECTED,
            "last_error": "",
            "last_tested_at": timezone.now(),
        },
    )
    return connector


def connector_test(*, connector: Connector) -> Connector:
    """Call the service with the stored credentials and record what it said (status, error)."""
    try:
        _check(connector.kind, connector_credentials(connector))
    except ApplicationError as exc:
        connector.status, connector.last_error = Connector.Status.ERROR, exc.message[:1000]
    else:
        connector.status, connector.last_error = Connector.Status.CONNECTED, ""
    connector.last_tested_at = timezone.now()
    connector.save(update_fields=["status", "last_error", "last_tested_at", "updated_at"])
    return connector


def gmail_connect(*, code: str) -> Connector:
    """Exchange Google's consent `code` for tokens, read the mailbox's address with them, and
    store them encrypted (connecting again replaces the previous Google account)."""
    tokens = gmail.code_exchange(code)
    address = str(gmail.profile(token=tokens["access_token"]).get("emailAddress") or "")[:254]
    connector, _created = Connector.objects.update_or_create(
        kind=Kind.GMAIL,
        defaults={
            "credentials": encrypt_json(tokens),
            "settings": {"email": address},
            "status": Connector.Status.CONNECTED,
            "last_error": "",
            "last_tested_at": timezone.now(),
        },
    )
    return connector


def connector_disconnect(*, connector: Connector) -> None:
    """Forget the connector: its row, credentials included, is deleted. Gmail's grant is revoked
    at Google too, and the triaged threads are deleted."""
    if connector.kind == Kind.GMAIL:
        gmail.token_revoke(str(connector_credentials(connector).get("refresh_token", "")))
        inbox_forget()
    connector.delete()


# --- Notion exports ------------------------------------------------------------------------------


def notion_parent() -> str:
    """The connected Notion's default parent page (NotConnected when Notion is not connected)."""
    return connector_live(kind=Kind.NOTION).settings.get("parent_page_id", "")


def _conversation(pk: int, user_id: int | None) -> Conversation:
    conversation = (
        Conversation.objects.filter(pk=pk, user_id=user_id).first() if user_id is not None else None
    )
    if conversation is None:
        raise ValidationFailed(_("You have no conversation with this number."))
    return conversation


def _scenario(pk: int):
    scenario = scenario_get(pk=pk)
    if scenario is None:
        raise ValidationFailed(_("No marketing scenario has this number."))
    if scenario.current_version_id is None:
        raise ValidationFailed(_("This scenario has no plan yet."))
    return scenario


def export_title(*, what: str, pk: int) -> str:
    """The page's title, as the proposal names it (a conversation's title is not shown: the
    proposal is made before its owner is checked)."""
    if what == "plan":
        return _("Marketing plan: %(name)s") % {"name": _scenario(pk).name}
    return _("Copilot conversation #%(id)d") % {"id": pk}


def _conversation_sections(conversation: Conversation) -> list[str]:
    sections = []
    for message in conversation.messages.all():
        sections.append(f"## {Message.Role(message.role).label}")
        sections.append(message.text)
    return sections


HEADINGS = {  # of a plan's Notion page
    "theme": gettext_lazy("Theme"),
    "period": gettext_lazy("Period"),
    "objectives": gettext_lazy("Objectives"),
    "summary": gettext_lazy("Summary"),
    "plan": gettext_lazy("Plan"),
}


def _plan_sections(data: dict) -> list[str]:
    scenario, plan = data["scenario"], data.get("plan") or {}
    lines = [f"**{HEADINGS['theme']}**: {md_escape(scenario.get('theme') or '—')}"]
    if scenario.get("period_start") or scenario.get("period_end"):
        period = f"{scenario.get('period_start') or '…'} → {scenario.get('period_end') or '…'}"
        lines.append(f"**{HEADINGS['period']}**: {period}")
    objectives = [
        f"- {md_escape(item.get('label', ''))}"
        + (f" ({md_escape(item['target_value'])})" if item.get("target_value") else "")
        for item in data.get("objectives") or []
    ]
    sections = ["\n\n".join(lines)]
    if objectives:
        sections.append(f"## {HEADINGS['objectives']}\n" + "\n".join(objectives))
    if plan.get("summary"):
        sections.append(f"## {HEADINGS['summary']}\n\n{md_escape(plan['summary'])}")
    items = []
    for item in plan.get("items") or []:
        details = ", ".join(md_escape(item[key]) for key in ("channel", "frequency", "kpi") if item.get(key))
        line = f"- **{md_escape(item.get('format', ''))}**: {md_escape(item.get('message', ''))}"
        items.append(f"{line} ({details})" if details else line)
    if items:
        sections.append(f"## {HEADINGS['plan']}\n" + "\n".join(items))
    return sections


def notion_export(*, what: str, pk: int, user_id: int | None) -> dict:
    """Make a Notion page under the default parent from the asker's conversation `pk` (only their
    own) or scenario `pk`'s current plan; returns {"title", "url"}."""
    parent = notion_parent()
    if what == "plan":
        scenario = _scenario(pk)
        title, sections = export_title(what=what, pk=pk), _plan_sections(plan_json(scenario))
    else:
        conversation = _conversation(pk, user_id)
        title, sections = conversation.title, _conversation_sections(conversation)
    page = notion.notion_page_create(parent, title, sections)
    return {"title": title, "url": page["url"]}


# --- WhatsApp ------------------------------------------------------------------------------------


def whatsapp_template(template: str) -> str:
    """The template SID the connected WhatsApp has for `template`, "" when none (or not connected)."""
    connector = connector_get(kind=Kind.WHATSAPP)
    if connector is None or connector.status != Connector.Status.CONNECTED:
        return ""
    return str((connector.settings.get("templates") or {}).get(template) or "")


def whatsapp_refusal(customer) -> str:
    """Why `customer` may not get WhatsApp messages, or "" when they may."""
    if customer is None:
        return _("The customer is not known.")
    if customer.marketing_consent is not True:
        return _("The customer has not agreed to receive marketing messages.")
    if not whatsapp.phone_e164(customer.phone):
        return _("The customer has no valid phone number.")
    return ""


def whatsapp_notify(
    *, template: str, customer, variables: dict, order_id: int | None = None, design_id: int | None = None
) -> WhatsAppMessage:
    """Send `template` to `customer` once for this order (or design). WhatsAppRefused (nothing
    stored) without consent, phone or template; NotConnected; ServiceUnavailable when Twilio should
    be tried again (nothing stored either). A refusal of the message itself is recorded `failed`."""
    template_sid = whatsapp_template(template)
    if not template_sid:
        raise WhatsAppRefused(_("WhatsApp is not connected or has no template for this message."))
    refusal = whatsapp_refusal(customer)
    if refusal:
        raise WhatsAppRefused(refusal)
    to = whatsapp.phone_e164(customer.phone)
    key = {"order_id": order_id} if order_id is not None else {"design_id": design_id}
    with transaction.atomic():
        message, _created = WhatsAppMessage.objects.get_or_create(
            template=template, **key, defaults={"customer_id": customer.pk, "to": f"whatsapp:{to}"}
        )
        message = WhatsAppMessage.objects.select_for_update().get(pk=message.pk)
        if message.twilio_sid or message.status != WhatsAppMessage.Status.QUEUED:
            return message  # sent already (a task that ran again)
        try:
            sent = whatsapp.whatsapp_send(to, template_sid, variables)
        except (ServiceUnavailable, NotConnected):
            raise  # rolled back: the task tries again later
        except ApplicationError as exc:
            message.status = WhatsAppMessage.Status.FAILED
            message.error_code = str(exc.details.get("code") or exc.details.get("status") or exc.code)[:20]
        else:
            message.twilio_sid = sent["sid"]
            message.status = TWILIO_STATUSES.get(sent["status"], WhatsAppMessage.Status.QUEUED)
        message.save()
    return message


def _first_name(customer) -> str:
    return customer.first_name or _("there")


def whatsapp_order_confirmed(*, order_number: int) -> WhatsAppMessage | None:
    """The `order_confirmed` message of an order to its customer (None when not sent, and why logged)."""
    order = order_get(number=order_number)
    if order is None or not whatsapp_template(Template.ORDER_CONFIRMED):
        return None
    customer = order_customer(order.pk)
    variables = {"1": _first_name(customer) if customer else "", "2": order.reference}
    return _notify(Template.ORDER_CONFIRMED, customer, variables, order_id=order.pk)


def whatsapp_design_ready(*, design_id: int) -> WhatsAppMessage | None:
    """The `design_ready` message of a design to the customer whose widget session made it."""
    design = design_by_pk(design_id)
    if design is None or not whatsapp_template(Template.DESIGN_READY):
        return None
    customer = session_customer(design.shopper_session)
    variables = {"1": _first_name(customer) if customer else "", "2": design.product.name}
    return _notify(Template.DESIGN_READY, customer, variables, design_id=design.pk)


def _notify(template: str, customer, variables: dict, **key) -> WhatsAppMessage | None:
    try:
        return whatsapp_notify(template=template, customer=customer, variables=variables, **key)
    except WhatsAppRefused as exc:
        logger.info("whatsapp %s not sent (%s): %s", template, key, exc.message)
        return None


def whatsapp_status_record(*, url: str, params: dict[str, list[str]], signature: str) -> WhatsAppMessage:
    """Record a Twilio status callback: SignatureInvalid (403) unless signed with the connected
    account's Auth Token over `url`; ValidationFailed (400) for a missing SID or unknown status;
    MessageUnknown (404). A status never goes back (callbacks may come out of order)."""
    connector = connector_get(kind=Kind.WHATSAPP)
    token = str(connector_credentials(connector).get("auth_token", "")) if connector else ""
    if not token or not whatsapp.signature_valid(token, url, params, signature):
        raise SignatureInvalid()
    sid = (params.get("MessageSid") or [""])[0]
    status = TWILIO_STATUSES.get((params.get("MessageStatus") or [""])[0])
    if not sid or len(sid) > 64 or status is None:
        raise ValidationFailed(_("A MessageSid and a known MessageStatus are needed."))
    with transaction.atomic():
        message = WhatsAppMessage.objects.select_for_update().filter(twilio_sid=sid).first()
        if message is None:
            raise MessageUnknown()
        if message.status not in FINAL and (
            status in FINAL or PROGRESS.index(status) > PROGRESS.index(message.status)
        ):
            message.status = status
            message.error_code = (params.get("ErrorCode") or [""])[0][:20]
            message.save(update_fields=["status", "error_code", "updated_at"])
    return message
