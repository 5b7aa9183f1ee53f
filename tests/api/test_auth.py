"""TC3 verification and the cloud API front door, with hand-signed requests (spec §1.3, §1.6)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from apiserver import Server, b64, make_pdf
from click.testing import CliRunner
from sdk import client, sse_request
from signing import call, error_code, signed_headers, sse_events
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from docrecon.api.commands import keys

GET = "GetReconstructDocumentResult"
UNKNOWN_TASK = {"TaskId": "00000000-0000-0000-0000-000000000000"}


def test_valid_signature_reaches_the_action(server: Server) -> None:
    assert error_code(call(server, GET, UNKNOWN_TASK)) == "ResourceNotFound"


def test_bad_signature(server: Server) -> None:
    assert (
        error_code(call(server, GET, UNKNOWN_TASK, secret_key="wrong-secret"))
        == "AuthFailure.SignatureFailure"
    )


def test_body_changed_after_signing(server: Server) -> None:
    body = json.dumps(UNKNOWN_TASK).encode()
    headers = signed_headers(server, GET, body)
    resp = httpx.post(server.url + "/", content=body.replace(b"0000", b"1111", 1), headers=headers)
    assert error_code(resp) == "AuthFailure.SignatureFailure"


def test_wrong_service_scope(server: Server) -> None:
    assert error_code(call(server, GET, UNKNOWN_TASK, service="lke")) == "AuthFailure.SignatureFailure"


def test_expired_timestamp(server: Server) -> None:
    resp = call(server, GET, UNKNOWN_TASK, timestamp=int(time.time()) - 301)
    assert error_code(resp) == "AuthFailure.SignatureExpire"
    resp = call(server, GET, UNKNOWN_TASK, timestamp=int(time.time()) + 400)
    assert error_code(resp) == "AuthFailure.SignatureExpire"


def test_unknown_key(server: Server) -> None:
    resp = call(server, GET, UNKNOWN_TASK, secret_id="AKIDnosuchkey00000000000000000000000")
    assert error_code(resp) == "AuthFailure.SecretIdNotFound"


@pytest.mark.parametrize("value", [None, "SKIP", "Basic abc", "TC3-HMAC-SHA256 Credential=x"])
def test_missing_or_malformed_authorization(server: Server, value: str | None) -> None:
    body = json.dumps(UNKNOWN_TASK).encode()
    headers = signed_headers(server, GET, body)
    headers.pop("Authorization")
    if value is not None:
        headers["Authorization"] = value
    resp = httpx.post(server.url + "/", content=body, headers=headers)
    assert error_code(resp) == "AuthFailure.InvalidAuthorization"


def test_keys_cli_create_list_revoke(server: Server) -> None:
    data_dir = str(server.services.settings.data_dir)
    runner = CliRunner()
    out = runner.invoke(keys, ["create", "--data-dir", data_dir, "--name", "cli", "--json"])
    assert out.exit_code == 0, out.output
    created = json.loads(out.output)
    sid, skey = created["SecretId"], created["SecretKey"]
    assert error_code(call(server, GET, UNKNOWN_TASK, secret_id=sid, secret_key=skey)) == "ResourceNotFound"
    listed = json.loads(runner.invoke(keys, ["list", "--data-dir", data_dir, "--json"]).output)
    assert any(k["SecretId"] == sid and k["state"] == "active" for k in listed)
    assert all("SecretKey" not in k for k in listed)
    assert runner.invoke(keys, ["revoke", "--data-dir", data_dir, sid]).exit_code == 0
    resp = call(server, GET, UNKNOWN_TASK, secret_id=sid, secret_key=skey)
    assert error_code(resp) == "AuthFailure.SecretIdNotFound"
    assert runner.invoke(keys, ["revoke", "--data-dir", data_dir, sid]).exit_code != 0


def test_secret_not_stored_in_plain_text(server: Server) -> None:
    path = Path(server.services.settings.keys_db_path)
    db = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # database + WAL
    assert server.secret_key.encode() not in db and server.secret_id.encode() in db


def test_temporary_key_needs_its_token(server: Server) -> None:
    created = server.services.keys.create("tmp", ttl=600)
    kw = {"secret_id": created.key.secret_id, "secret_key": created.key.secret_key}
    assert error_code(call(server, GET, UNKNOWN_TASK, token=created.token, **kw)) == "ResourceNotFound"
    assert error_code(call(server, GET, UNKNOWN_TASK, **kw)) == "AuthFailure.TokenFailure"
    assert error_code(call(server, GET, UNKNOWN_TASK, token="forged", **kw)) == "AuthFailure.TokenFailure"
    with pytest.raises(TencentCloudSDKException) as info:  # the SDK sends X-TC-Token itself
        client(server, created.key.secret_id, created.key.secret_key, "forged").GetReconstructDocumentResult(
            __import__(
                "tencentcloud.lkeap.v20240522.models", fromlist=["x"]
            ).GetReconstructDocumentResultRequest()
        )
    assert info.value.get_code() in ("AuthFailure.TokenFailure", "MissingParameter")


def test_expired_temporary_key(server: Server) -> None:
    created = server.services.keys.create("tmp", ttl=-1)
    resp = call(
        server,
        GET,
        UNKNOWN_TASK,
        secret_id=created.key.secret_id,
        secret_key=created.key.secret_key,
        token=created.token,
    )
    assert error_code(resp) == "AuthFailure.SecretIdNotFound"


def test_key_restricted_to_actions(server: Server) -> None:
    created = server.services.keys.create("ro", actions=("CancelTask",))
    resp = call(server, GET, UNKNOWN_TASK, secret_id=created.key.secret_id, secret_key=created.key.secret_key)
    assert error_code(resp) == "AuthFailure.UnauthorizedOperation"


def test_two_identical_calls_within_one_second_are_both_answered(server: Server) -> None:
    body = json.dumps({"FileType": "PDF", "FileBase64": b64(make_pdf(1))}).encode()
    headers = signed_headers(server, "ReconstructDocumentSSE", body)

    def post(_: int) -> httpx.Response:
        return httpx.post(server.url + "/", content=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(post, range(2))
    for resp in (first, second):
        assert sse_events(resp)[-1]["ResponseType"] == "TASK_RSP"
    evs = sse_events(first) + sse_events(second)
    assert len({e["TaskId"] for e in evs}) == 2


def test_two_identical_sdk_calls(server: Server) -> None:
    c = client(server)
    req = sse_request(FileType="TXT", FileBase64=b64(b"hello\n"))
    for _ in range(2):
        assert [e for e in c.ReconstructDocumentSSE(req) if "data" in e]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"X-TC-Action": "ChatCompletions"}, "InvalidAction"),
        ({"X-TC-Action": "NoSuchThing"}, "InvalidAction"),
        ({"X-TC-Version": "2023-11-30"}, "NoSuchVersion"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "UnsupportedProtocol"),
    ],
)
def test_routing_errors(server: Server, headers: dict[str, str], code: str) -> None:
    body = json.dumps(UNKNOWN_TASK).encode()
    h = {**signed_headers(server, GET, body), **headers}
    assert error_code(httpx.post(server.url + "/", content=body, headers=h)) == code


def test_get_is_unsupported(server: Server) -> None:
    resp = httpx.get(server.url + "/?Action=GetReconstructDocumentResult")
    assert error_code(resp) == "UnsupportedProtocol"


def test_signature_v1_is_refused(server: Server) -> None:
    resp = httpx.post(
        server.url + "/",
        content=b"Action=GetReconstructDocumentResult&Version=2024-05-22",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert error_code(resp) == "AuthFailure.InvalidAuthorization"


def test_malformed_json(server: Server) -> None:
    body = b'{"FileType": "PDF", '
    resp = httpx.post(server.url + "/", content=body, headers=signed_headers(server, GET, body))
    assert error_code(resp) == "InvalidParameter"
    body = b"[1, 2]"
    resp = httpx.post(server.url + "/", content=body, headers=signed_headers(server, GET, body))
    assert error_code(resp) == "InvalidParameter"
