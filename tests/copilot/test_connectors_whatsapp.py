"""WhatsApp through Twilio: connect and test (the account call, 401), template messages sent from
a task when an order is placed or a design turns ready — only to customers who agreed to
marketing messages and have a phone number, once per order even when the task runs again — with
the status callback on the workspace's canonical host; Twilio's signed status callbacks (403
unsigned, 404 unknown, 400 malformed). Twilio is a local fake at the HTTP level."""

import json

import pytest
from django.db import connection
from django.test import Client

from apps.copilot.connectors.errors import WhatsAppRefused
from apps.copilot.connectors.services import connector_connect, whatsapp_notify
from apps.copilot.connectors.tasks import whatsapp_order_confirmed_task
from apps.copilot.models import Connector, WhatsAppMessage
from apps.crm.models import Customer
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, design_started, widget_order
from tests.support.factories.analytics import days_ago, order_on
from tests.support.factories.products import product_make
from tests.support.fakes.twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SENDER,
    TEMPLATE_DESIGN,
    TEMPLATE_ORDER,
    twilio_server,
    twilio_signature,
)
from tests.support.workspaces import host, member

STATUS_PATH = "/copilot/connectors/whatsapp/status/"
CALLBACK = f"http://alpha.localhost{STATUS_PATH}"  # the canonical host (tests: http, no port)
PHONE = "+33612345678"


@pytest.fixture
def fake_twilio(settings):
    with twilio_server(settings) as fake:
        yield fake


def whatsapp_connect(**templates) -> Connector:
    return connector_connect(
        kind="whatsapp",
        credentials={"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN},
        options={
            "sender": "whatsapp:+1 415 523 8886",
            "templates": templates or {"order_confirmed": TEMPLATE_ORDER},
        },
    )


def messages_sent(fake) -> list[dict]:
    return [request["form"] for request in fake.requests if request["path"].endswith("/Messages.json")]


def ordered(email: str, send_eagerly, **customer) -> tuple:
    """A customer (with `customer` fields) who places an order; tasks queued run at the commit."""
    person = customer_make(email=email, first_name="Ada", **customer)
    with send_eagerly():
        order = order_on(days_ago(0), total="30.00", email=email)
    return person, order


# --- connect -------------------------------------------------------------------------------------


def test_an_admin_connects_twilio_after_one_account_call(tenant, fake_twilio):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))
    data = {
        "whatsapp-account_sid": ACCOUNT_SID,
        "whatsapp-auth_token": AUTH_TOKEN,
        "whatsapp-sender": "whatsapp:+14155238886",
        "whatsapp-template_order_confirmed": TEMPLATE_ORDER,
        "whatsapp-template_design_ready": "",
        "whatsapp-template_design_proof": "",
    }

    response = admin.post("/copilot/connectors/whatsapp/connect/", data)

    assert response.status_code == 302
    connector = Connector.objects.get(kind="whatsapp")
    assert connector.settings == {
        "sender": SENDER,
        "templates": {"order_confirmed": TEMPLATE_ORDER, "design_ready": "", "design_proof": ""},
    }
    [call] = fake_twilio.requests
    assert (call["method"], call["path"]) == ("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    assert AUTH_TOKEN not in connector.credentials
    assert AUTH_TOKEN not in admin.get("/copilot/connectors/").content.decode()


def test_a_refused_auth_token_is_a_form_error_and_a_bad_template_sid_too(tenant, fake_twilio):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))
    data = {
        "whatsapp-account_sid": ACCOUNT_SID,
        "whatsapp-auth_token": "0" * 32,
        "whatsapp-sender": SENDER,
        "whatsapp-template_order_confirmed": TEMPLATE_ORDER,
    }

    refused = admin.post("/copilot/connectors/whatsapp/connect/", data)
    malformed = admin.post(
        "/copilot/connectors/whatsapp/connect/", {**data, "whatsapp-template_order_confirmed": "order-1"}
    )

    assert refused.status_code == 400
    assert "Twilio refused the credentials" in refused.content.decode()
    assert malformed.status_code == 400
    assert "A template SID is HX followed by 32 letters and digits." in malformed.content.decode()
    assert len(fake_twilio.requests) == 1  # the malformed form never reached Twilio
    assert not Connector.objects.exists()


