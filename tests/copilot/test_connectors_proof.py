"""The design proof over WhatsApp (issue 17): the copilot proposes it, confirming sends the
`design_proof` template (first name, order number, a signed link to the design's preview on the
canonical host) — refused without WhatsApp, its template, a design, consent or phone, or while a
proof of the order awaits an answer — and the customer's reply, which Twilio posts signed, records
an approval on the order or a decline with their words. Twilio is a local fake at the HTTP level."""

import json

import pytest
from django.db import connection
from django.test import Client

from apps.copilot.actions import ACTIONS
from apps.copilot.connectors.proofs import reply_meaning
from apps.copilot.connectors.services import connector_connect
from apps.copilot.connectors.whatsapp import phone_mask
from apps.copilot.engine import action_confirm, ask, conversation_start, member_asker
from apps.copilot.models import PendingAction, WhatsAppMessage
from apps.core.errors import ValidationFailed
from apps.core.signed_links import LASTING_MAX_AGE, lasting_salt, link_token_read
from apps.crm.models import Customer
from apps.designs.models import DesignAsset
from apps.designs.signing import SALT, asset_token_read
from apps.orders.models import Order
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, widget_order
from tests.support.factories.analytics import days_ago, order_on
from tests.support.factories.products import product_make
from tests.support.fakes.openai import stream_reply, tool_reply
from tests.support.fakes.twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SENDER,
    TEMPLATE_ORDER,
    TEMPLATE_PROOF,
    twilio_server,
    twilio_signature,
)
from tests.support.workspaces import host, member

PHONE = "+33612345678"
INBOUND_PATH = "/copilot/connectors/whatsapp/inbound/"
INBOUND = f"http://alpha.localhost{INBOUND_PATH}"  # the canonical host (tests: http, no port)
CALLBACK = "http://alpha.localhost/copilot/connectors/whatsapp/status/"
EMPTY_TWIML = "<Response/>"


@pytest.fixture
def fake_twilio(settings):
    with twilio_server(settings) as fake:
        yield fake


def whatsapp_connect(**templates):
    return connector_connect(
        kind="whatsapp",
        credentials={"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN},
        options={"sender": SENDER, "templates": templates or {"design_proof": TEMPLATE_PROOF}},
    )


def messages_sent(fake) -> list[dict]:
    return [request["form"] for request in fake.requests if request["path"].endswith("/Messages.json")]


def designed_order(*, email="ada@example.com", phone=PHONE, consent=True) -> tuple[Order, Customer]:
    """A widget order of a designed mug by Ada, whom the CRM knows (with `phone` and `consent`)."""
    order, _design = widget_order(product_make(), email=email, name="Ada Lovelace", session=f"s-{email}")
    Customer.objects.filter(email=email).update(marketing_consent=consent, phone=phone)
    return order, Customer.objects.get(email=email)


def describe(order: Order | str) -> str:
    number = order if isinstance(order, str) else order.reference
    return ACTIONS["send_design_proof"].describe({"order": number})


def proposed(tenant, request, order: Order):
    """The copilot (a fake OpenAI, set up only now: the design was made by the offline pipeline)
    proposes the proof of `order`."""
    fake_openai = request.getfixturevalue("fake_openai")
    who = member_asker(member(tenant, Role.EDITOR), Role.EDITOR)
    fake_openai.script(
        tool_reply("propose_send_design_proof", {"order": order.reference}), stream_reply("Confirm below.")
    )
    answer = ask(conversation_start(who), who, "send Ada the proof of her order")
    return who, answer


def proof_sent(order: Order) -> WhatsAppMessage:
    ACTIONS["send_design_proof"].run({"order": order.reference}, None)
    return WhatsAppMessage.objects.filter(template="design_proof").order_by("-pk").first()


def reply(tenant, params: dict, *, token: str = AUTH_TOKEN, url: str = INBOUND):
    """Twilio's POST of a customer's reply (anonymous, no CSRF token), signed with `token` over `url`."""
    client = Client(HTTP_HOST=host(tenant), enforce_csrf_checks=True)
    return client.post(INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=twilio_signature(token, url, params))


def customer_says(body: str, *, phone: str = PHONE) -> dict:
    return {"From": f"whatsapp:{phone}", "To": SENDER, "Body": body, "MessageSid": "SM" + "9" * 32}


# --- proposing and sending -----------------------------------------------------------------------


def test_a_proposed_proof_is_sent_once_confirmed_with_the_three_variables(tenant, fake_twilio, request):
    whatsapp_connect()
    order, customer = designed_order()
    who, answer = proposed(tenant, request, order)

    [action] = answer.actions
    assert action.kind == "send_design_proof"
    assert order.reference in action.card
    assert "+33 6•• ••• •78" in action.card  # masked
    assert PHONE not in action.card
    assert "Mug" in action.card
    assert messages_sent(fake_twilio) == []  # nothing before the confirmation

    done = action_confirm(action, who)

    assert done.status == PendingAction.Status.DONE, done.result
    assert done.result_url == f"/orders/{order.number}/"
    [form] = messages_sent(fake_twilio)
    variables = json.loads(form.pop("ContentVariables"))
    assert form == {
        "From": SENDER,
        "To": f"whatsapp:{PHONE}",
        "ContentSid": TEMPLATE_PROOF,
        "StatusCallback": CALLBACK,
    }
    assert (variables["1"], variables["2"]) == ("Ada", order.reference)
    prefix = "http://alpha.localhost/designs/assets/"
    assert variables["3"].startswith(prefix)
    token = variables["3"].removeprefix(prefix).strip("/")
    schema, asset_id = asset_token_read(token)
    assert link_token_read(token, salt=lasting_salt(SALT), max_age=LASTING_MAX_AGE, types=(str, int))
    preview = DesignAsset.objects.get(pk=asset_id)
    assert (schema, preview.kind, preview.design_id) == ("alpha", "preview_jpg", order.items.get().design_id)
    message = WhatsAppMessage.objects.get()
    assert (message.template, message.order_id, message.customer_id) == (
        "design_proof",
        order.pk,
        customer.pk,
    )
    assert (message.answer, message.to, message.twilio_sid[:2]) == ("awaiting", f"whatsapp:{PHONE}", "SM")


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("no_connector", "WhatsApp is not connected or has no design_proof template"),
        ("no_template", "WhatsApp is not connected or has no design_proof template"),
        ("no_consent", "has not agreed to receive marketing messages"),
        ("no_phone", "has no valid phone number"),
        ("no_design", "has no design to send as a proof"),
    ],
)
def test_a_proof_is_refused_without_what_it_needs(tenant, fake_twilio, setup, reason):
    if setup != "no_connector":
        whatsapp_connect(**({"order_confirmed": TEMPLATE_ORDER} if setup == "no_template" else {}))
    if setup == "no_design":
        customer_make(email="bo@example.com", first_name="Bo", phone=PHONE, marketing_consent=True)
        order = order_on(days_ago(0), total="30.00", email="bo@example.com")  # a shop order: no design
    else:
        order, _customer = designed_order(
            consent=setup != "no_consent", phone="" if setup == "no_phone" else PHONE
        )

    with pytest.raises(ValidationFailed) as refused:
        describe(order)
    with pytest.raises(ValidationFailed):
        ACTIONS["send_design_proof"].run({"order": order.reference}, None)

    assert reason in refused.value.message
    assert messages_sent(fake_twilio) == []
    assert not WhatsAppMessage.objects.filter(template="design_proof").exists()


