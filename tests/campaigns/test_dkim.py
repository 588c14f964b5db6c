"""DKIM: with a key configured, campaign mail leaving through SMTP is signed, and the signature
covers List-Unsubscribe and List-Unsubscribe-Post (a relay that changes them breaks it)."""

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.campaigns import services
from tests.support.campaigns import campaign_make
from tests.support.crm_pages import customer_make


@pytest.fixture
def dkim_key(settings):
    """A fresh key in the settings; answers the DNS TXT record a receiver would look up."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.DKIM_DOMAIN, settings.DKIM_SELECTOR = "brand.example", "s1"
    settings.DKIM_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):
        return record if name == b"s1._domainkey.brand.example." else None

    return dns


def test_campaign_mail_through_smtp_is_signed_with_the_unsubscribe_headers(
    tenant, smtp_server, dkim_key, send_eagerly
):
    customer_make(first_name="Anna", email="anna@example.com", marketing_consent=True)
    with send_eagerly():
        services.campaign_start(campaign=campaign_make())

    raw = smtp_server.raw[0]
    signature = smtp_server.received[0]["DKIM-Signature"]
    signed = {name.strip().lower() for name in signature.split(" h=")[1].split(";")[0].split(":")}
    forged = raw.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x")

    assert dkim.verify(raw, dnsfunc=dkim_key)
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "subject"} <= signed
    assert forged != raw
    assert not dkim.verify(forged, dnsfunc=dkim_key)


def test_without_a_key_nothing_is_signed(tenant, smtp_server, send_eagerly):
    customer_make(first_name="Anna", email="anna@example.com", marketing_consent=True)
    with send_eagerly():
        services.campaign_start(campaign=campaign_make())

    assert smtp_server.received[0]["DKIM-Signature"] is None