def test_testing_the_connection_records_a_401(tenant, fake_twilio):
    whatsapp_connect()
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))
    fake_twilio.auth_token = "1" * 32  # rotated in the Twilio Console

    admin.post("/copilot/connectors/whatsapp/test/")

    connector = Connector.objects.get()
    assert connector.status == "error"
    assert "Twilio refused the credentials" in connector.last_error


# --- sending -------------------------------------------------------------------------------------


def test_an_order_sends_the_confirmation_to_an_opted_in_customer_once(tenant, fake_twilio, send_eagerly):
    whatsapp_connect()

    customer, order = ordered("ada@example.com", send_eagerly, phone=PHONE, marketing_consent=True)
    whatsapp_order_confirmed_task.apply(args=[order.number])  # redelivered: nothing more is sent

    [form] = messages_sent(fake_twilio)
    assert form == {
        "From": SENDER,
        "To": f"whatsapp:{PHONE}",
        "ContentSid": TEMPLATE_ORDER,
        "ContentVariables": json.dumps({"1": "Ada", "2": order.reference}),
        "StatusCallback": CALLBACK,
    }
    message = WhatsAppMessage.objects.get()
    assert (message.customer_id, message.order_id, message.template) == (
        customer.pk,
        order.pk,
        "order_confirmed",
    )
    assert message.twilio_sid.startswith("SM")
    assert message.status == "queued"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"phone": PHONE, "marketing_consent": None}, "has not agreed to receive marketing messages"),
        ({"phone": PHONE, "marketing_consent": False}, "has not agreed to receive marketing messages"),
        ({"phone": "", "marketing_consent": True}, "has no valid phone number"),
        ({"phone": "call me", "marketing_consent": True}, "has no valid phone number"),
    ],
)
def test_nothing_is_sent_without_consent_or_phone(tenant, fake_twilio, send_eagerly, fields, reason):
    whatsapp_connect()

    customer, order = ordered("bob@example.com", send_eagerly, **fields)

    assert messages_sent(fake_twilio) == []
    assert not WhatsAppMessage.objects.exists()
    with pytest.raises(WhatsAppRefused) as refused:
        whatsapp_notify(template="order_confirmed", customer=customer, variables={}, order_id=order.pk)
    assert reason in refused.value.message


def test_without_the_template_or_the_connector_no_task_sends(tenant, fake_twilio, send_eagerly):
    whatsapp_connect(design_ready=TEMPLATE_DESIGN)  # no order_confirmed template

    ordered("cy@example.com", send_eagerly, phone=PHONE, marketing_consent=True)

    assert messages_sent(fake_twilio) == []
    assert not WhatsAppMessage.objects.exists()


def test_a_number_twilio_refuses_is_recorded_failed_and_not_retried(tenant, fake_twilio, send_eagerly):
    whatsapp_connect()
    fake_twilio.unreachable.add(PHONE)

    _customer, order = ordered("dee@example.com", send_eagerly, phone=PHONE, marketing_consent=True)
    whatsapp_order_confirmed_task.apply(args=[order.number])

    message = WhatsAppMessage.objects.get()
    assert (message.status, message.error_code, message.twilio_sid) == ("failed", "21211", "")
    assert len(messages_sent(fake_twilio)) == 1