def test_a_refusal_at_confirmation_sends_nothing(tenant, fake_twilio, request):
    whatsapp_connect()
    order, customer = designed_order()
    who, answer = proposed(tenant, request, order)
    Customer.objects.filter(pk=customer.pk).update(marketing_consent=False)  # withdrawn meanwhile

    done = action_confirm(answer.actions[0], who)

    assert done.status == PendingAction.Status.FAILED
    assert "has not agreed to receive marketing messages" in done.result
    assert messages_sent(fake_twilio) == []
    assert not WhatsAppMessage.objects.exists()


def test_a_second_proof_waits_for_the_first_ones_answer(tenant, fake_twilio):
    whatsapp_connect()
    order, _customer = designed_order()
    first = proof_sent(order)

    with pytest.raises(ValidationFailed) as refused:
        describe(order)
    with pytest.raises(ValidationFailed):
        ACTIONS["send_design_proof"].run({"order": order.reference}, None)
    assert "already awaiting the customer's answer" in refused.value.message
    assert len(messages_sent(fake_twilio)) == 1

    assert reply(tenant, customer_says("Non, le texte est trop petit")).status_code == 200
    second = proof_sent(order)

    assert second.pk != first.pk
    assert second.answer == "awaiting"
    assert len(messages_sent(fake_twilio)) == 2


def test_a_proof_that_failed_may_be_sent_again(tenant, fake_twilio):
    whatsapp_connect()
    order, _customer = designed_order()
    first = proof_sent(order)
    WhatsAppMessage.objects.filter(pk=first.pk).update(status="undelivered")  # Twilio's callback

    second = proof_sent(order)

    assert second.pk != first.pk
    assert len(messages_sent(fake_twilio)) == 2


def test_another_workspaces_order_number_is_not_found(other_tenant, tenant, fake_twilio):
    order, _customer = designed_order()
    connection.set_tenant(other_tenant)
    whatsapp_connect()  # beta has WhatsApp too, but not alpha's order

    with pytest.raises(ValidationFailed) as refused:
        describe(order.reference)

    assert refused.value.details == {"order": ["No order has this number."]}
    assert messages_sent(fake_twilio) == []
    connection.set_tenant(tenant)


# --- the customer's reply ------------------------------------------------------------------------


@pytest.fixture
def waiting(tenant, fake_twilio) -> WhatsAppMessage:
    whatsapp_connect()
    order, _customer = designed_order()
    return proof_sent(order)


def test_a_yes_records_the_approval_on_the_order(tenant, waiting):
    response = reply(tenant, customer_says("Oui !"))

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text) == ("approved", "Oui !")
    assert waiting.answered_at is not None
    order = Order.objects.get(pk=waiting.order_id)
    assert order.proof_approved_via == "whatsapp"
    assert order.proof_approved_at is not None
    page = dashboard_client(tenant, member(tenant, Role.VIEWER)).get(f"/orders/{order.number}/")
    assert "Proof approved on WhatsApp" in page.content.decode()


