"""TC3-HMAC-SHA256, as the Tencent Cloud SDK signs (spec §1.3): signing and verification.

Verification works on the raw request: the ``Host`` header as received (with its port), the
exact body bytes, the header values as sent. No replay cache: TC3 signs no nonce, so identical
calls within a second are legitimate; the timestamp window is the replay bound.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from docrecon.errors import AuthError, SignatureExpired, SignatureMismatch

ALGORITHM = "TC3-HMAC-SHA256"
_PAIR = re.compile(r"\s*([A-Za-z]+)\s*=\s*([^,]*)")


@dataclass(frozen=True, slots=True)
class Authorization:
    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def parse_authorization(value: str | None) -> Authorization:
    """Parse the ``Authorization`` header; raises ``AuthFailure.InvalidAuthorization``."""
    bad = AuthError("the Authorization header is missing or malformed")
    if not value:
        raise bad
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise bad
    pairs = {k: v.strip() for k, v in _PAIR.findall(rest)}
    credential = pairs.get("Credential", "").split("/")
    signed = pairs.get("SignedHeaders", "")
    signature = pairs.get("Signature", "")
    if len(credential) != 4 or credential[3] != "tc3_request" or not signed or not signature:
        raise bad
    if not all(credential[:3]):
        raise bad
    headers = tuple(h.strip().lower() for h in signed.split(";") if h.strip())
    return Authorization(credential[0], credential[1], credential[2], headers, signature.lower())


def canonical_request(
    method: str,
    query: str,
    headers: Mapping[str, str],
    signed: tuple[str, ...],
    body: bytes,
    lower_values: bool,
    unsigned_payload: bool = False,
) -> str:
    lines = []
    for name in sorted(signed):
        value = headers.get(name, "").strip()
        lines.append(f"{name}:{value.lower() if lower_values else value}\n")
    payload = b"UNSIGNED-PAYLOAD" if unsigned_payload else body
    return "\n".join(
        [method.upper(), "/", query, "".join(lines), ";".join(sorted(signed)), _sha256_hex(payload)]
    )


def signature(secret_key: str, service: str, timestamp: int, canonical: str) -> str:
    date = utc_date(timestamp)
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join([ALGORITHM, str(timestamp), scope, _sha256_hex(canonical.encode("utf-8"))])
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    k_signing = _hmac(k_service, "tc3_request")
    return hmac.new(k_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_headers(
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    body: bytes,
    timestamp: int,
    content_type: str = "application/json",
) -> str:
    """The ``Authorization`` value the SDK would send (tests and the benchmark use it)."""
    headers = {"content-type": content_type, "host": host}
    signed = ("content-type", "host")
    canon = canonical_request("POST", "", headers, signed, body, lower_values=False)
    sig = signature(secret_key, service, timestamp, canon)
    return (
        f"{ALGORITHM} Credential={secret_id}/{utc_date(timestamp)}/{service}/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={sig}"
    )


def check_timestamp(value: str | None, window: int, now: float | None = None) -> int:
    try:
        ts = int(value or "")
    except ValueError:
        raise SignatureExpired("X-TC-Timestamp is missing or not a number") from None
    if abs((now if now is not None else time.time()) - ts) > window:
        raise SignatureExpired(
            f"the signature expired (timestamp {ts} is outside the {window} s window)",
        )
    return ts


def verify(
    auth: Authorization,
    secret_key: str,
    service: str,
    timestamp: int,
    method: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
) -> None:
    """Raise ``AuthFailure.SignatureFailure`` unless the signature matches (spec §1.3.3)."""
    if auth.service != service:
        raise SignatureMismatch(
            f"credential scope names service {auth.service!r}, this action belongs to {service!r}",
        )
    if auth.date != utc_date(timestamp):
        raise SignatureMismatch("the credential date does not match X-TC-Timestamp")
    if "host" not in auth.signed_headers or "content-type" not in auth.signed_headers:
        raise SignatureMismatch("SignedHeaders must include content-type and host")
    unsigned = headers.get("x-tc-content-sha256", "") == "UNSIGNED-PAYLOAD"
    for lower in (True, False):
        canon = canonical_request(method, query, headers, auth.signed_headers, body, lower, unsigned)
        if hmac.compare_digest(signature(secret_key, service, timestamp, canon), auth.signature):
            return
    raise SignatureMismatch("the signature does not match")
