"""Short-lived bearer tokens for the web page: a key id and secret are exchanged once
(``POST /v1/tokens``) for a token the browser keeps in ``sessionStorage``; the secret itself is
never stored there.

A token is ``dr1.<secret_id>.<expires>.<signature>``: the signature is HMAC-SHA256, with a
sub-key of the server secret (:func:`docrecon.state.secret.derive`, purpose ``web-token``), over
the key id and the expiry. Nothing is stored on the server: any process holding the same server
secret accepts the token until it expires; a revoked key's tokens stop working because the key
itself is checked on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

PREFIX = "dr1"
#: default and largest lifetime of a token (seconds)
DEFAULT_TTL = 3600
MAX_TTL = 12 * 3600


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    secret_id: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenSigner:
    """Issues and checks tokens with one signing key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sign(self, secret_id: str, expires: int) -> str:
        mac = hmac.new(self._key, f"{PREFIX}\n{secret_id}\n{expires}".encode(), hashlib.sha256)
        return _b64(mac.digest())

    def issue(self, secret_id: str, ttl: int = DEFAULT_TTL, now: float | None = None) -> IssuedToken:
        expires = int((time.time() if now is None else now) + max(1, min(ttl, MAX_TTL)))
        token = f"{PREFIX}.{secret_id}.{expires}.{self._sign(secret_id, expires)}"
        return IssuedToken(token, secret_id, expires)

    def verify(self, token: str, now: float | None = None) -> str | None:
        """The key id of a valid, unexpired token, else None."""
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != PREFIX or not parts[2].isdigit():
            return None
        _, secret_id, expires_s, sig = parts
        expires = int(expires_s)
        if not hmac.compare_digest(self._sign(secret_id, expires), sig):
            return None
        if expires < (time.time() if now is None else now):
            return None
        return secret_id

    @staticmethod
    def looks_like(credential: str) -> bool:
        return credential.startswith(PREFIX + ".")
