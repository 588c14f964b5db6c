"""The design proof over WhatsApp (issue 17): the `design_proof` template sent to an order's
customer — {{1}} first name, {{2}} order number, {{3}} a lasting signed link to the design's
preview on the workspace's canonical host — and the customer's reply, which Twilio posts to the
inbound URL: a yes records the approval on the order (`orders.services.order_proof_approve`), a
no records the decline with their words, anything else is kept while the proof still waits.

A proof is always a template (outside WhatsApp's 24-hour window only templates may be sent), goes
only to a customer who agreed to marketing messages and has a phone number, and one proof of an
order at a time awaits an answer (a unique constraint; a failed one does not count).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.crm.selectors import order_customer
from apps.designs.signing import asset_url
from apps.orders.models import Order
from apps.orders.selectors import order_get, order_list, order_number_parse
from apps.orders.services import order_proof_approve
from apps.tenants.services import tenant_url

from ..models import Connector, WhatsAppMessage
from . import whatsapp
from .errors import SignatureInvalid
from .selectors import connector_credentials, connector_get
from .services import TWILIO_STATUSES, whatsapp_refusal, whatsapp_template

PROOF = WhatsAppMessage.Template.DESIGN_PROOF
Answer = WhatsAppMessage.Answer
FAILED = (WhatsAppMessage.Status.FAILED, WhatsAppMessage.Status.UNDELIVERED)
REPLY_MAX = 1600  # WhatsApp's longest text is 4,096 characters; a proof's answer is short
SID_MAX = 64

# What a reply means, compared once lower-cased, without accents or punctuation: whole words (or
# phrases), and for Chinese, which has no spaces, the characters anywhere. A no wins over a yes
# ("non, pas d'accord", "不好"): a declined proof is followed up by a person, an approval is not.
YES = ("yes", "yeah", "yep", "ok", "okay", "approve", "approved", "oui", "ouais", "d accord", "valide")
YES += ("是", "同意", "好", "可以")
NO = ("no", "nope", "not", "non", "change", "changes", "changer", "modifier", "modify", "pas d accord")
NO += ("不", "否", "修改")
CJK = re.compile(r"[\u3400-\u9fff]")


def _waiting():
    """Proofs still awaiting an answer (a proof that failed to reach the customer does not)."""
    return WhatsAppMessage.objects.filter(template=PROOF, answer=Answer.AWAITING).exclude(status__in=FAILED)


# --- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    order: Order
    customer: object  # a crm Customer
    designs: list[tuple[str, str]]  # (item title, prompt) of each design
    preview: object  # the DesignAsset {{3}} links to: the first design's first view's preview


def proof_prepare(*, order: str) -> Proof:
    """What a proof of order `order` (`LU-000123` or `123`) would send, or ValidationFailed saying
    why it cannot be sent: WhatsApp or its template missing, no design (or no preview yet), the
    customer without consent or phone, or a proof of this order already awaiting an answer."""
    found = order_get(number=order_number_parse(order) or 0)
    if found is None:
        raise ValidationFailed(details={"order": [_("No order has this number.")]})
    if not whatsapp_template(PROOF):
        raise ValidationFailed(
            _(
                "WhatsApp is not connected or has no design_proof template: an admin adds it under "
                "Copilot → Connectors."
            )
        )
    designs, previews = [], []
    for item in found.items.all():
        if item.design_id is not None:
            designs.append((item.title, item.design.prompt))
            previews += [asset for asset in item.design.preview_assets if asset.view_id]
    if not designs:
        raise ValidationFailed(
            _("Order %(order)s has no design to send as a proof.") % {"order": found.reference}
        )
    if not previews:
        raise ValidationFailed(
            _("The design of order %(order)s has no preview yet.") % {"order": found.reference}
        )
    customer = order_customer(found.pk)
    refusal = whatsapp_refusal(customer)
    if refusal:
        raise ValidationFailed(refusal)
    if _waiting().filter(order_id=found.pk).exists():
        raise ValidationFailed(_proof_waiting(found))
    return Proof(order=found, customer=customer, designs=designs, preview=previews[0])


def _proof_waiting(order: Order) -> str:
    return _("A proof of order %(order)s is already awaiting the customer's answer.") % {
        "order": order.reference
    }


def proof_link(proof: Proof) -> str:
    """A lasting signed link to the preview, on the workspace's canonical host (never a request's)."""
    return tenant_url(connection.tenant, asset_url(proof.preview, lasting=True))


def proof_send(*, proof: Proof) -> WhatsAppMessage:
    """Send the proof and record it awaiting the customer's answer. Twilio's errors are raised and
    nothing is kept (the action's card says why); a proof sent meanwhile is refused."""
    template_sid = whatsapp_template(PROOF)
    customer, order = proof.customer, proof.order
    to = whatsapp.phone_e164(customer.phone)
    variables = {"1": customer.first_name or _("there"), "2": order.reference, "3": proof_link(proof)}
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = WhatsAppMessage.objects.create(
                    template=PROOF,
                    order_id=order.pk,
                    customer_id=customer.pk,
                    to=f"whatsapp:{to}",
                    answer=Answer.AWAITING,
                )
        except IntegrityError as exc:  # another proof of this order was just sent
            raise ValidationFailed(_proof_waiting(order)) from exc
        sent = whatsapp.whatsapp_send(to, template_sid, variables)
        message.twilio_sid = sent["sid"]
        message.status = TWILIO_STATUSES.get(sent["status"], WhatsAppMessage.Status.QUEUED)
        message.save(update_fields=["twilio_sid", "status", "updated_at"])
    return message


# --- the customer's reply ------------------------------------------------------------------------


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " " + " ".join(re.sub(r"[\W_]+", " ", text).split()) + " "


def reply_meaning(body: str) -> str:
    """`approved`, `declined`, or "" for a reply that says neither."""
    words = _words(body)

    def said(word: str) -> bool:
        return word in words if CJK.search(word) else f" {word} " in words

    if any(said(word) for word in NO):
        return Answer.DECLINED
    if any(said(word) for word in YES):
        return Answer.APPROVED
    return ""


def _signed(url: str, params: dict[str, list[str]], signature: str) -> None:
    connector = connector_get(kind=Connector.Kind.WHATSAPP)
    token = str(connector_credentials(connector).get("auth_token", "")) if connector else ""
    if not token or not whatsapp.signature_valid(token, url, params, signature):
        raise SignatureInvalid()


def whatsapp_reply_record(
    *, url: str, params: dict[str, list[str]], signature: str
) -> WhatsAppMessage | None:
    """Record a customer's reply Twilio posted: SignatureInvalid (403) unless signed like a status
    callback; ValidationFailed (400) without a `From` (whatsapp:+E164) or `MessageSid`. The latest
    proof to that number awaiting an answer takes it; None (nothing changed) when there is none."""
    _signed(url, params, signature)
    sender = (params.get("From") or [""])[0]
    number = whatsapp.phone_e164(sender.removeprefix("whatsapp:")) if sender.startswith("whatsapp:") else ""
    sid = (params.get("MessageSid") or [""])[0]
    if not number or not sid or len(sid) > SID_MAX:
        raise ValidationFailed(_("A From (whatsapp:+ and a number) and a MessageSid are needed."))
    body = (params.get("Body") or [""])[0][:REPLY_MAX]
    meaning = reply_meaning(body)
    with transaction.atomic():
        message = (
            _waiting()
            .select_for_update()
            .filter(to=f"whatsapp:{number}")
            .order_by("-created_at", "-pk")
            .first()
        )
        if message is None:
            return None
        message.answer_text = body  # kept as written: escaped where it is shown
        if meaning:
            message.answer, message.answered_at = meaning, timezone.now()
        if meaning == Answer.APPROVED:
            order = order_list().filter(pk=message.order_id).first()
            if order is not None:
                order_proof_approve(order=order, via=Order.ProofVia.WHATSAPP)
        message.save(update_fields=["answer", "answer_text", "answered_at", "updated_at"])
    return message
