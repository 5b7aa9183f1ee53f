"""The official Tencent Cloud SDK pointed at a test server (spec §1.7)."""

from __future__ import annotations

import json
from typing import Any

from apiserver import Server
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.lkeap.v20240522 import lkeap_client, models


def client(
    srv: Server, secret_id: str | None = None, secret_key: str | None = None, token: str | None = None
) -> lkeap_client.LkeapClient:
    http = HttpProfile(endpoint=srv.host, protocol="http", reqTimeout=60)
    cred = credential.Credential(secret_id or srv.secret_id, secret_key or srv.secret_key, token)
    return lkeap_client.LkeapClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http))


def sse_request(**fields: Any) -> models.ReconstructDocumentSSERequest:
    req = models.ReconstructDocumentSSERequest()
    config = fields.pop("Config", None)
    req._deserialize(fields)
    if config is not None:
        req.Config = models.ReconstructDocumentSSEConfig()
        req.Config._deserialize(config)
    return req


def events(result: Any) -> list[dict[str, Any]]:
    """The decoded ``data`` of every event of an SDK SSE result."""
    assert not isinstance(result, models.ReconstructDocumentSSEResponse), "got JSON instead of a stream"
    return [json.loads(ev["data"]) for ev in result if "data" in ev]
