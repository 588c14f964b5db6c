"""The Luneo-Signature header, and the verification recipe in docs/webhooks.md."""

import re
import time
from pathlib import Path

import pytest

from apps.core.signatures import secret_new, signature_header, signature_verify

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
BODY = b'{"id":"evt_1","type":"order.created","created":1,"data":{}}'


def test_a_header_verifies_only_with_its_secret_body_and_recent_time():
    secret = secret_new()
    header = signature_header(secret=secret, body=BODY)

    assert secret.startswith("whsec_")
    assert signature_verify(secret=secret, header=header, body=BODY)
    assert not signature_verify(secret=secret_new(), header=header, body=BODY)
    assert not signature_verify(secret=secret, header=header, body=BODY + b" ")
    assert not signature_verify(secret=secret, header=header, body=BODY, now=int(time.time()) + 301)
    assert signature_verify(
        secret=secret, header=header, body=BODY, tolerance=600, now=int(time.time()) + 301
    )


@pytest.mark.parametrize("header", ["", "garbage", "t=abc,v1=00", "v1=00", "t=1700000000"])
def test_malformed_headers_do_not_verify(header):
    assert not signature_verify(secret="whsec_x", header=header, body=BODY, now=1700000000)


def test_any_v1_signature_in_the_header_may_match():
    secret = secret_new()
    header = signature_header(secret=secret, body=BODY, timestamp=1700000000)

    assert signature_verify(secret=secret, header=f"{header},v1=deadbeef", body=BODY, now=1700000000)
    assert signature_verify(
        secret=secret, header=header.replace("t=", "v1=beef,t="), body=BODY, now=1700000000
    )


def test_the_documented_python_recipe_verifies_our_signatures():
    # Given the receiver code shown in docs/webhooks.md
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL).group(1)
    namespace: dict = {}
    exec(code, namespace)  # our own documentation
    verify = namespace["luneo_signature_valid"]
    secret = secret_new()

    # Then it accepts our header and refuses a tampered body or another secret
    header = signature_header(secret=secret, body=BODY)
    assert verify(secret, header, BODY)
    assert not verify(secret, header, BODY.replace(b"order", b"0rder"))
    assert not verify(secret_new(), header, BODY)
