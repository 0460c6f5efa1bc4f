"""The signature header and the verification partners run (docs/webhooks.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apps.webhooks import signing

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
SECRET = "whsec_test-secret"
BODY = b'{"change":"publish","seq":42}'


def test_a_signature_verifies_within_the_window_and_not_outside():
    header = signing.signature_header(SECRET, BODY, timestamp=1_700_000_000)
    assert re.fullmatch(r"t=1700000000,v1=[0-9a-f]{64}", header)
    assert signing.verify_signature(SECRET, header, BODY, now=1_700_000_000 + 300)
    assert not signing.verify_signature(SECRET, header, BODY, now=1_700_000_000 + 301)
    assert not signing.verify_signature(SECRET, header, BODY, now=1_700_000_000 - 301)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b: (h, b + b" "),  # body changed
        lambda h, b: (h.replace("t=1700000000", "t=1700000001"), b),  # timestamp changed
        lambda h, b: (h.split(",")[1], b),  # no timestamp
        lambda h, b: (h.split(",")[0], b),  # no signature
        lambda h, b: ("", b),
        lambda h, b: ("t=\u0661\u0667" + "\u0660" * 8 + "," + h.split(",")[1], b),  # Arabic-Indic digits
    ],
)
def test_tampering_fails(tamper):
    header, body = tamper(signing.signature_header(SECRET, BODY, timestamp=1_700_000_000), BODY)
    assert not signing.verify_signature(SECRET, header, body, now=1_700_000_000)


def test_any_of_several_signatures_may_match():
    good = signing.signature_header(SECRET, BODY, timestamp=1_700_000_000)
    header = f"t=1700000000,v1={'0' * 64},{good.split(',')[1]}"
    assert signing.verify_signature(SECRET, header, BODY, now=1_700_000_000)


def test_the_snippet_in_the_partner_docs_verifies_our_signatures():
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation
    header = signing.signature_header(SECRET, BODY)
    assert namespace["verify"](SECRET, header, BODY) is True
    assert namespace["verify"](SECRET, header, BODY + b"x") is False
    old = signing.signature_header(SECRET, BODY, timestamp=1_700_000_000)
    assert namespace["verify"](SECRET, old, BODY) is False
