"""Clients of the LKE real-time parse flow for tests: the official lke SDK for storage
credentials, the official COS SDK for uploads, httpx for docParse and chat streams."""

from __future__ import annotations

import json
from typing import Any

import httpx
from apiserver import Server
from qcloud_cos import CosConfig, CosS3Client
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.lke.v20231130 import lke_client, models

SESSION = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"


def lke_client_for(srv: Server) -> lke_client.LkeClient:
    http = HttpProfile(endpoint=srv.host, protocol="http", reqTimeout=60)
    cred = credential.Credential(srv.secret_id, srv.secret_key)
    return lke_client.LkeClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http))


def storage_credential(srv: Server, file_type: str, bot: str | None) -> dict[str, Any]:
    req = models.DescribeStorageCredentialRequest()
    params: dict[str, Any] = {"FileType": file_type, "IsPublic": False, "TypeKey": "realtime"}
    if bot is not None:
        params["BotBizId"] = bot
    req._deserialize(params)
    resp = lke_client_for(srv).DescribeStorageCredential(req)
    return json.loads(resp.to_json_string())  # type: ignore[no-any-return]


def cos_client(srv: Server, cred: dict[str, Any]) -> CosS3Client:
    port = int(srv.host.rsplit(":", 1)[1])
    config = CosConfig(
        Region=cred["Region"],
        SecretId=cred["Credentials"]["TmpSecretId"],
        SecretKey=cred["Credentials"]["TmpSecretKey"],
        Token=cred["Credentials"]["Token"],
        Scheme="http",
        IP="127.0.0.1",
        Port=port,
    )
    return CosS3Client(config)


def upload(srv: Server, bot: str, data: bytes, file_type: str = "pdf") -> tuple[dict[str, Any], dict[str, Any]]:
    cred = storage_credential(srv, file_type, bot)
    put = cos_client(srv, cred).put_object(Bucket=cred["Bucket"], Key=cred["UploadPath"], Body=data)
    return cred, put


def doc_parse(srv: Server, body: dict[str, Any]) -> list[dict[str, Any]]:
    """All events of one docParse call; checks the SSE framing on the way."""
    with httpx.stream(
        "POST",
        f"{srv.url}/v1/qbot/chat/docParse",
        json=body,
        headers={"Accept": "text/event-stream"},
        timeout=120,
    ) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"] == "text/event-stream"
        text = resp.read().decode()
    events = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0] == "event: parsing" and lines[1].startswith("data: ")
        events.append(json.loads(lines[1][6:]))
    assert events and all(e["type"] == "parsing" for e in events)
    assert len({e["message_id"] for e in events}) == 1
    assert [e["payload"]["is_final"] for e in events] == [False] * (len(events) - 1) + [True]
    return events


def parse_body(bot_key: str, cred: dict[str, Any], put: dict[str, Any], nbytes: int, **extra: Any) -> dict[str, Any]:
    body = {
        "session_id": SESSION,
        "bot_app_key": bot_key,
        "request_id": "r-1",
        "cos_bucket": cred["Bucket"],
        "file_type": "pdf",
        "file_name": "report.pdf",
        "cos_url": cred["UploadPath"],
        "cos_hash": put["x-cos-hash-crc64ecma"],
        "e_tag": put["ETag"],
        "size": str(nbytes),
    }
    body.update(extra)
    return body


def sse_events(srv: Server, path: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(event name, decoded data) of every event of a POST that answers with SSE."""
    with httpx.stream("POST", f"{srv.url}{path}", json=body, headers={"Accept": "text/event-stream"}, timeout=120) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/event-stream"
        text = r.read().decode()
    out = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0].startswith("event: ") and lines[1].startswith("data: ") and len(lines) == 2
        name, data = lines[0][7:], json.loads(lines[1][6:])
        assert data["type"] == name
        out.append((name, data))
    return out


def parsed_doc(
    srv: Server,
    app_id: str,
    bot_key: str,
    data: bytes,
    session: str = SESSION,
    file_type: str = "pdf",
    name: str = "report.pdf",
) -> str:
    """Upload and parse ``data`` in ``session``; returns the doc_id."""
    cred, put = upload(srv, app_id, data, file_type)
    body = parse_body(bot_key, cred, put, len(data), session_id=session, file_type=file_type, file_name=name)
    events = doc_parse(srv, body)
    assert events[-1]["payload"]["status"] == "SUCCESS", events[-1]
    return str(events[-1]["payload"]["doc_id"])
