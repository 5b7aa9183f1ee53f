"""The server secret: 32 random bytes in ``<data_dir>/server.key`` (mode 0600), from which each
purpose derives its own key (API key encryption, COS credentials, result URL signing).

In a deployment of several processes every one of them reads the same file (a shared volume or
a mounted secret): a key encrypted by one process must be readable by all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path


def load_server_secret(data_dir: Path) -> bytes:
    """The 32-byte server secret, created on first use with owner-only permissions."""
    path = data_dir / "server.key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        return base64.urlsafe_b64decode(path.read_bytes().strip())
    except FileNotFoundError:
        pass
    raw = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(base64.urlsafe_b64encode(raw))
    return raw


def derive(secret: bytes, purpose: str) -> bytes:
    """A sub-key of the server secret for one purpose (key encryption, URL signing ...)."""
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
