"""Hand-signed cloud API calls with httpx (for what the SDK cannot send: bad signatures,
old timestamps, byte-identical repeats)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from apiserver import Server

from docrecon.api.tc3 import sign_headers


def signed_headers(
    srv: Server,
    action: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    secret_id: str | None = None,
    secret_key: str | None = None,
    service: str = "lkeap",
    version: str = "2024-05-22",
    token: str | None = None,
) -> dict[str, str]:
    ts = timestamp if timestamp is not None else int(time.time())
    headers = {
        "Content-Type": "application/json",
        "Host": srv.host,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(ts),
        "X-TC-Region": "ap-guangzhou",
        "Authorization": sign_headers(
            secret_id or srv.secret_id, secret_key or srv.secret_key, service, srv.host, body, ts
        ),
    }
    if token is not None:
        headers["X-TC-Token"] = token
    return headers


def call(srv: Server, action: str, params: dict[str, Any], **kw: Any) -> httpx.Response:
    body = json.dumps(params).encode()
    return httpx.post(
        srv.url + "/", content=body, headers=signed_headers(srv, action, body, **kw), timeout=30
    )


def error_code(resp: httpx.Response) -> str | None:
    """The §1.4 error code, after checking the envelope's exact transport shape."""
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    body = resp.json()["Response"]
    assert body["RequestId"]
    err = body.get("Error")
    return None if err is None else str(err["Code"])


def sse_events(resp: httpx.Response) -> list[dict[str, Any]]:
    assert resp.headers["content-type"] == "text/event-stream", resp.text[:300]
    text = resp.text
    assert text.endswith("\n\n") and "\r" not in text
    out = []
    for block in text.split("\n\n")[:-1]:
        assert block.startswith("data: ") and "\n" not in block, block
        out.append(json.loads(block[len("data: ") :]))
    return out