def test_a_no_records_the_decline_with_the_customers_words(tenant, waiting):
    response = reply(tenant, customer_says("non, il y a une faute"))

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text) == ("declined", "non, il y a une faute")
    order = Order.objects.get(pk=waiting.order_id)
    assert (order.proof_approved_at, order.proof_approved_via) == (None, "")
    page = dashboard_client(tenant, member(tenant, Role.VIEWER)).get(f"/orders/{order.number}/")
    assert "Proof approved on WhatsApp" not in page.content.decode()


def test_the_connectors_page_shows_the_answer_escaped(tenant, waiting):
    reply(tenant, customer_says("No: <script>alert(1)</script> the name is wrong"))

    page = dashboard_client(tenant, member(tenant, Role.ADMIN)).get("/copilot/connectors/").content.decode()

    assert "Declined by the customer" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; the name is wrong" in page
    assert "<script>alert(1)</script>" not in page


def test_a_reply_that_says_neither_keeps_the_proof_waiting(tenant, waiting):
    response = reply(tenant, customer_says("Can the mug be blue?"))

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text, waiting.answered_at) == (
        "awaiting",
        "Can the mug be blue?",
        None,
    )
    assert Order.objects.get(pk=waiting.order_id).proof_approved_at is None


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("0" * 32, INBOUND),  # another account's token
        (AUTH_TOKEN, "http://evil.example/copilot/connectors/whatsapp/inbound/"),  # another URL signed
    ],
)
def test_an_unsigned_reply_is_a_403_and_changes_nothing(tenant, waiting, token, url):
    response = reply(tenant, customer_says("Oui"), token=token, url=url)

    assert response.status_code == 403
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text) == ("awaiting", "")
    assert Order.objects.get(pk=waiting.order_id).proof_approved_at is None


def test_no_signature_at_all_is_a_403(tenant, waiting):
    response = Client(HTTP_HOST=host(tenant)).post(INBOUND_PATH, customer_says("Oui"))

    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.answer == "awaiting"


def test_an_unknown_number_is_answered_200_and_changes_nothing(tenant, waiting):
    response = reply(tenant, customer_says("Oui", phone="+33699999999"))

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text) == ("awaiting", "")
    assert Order.objects.get(pk=waiting.order_id).proof_approved_at is None


def test_a_reply_after_the_answer_changes_nothing(tenant, waiting):
    reply(tenant, customer_says("non"))

    response = reply(tenant, customer_says("oui finalement"))

    assert (response.status_code, response.content.decode()) == (200, EMPTY_TWIML)
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answer_text) == ("declined", "non")
    assert Order.objects.get(pk=waiting.order_id).proof_approved_at is None


@pytest.mark.parametrize(
    "params",
    [
        {"Body": "Oui", "MessageSid": "SM" + "1" * 32},  # no From
        {"From": PHONE, "Body": "Oui", "MessageSid": "SM" + "1" * 32},  # not whatsapp:
        {"From": "whatsapp:call me", "Body": "Oui", "MessageSid": "SM" + "1" * 32},
        {"From": f"whatsapp:{PHONE}", "Body": "Oui"},  # no MessageSid
    ],
)
def test_bad_input_is_a_400(tenant, waiting, params):
    response = reply(tenant, params)

    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.answer == "awaiting"


def test_another_workspaces_host_cannot_answer_this_ones_proof(other_tenant, tenant, waiting):
    params = customer_says("Oui")
    url = f"http://beta.localhost{INBOUND_PATH}"

    response = Client(HTTP_HOST=host(other_tenant)).post(
        INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=twilio_signature(AUTH_TOKEN, url, params)
    )

    connection.set_tenant(tenant)
    assert response.status_code == 403  # beta has no WhatsApp connector
    waiting.refresh_from_db()
    assert waiting.answer == "awaiting"


# --- what a reply means; what a card shows of a number -------------------------------------------


@pytest.mark.parametrize(
    ("body", "meaning"),
    [
        ("yes", "approved"),
        ("OK.", "approved"),
        ("Approve!", "approved"),
        ("Oui !", "approved"),
        ("D’accord, merci", "approved"),
        ("d'accord", "approved"),
        ("是的", "approved"),
        ("同意", "approved"),
        ("好！", "approved"),
        ("no", "declined"),
        ("NON, il y a une faute", "declined"),
        ("Please change the colour", "declined"),
        ("pas d'accord", "declined"),
        ("不好", "declined"),
        ("不同意", "declined"),
        ("nothing yet", ""),  # "no" only as a whole word
        ("okapi", ""),
        ("Can the mug be blue?", ""),
        ("", ""),
    ],
)
def test_what_a_reply_means(body, meaning):
    assert reply_meaning(body) == meaning


def test_a_card_shows_a_masked_number():
    assert phone_mask("+33612345678") == "+33 6•• ••• •78"
    assert phone_mask("call me") == "—"
