"""The Tencent Cloud API 3.0 front door: ``POST /``, routed on ``X-TC-Action``.

Products register their actions in :data:`ACTIONS` (``api/lkeap.py`` now; ``api/lke.py`` later)
with the signing service and versions they answer. This module reads the body once (capped),
checks action and version, verifies TC3 (spec §1.3.3), applies the per-key rate limit and
permissions, parses the JSON, and turns every :class:`DocreconError` into the §1.4 envelope.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from docrecon.api import tc3
from docrecon.api.body import read_capped
from docrecon.api.errors import cloud_error
from docrecon.api.services import ANONYMOUS, Services
from docrecon.api.webassets import index_page
from docrecon.errors import (
    AuthError,
    BodyTooLarge,
    DocreconError,
    InputError,
    NotPermitted,
    TokenInvalid,
    UnknownAction,
    UnknownSecretId,
    UnknownVersion,
    UnsupportedProtocol,
)
from docrecon.state.keys import ApiKey

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CloudCall:
    request: Request
    request_id: str
    action: str
    params: dict[str, Any]
    key: ApiKey | None
    services: Services

    @property
    def key_id(self) -> str:
        return self.key.secret_id if self.key else ANONYMOUS

    @property
    def base_url(self) -> str:
        return base_url_of(self.request)


def base_url_of(request: Request) -> str:
    """Scheme and host the client used to reach us (result links point back there)."""
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}"


Handler = Callable[[CloudCall], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class CloudAction:
    service: str
    versions: frozenset[str]
    handler: Handler
    #: authenticated callers only (False: e.g. a public action of a future product)
    signed: bool = field(default=True)


ACTIONS: dict[str, CloudAction] = {}


def register(action: str, service: str, version: str, handler: Handler) -> None:
    ACTIONS[action] = CloudAction(service, frozenset({version}), handler)


router = APIRouter(include_in_schema=False)


async def _read_body(request: Request, limit: int) -> bytes:
    body = await read_capped(request, limit)
    if body is None:
        raise BodyTooLarge(f"the request body exceeds {limit} bytes")
    return body


def _route(request: Request, body: bytes) -> tuple[str, CloudAction]:
    name = request.headers.get("x-tc-action", "")
    if not name:
        if b"Action=" in body or "Action" in request.query_params:
            raise AuthError(
                "signature v1 is not supported; use TC3-HMAC-SHA256"
            )
        raise UnknownAction("the X-TC-Action header is missing")
    action = ACTIONS.get(name)
    if action is None:
        raise UnknownAction(f"the action {name} is not supported")
    version = request.headers.get("x-tc-version", "")
    if version not in action.versions:
        raise UnknownVersion(f"version {version!r} of {name} is not supported")
    return name, action


def _authenticate(request: Request, body: bytes, action: CloudAction, services: Services) -> ApiKey | None:
    if not services.settings.auth.enabled:
        return None
    value = request.headers.get("authorization")
    if value is not None and value.strip() == "SKIP":
        raise AuthError("unsigned requests are not accepted")
    auth = tc3.parse_authorization(value)
    key = services.keys.active(auth.secret_id)
    if key is None:
        raise UnknownSecretId("the SecretId is unknown, revoked or expired")
    ts = tc3.check_timestamp(request.headers.get("x-tc-timestamp"), services.settings.auth.window)
    headers = {k.lower(): v for k, v in request.headers.items()}
    tc3.verify(auth, key.secret_key, action.service, ts, request.method, request.url.query, headers, body)
    if not key.token_ok(request.headers.get("x-tc-token")):
        raise TokenInvalid("X-TC-Token is missing or does not belong to this key")
    return key


def _params(body: bytes) -> dict[str, Any]:
    try:
        params = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InputError("the request body is not valid JSON") from None
    if not isinstance(params, dict):
        raise InputError("the request body must be a JSON object")
    return params


@router.post("/")
async def cloud_entry(request: Request) -> Response:
    services: Services = request.app.state.services
    request_id = str(uuid.uuid4())
    try:
        body = await _read_body(request, services.settings.server.max_body_bytes)
        name, action = _route(request, body)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise UnsupportedProtocol("send a JSON body (Content-Type: application/json)")
        key = _authenticate(request, body, action, services)
        if key is not None and not key.allows(name):
            raise NotPermitted(f"this key may not call {name}")
        services.limiter.check(key.secret_id if key else ANONYMOUS)
        call = CloudCall(request, request_id, name, _params(body), key, services)
        return await action.handler(call)
    except DocreconError as exc:
        return cloud_error(exc, request_id)
    except Exception:  # noqa: BLE001 - every failure must reach the client as the §1.4 envelope
        log.exception("request %s failed", request_id)
        return cloud_error(DocreconError("internal error"), request_id)


@router.get("/")
async def cloud_get(request: Request) -> Response:
    """``GET`` calls of the SDK (``reqMethod="GET"``) are not served (spec §1.1); browsers get the web page."""
    if "x-tc-action" in request.headers or "Action" in request.query_params:
        exc = UnsupportedProtocol("use POST with a JSON body")
        return cloud_error(exc, str(uuid.uuid4()))
    return index_page()
