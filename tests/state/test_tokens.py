"""Bearer tokens of the web page: signed key id and expiry, nothing stored."""

from __future__ import annotations

from docrecon.state.tokens import MAX_TTL, TokenSigner

SIGNER = TokenSigner(b"k" * 32)


def test_round_trip_and_expiry() -> None:
    issued = SIGNER.issue("AKIDabc", ttl=60, now=1000.0)
    assert issued.expires == 1060 and issued.token.startswith("dr1.AKIDabc.1060.")
    assert SIGNER.verify(issued.token, now=1059.0) == "AKIDabc"
    assert SIGNER.verify(issued.token, now=1061.0) is None


def test_lifetime_is_capped() -> None:
    assert SIGNER.issue("AKIDabc", ttl=10 * MAX_TTL, now=0.0).expires == MAX_TTL


def test_tampering_and_other_keys_fail() -> None:
    token = SIGNER.issue("AKIDabc", now=0.0).token
    prefix, sid, expires, sig = token.split(".")
    assert SIGNER.verify(f"{prefix}.AKIDxyz.{expires}.{sig}", now=0.0) is None
    assert SIGNER.verify(f"{prefix}.{sid}.{int(expires) + 1}.{sig}", now=0.0) is None
    assert TokenSigner(b"j" * 32).verify(token, now=0.0) is None
    for junk in ("", "dr1", "dr1.a.b.c", "AKID:secret", "dr1.a.1.b.c"):
        assert SIGNER.verify(junk) is None


def test_token_is_told_from_a_key_pair() -> None:
    assert TokenSigner.looks_like(SIGNER.issue("AKIDabc").token)
    assert not TokenSigner.looks_like("AKIDabc:secret")