def test_a_design_ready_for_a_known_customer_sends_design_ready(tenant, fake_twilio, send_eagerly):
    whatsapp_connect(design_ready=TEMPLATE_DESIGN)
    mug = product_make()
    widget_order(mug, email="eve@example.com", name="Eve Adams", session="s-eve")
    Customer.objects.filter(email="eve@example.com").update(marketing_consent=True, phone=PHONE)

    with send_eagerly():
        design = design_started(mug, session="s-eve", prompt="A fox in the snow", ready=True)

    [form] = messages_sent(fake_twilio)
    assert (form["ContentSid"], form["To"]) == (TEMPLATE_DESIGN, f"whatsapp:{PHONE}")
    assert json.loads(form["ContentVariables"]) == {"1": "Eve", "2": "Mug"}
    assert WhatsAppMessage.objects.get().design_id == design.pk


# --- status callbacks ----------------------------------------------------------------------------


@pytest.fixture
def sent(tenant, fake_twilio, send_eagerly) -> WhatsAppMessage:
    whatsapp_connect()
    ordered("fay@example.com", send_eagerly, phone=PHONE, marketing_consent=True)
    return WhatsAppMessage.objects.get()


def callback(tenant, params: dict, *, token: str = AUTH_TOKEN, url: str = CALLBACK):
    """Twilio's POST (anonymous, no CSRF token), signed with `token` over `url`."""
    client = Client(HTTP_HOST=host(tenant), enforce_csrf_checks=True)
    return client.post(STATUS_PATH, params, HTTP_X_TWILIO_SIGNATURE=twilio_signature(token, url, params))


def test_a_signed_callback_updates_the_status_and_never_moves_it_back(tenant, sent):
    params = {"MessageSid": sent.twilio_sid, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}

    delivered = callback(tenant, params)
    late = callback(tenant, {**params, "MessageStatus": "sent"})

    assert (delivered.status_code, late.status_code) == (204, 204)
    sent.refresh_from_db()
    assert sent.status == "delivered"


def test_a_failure_callback_records_twilios_error_code(tenant, sent):
    params = {"MessageSid": sent.twilio_sid, "MessageStatus": "undelivered", "ErrorCode": "63016"}

    assert callback(tenant, params).status_code == 204

    sent.refresh_from_db()
    assert (sent.status, sent.error_code) == ("undelivered", "63016")


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("0" * 32, CALLBACK),  # another account's token
        (AUTH_TOKEN, "http://evil.example/copilot/connectors/whatsapp/status/"),  # another URL signed
    ],
)
def test_an_unsigned_callback_is_a_403_and_changes_nothing(tenant, sent, token, url):
    response = callback(
        tenant, {"MessageSid": sent.twilio_sid, "MessageStatus": "read"}, token=token, url=url
    )

    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == "queued"


def test_no_signature_at_all_is_a_403(tenant, sent):
    client = Client(HTTP_HOST=host(tenant))

    response = client.post(STATUS_PATH, {"MessageSid": sent.twilio_sid, "MessageStatus": "read"})

    assert response.status_code == 403


def test_an_unknown_sid_is_a_404_and_bad_input_a_400(tenant, sent):
    unknown = callback(tenant, {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"})
    bad_status = callback(tenant, {"MessageSid": sent.twilio_sid, "MessageStatus": "exploded"})
    no_sid = callback(tenant, {"MessageStatus": "delivered"})

    assert (unknown.status_code, bad_status.status_code, no_sid.status_code) == (404, 400, 400)


def test_another_workspaces_callback_cannot_reach_this_ones_messages(other_tenant, tenant, sent):
    url = f"http://beta.localhost{STATUS_PATH}"
    params = {"MessageSid": sent.twilio_sid, "MessageStatus": "read"}
    client = Client(HTTP_HOST=host(other_tenant))

    response = client.post(
        STATUS_PATH, params, HTTP_X_TWILIO_SIGNATURE=twilio_signature(AUTH_TOKEN, url, params)
    )

    connection.set_tenant(tenant)
    assert response.status_code == 403  # beta has no WhatsApp connector
    sent.refresh_from_db()
    assert sent.status == "queued"
