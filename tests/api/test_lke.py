"""LKE real-time document parse end to end (spec §3): the official lke SDK asks for storage
credentials, the official COS SDK uploads to docrecon, docParse streams the parse."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import Server, make_pdf, run_server
from lkeclient import (
    SESSION,
    cos_client,
    doc_parse,
    lke_client_for,
    parse_body,
    storage_credential,
    upload,
)
from qcloud_cos.cos_exception import CosServiceError
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.lke.v20231130 import lke_client, models

from docrecon.cos.crc64 import crc64
from docrecon.model.serialize import document_from_dict
from docrecon.storage import read_all


@pytest.fixture(scope="module")
def lke(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with run_server(Path(tmp_path_factory.mktemp("lke"))) as srv:
        yield srv


@pytest.fixture(scope="module")
def app(lke: Server) -> tuple[str, str]:
    created = lke.services.apps.create("test app")
    return created.app.app_id, created.bot_app_key


def test_describe_storage_credential_fields(lke: Server, app: tuple[str, str]) -> None:
    cred = storage_credential(lke, "pdf", app[0])
    c = cred["Credentials"]
    assert re.fullmatch(r"AKID[A-Za-z0-9]{32}", c["TmpSecretId"]) and len(c["TmpSecretKey"]) == 32
    assert len(c["Token"]) >= 32 and c["AppId"] == 1250000000
    assert cred["ExpiredTime"] - cred["StartTime"] >= 1800 - 60
    assert cred["Type"] == "cos" and cred["Region"] == "ap-guangzhou" and cred["CorpUin"] == "0"
    assert re.fullmatch(rf"/corp/0/{app[0]}/doc/[A-Za-z0-9]{{20}}-\d{{13}}\.pdf", cred["UploadPath"])
    assert cred["FilePath"] == f"/corp/0/{app[0]}/doc/" and cred["ImagePath"] == f"/corp/0/{app[0]}/image/"
    assert cred["UploadUrl"].startswith(f"{lke.url}{cred['UploadPath']}?q-sign-algorithm=sha1")
    assert "x-cos-security-token=" in cred["UploadUrl"] and cred["FileUrl"] != cred["UploadUrl"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"FileType": "exe"}, "InvalidParameterValue"),
        ({}, "MissingParameter"),
        ({"FileType": "pdf", "BotBizId": "123"}, "InvalidParameterValue"),
        ({"FileType": "pdf", "TypeKey": "weekly"}, "InvalidParameterValue"),
    ],
)
def test_describe_storage_credential_errors(lke: Server, params: dict[str, Any], code: str) -> None:
    req = models.DescribeStorageCredentialRequest()
    req._deserialize(params)
    with pytest.raises(TencentCloudSDKException) as err:
        lke_client_for(lke).DescribeStorageCredential(req)
    assert err.value.get_code() == code


def test_describe_storage_credential_needs_signature(lke: Server) -> None:
    http = HttpProfile(endpoint=lke.host, protocol="http", reqTimeout=30)
    bad = credential.Credential(lke.secret_id, "wrong-secret-key-wrong-secret-key")
    req = models.DescribeStorageCredentialRequest()
    req._deserialize({"FileType": "pdf"})
    with pytest.raises(TencentCloudSDKException) as err:
        lke_client.LkeClient(bad, "ap-guangzhou", ClientProfile(httpProfile=http)).DescribeStorageCredential(req)
    assert err.value.get_code() == "AuthFailure.SignatureFailure"


def test_upload_then_doc_parse_success(lke: Server, app: tuple[str, str]) -> None:
    data = make_pdf(2, "Quarterly revenue grew")
    cred, put = upload(lke, app[0], data)
    assert put["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert put["x-cos-hash-crc64ecma"] == str(crc64(data))
    events = doc_parse(lke, parse_body(app[1], cred, put, len(data)))
    first, last = events[0]["payload"], events[-1]["payload"]
    assert first["status"] == "PARSING" and first["process"] == 0 and first["doc_id"] == "0"
    assert last["status"] == "SUCCESS" and last["process"] == 100 and last["error_message"] == ""
    assert re.fullmatch(r"\d{19}", last["doc_id"]) and last["session_id"] == SESSION
    processes = [e["payload"]["process"] for e in events]
    assert processes == sorted(processes)
    assert all(isinstance(e["payload"]["timestamp"], int) and e["payload"]["trace_id"] for e in events)
    # the document belongs to (app, session) and its parse is kept for questions
    docs = lke.services.sessions.for_session(app[0], SESSION)
    doc = next(d for d in docs if d.doc_id == last["doc_id"])
    assert doc.state == "ready" and doc.name == "report.pdf"
    parsed = document_from_dict(json.loads(read_all(lke.services.storage, doc.document_key)))
    assert "Quarterly revenue grew page 2" in " ".join(b.text for p in parsed.pages for b in p.blocks)
    assert lke.services.sessions.for_session(app[0], "another-session") == []


def test_multipart_upload_then_doc_parse(lke: Server, app: tuple[str, str], tmp_path: Path) -> None:
    text = "\n\n".join(f"Paragraph {i}: the warehouse ledger lists {i * 7} crates of tea." for i in range(40000))
    data = text.encode()
    assert len(data) > 2 * 1024 * 1024
    src = tmp_path / "ledger.txt"
    src.write_bytes(data)
    cred = storage_credential(lke, "txt", app[0])
    put = cos_client(lke, cred).upload_file(
        Bucket=cred["Bucket"], Key=cred["UploadPath"], LocalFilePath=str(src), PartSize=1, MAXThread=2
    )
    head = cos_client(lke, cred).head_object(Bucket=cred["Bucket"], Key=cred["UploadPath"])
    assert head["x-cos-hash-crc64ecma"] == str(crc64(data)) and int(head["Content-Length"]) == len(data)
    body = parse_body(app[1], cred, put, len(data), file_type="txt", file_name="ledger.txt")
    body["cos_hash"] = head["x-cos-hash-crc64ecma"]
    body["size"] = len(data)  # a number is accepted too
    events = doc_parse(lke, body)
    assert events[-1]["payload"]["status"] == "SUCCESS", events[-1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cos_hash": "12345"}, "cos_hash mismatch"),
        ({"e_tag": '"0123456789abcdef0123456789abcdef"'}, "e_tag mismatch"),
        ({"size": "999999"}, "size mismatch"),
        ({"bot_app_key": "not-a-key"}, "invalid bot_app_key"),
        ({"session_id": "bad session!"}, "invalid session_id"),
        ({"file_type": "xmind"}, "not supported"),
        ({"cos_bucket": "someone-elses-bucket"}, "not an upload path issued"),
        ({"cos_url": "/corp/0/1/doc/../../secret.pdf"}, "not an upload path issued"),
        ({"e_tag": ""}, "missing field(s): e_tag"),
    ],
)
def test_doc_parse_checks(lke: Server, app: tuple[str, str], change: dict[str, Any], message: str) -> None:
    data = make_pdf(1)
    cred, put = upload(lke, app[0], data)
    events = doc_parse(lke, parse_body(app[1], cred, put, len(data), **change))
    assert len(events) == 1
    payload = events[0]["payload"]
    assert payload["status"] == "FAILED" and payload["is_final"] and payload["doc_id"] == "0"
    assert message in payload["error_message"]
    # nothing the user uploaded is lost
    assert lke.services.cos.head(cred["Bucket"], cred["UploadPath"].lstrip("/")) is not None


def test_doc_parse_refuses_another_apps_upload(lke: Server, app: tuple[str, str]) -> None:
    other = lke.services.apps.create("other")
    data = make_pdf(1)
    cred, put = upload(lke, app[0], data)
    events = doc_parse(lke, parse_body(other.bot_app_key, cred, put, len(data)))
    assert events[-1]["payload"]["status"] == "FAILED"
    assert "not an upload path issued to this application" in events[-1]["payload"]["error_message"]


def test_doc_parse_content_mismatch_fails_after_start(lke: Server, app: tuple[str, str]) -> None:
    data = b"plain text, not a PDF at all\n" * 10
    cred, put = upload(lke, app[0], data)
    events = doc_parse(lke, parse_body(app[1], cred, put, len(data)))
    assert [e["payload"]["status"] for e in events] == ["PARSING", "FAILED"]
    assert "PDF" in events[-1]["payload"]["error_message"]


def test_doc_parse_revoked_app(lke: Server) -> None:
    created = lke.services.apps.create("short-lived")
    data = make_pdf(1)
    cred, put = upload(lke, created.app.app_id, data)
    lke.services.apps.revoke(created.app.app_id)
    events = doc_parse(lke, parse_body(created.bot_app_key, cred, put, len(data)))
    assert "invalid bot_app_key" in events[-1]["payload"]["error_message"]
    with pytest.raises(TencentCloudSDKException):
        storage_credential(lke, "pdf", created.app.app_id)


def test_upload_url_without_sdk(lke: Server, app: tuple[str, str]) -> None:
    """Clients that PUT to UploadUrl directly get ETag and CRC back, and FileUrl reads it."""
    data = make_pdf(1, "Direct upload")
    cred = storage_credential(lke, "pdf", app[0])
    resp = httpx.put(cred["UploadUrl"], content=data, timeout=30)
    assert resp.status_code == 200, resp.text
    raw = dict(resp.headers.raw)
    assert raw[b"ETag"].decode() == f'"{hashlib.md5(data).hexdigest()}"'
    assert raw[b"x-cos-hash-crc64ecma"].decode() == str(crc64(data))
    assert httpx.get(cred["FileUrl"], timeout=30).content == data
    put = {"ETag": raw[b"ETag"].decode(), "x-cos-hash-crc64ecma": raw[b"x-cos-hash-crc64ecma"].decode()}
    events = doc_parse(lke, parse_body(app[1], cred, put, len(data), cos_url=cred["UploadUrl"]))
    assert events[-1]["payload"]["status"] == "SUCCESS"


def test_upload_outside_issued_path_refused(lke: Server, app: tuple[str, str]) -> None:
    cred = storage_credential(lke, "pdf", app[0])
    with pytest.raises(CosServiceError) as err:
        cos_client(lke, cred).put_object(Bucket=cred["Bucket"], Key=cred["UploadPath"] + ".other", Body=b"x")
    assert err.value.get_error_code() == "AccessDenied"


def test_sessions_expire_with_their_documents(tmp_path: Path) -> None:
    with run_server(tmp_path, qa={"session_ttl": 60}) as srv:
        created = srv.services.apps.create("exp")
        data = make_pdf(1)
        cred, put = upload(srv, created.app.app_id, data)
        events = doc_parse(srv, parse_body(created.bot_app_key, cred, put, len(data)))
        doc_id = events[-1]["payload"]["doc_id"]
        doc = srv.services.sessions.get(doc_id)
        assert doc is not None and srv.services.storage.size(doc.document_key)
        assert srv.services.expire_sessions(doc.used + 30) == 0
        assert srv.services.expire_sessions(doc.used + 61) == 1
        assert srv.services.sessions.get(doc_id) is None and srv.services.storage.size(doc.document_key) is None


def test_uploads_and_documents_on_s3(tmp_path: Path, s3_settings: Any) -> None:
    """With the S3 backend, COS uploads, inputs, results and parsed documents all live in the bucket."""
    import boto3

    with run_server(tmp_path, storage=s3_settings.model_dump(), runner={"workers": 1}) as srv:
        created = srv.services.apps.create("s3")
        data = make_pdf(1, "Stored in a bucket")
        cred, put = upload(srv, created.app.app_id, data)
        events = doc_parse(srv, parse_body(created.bot_app_key, cred, put, len(data)))
        assert events[-1]["payload"]["status"] == "SUCCESS", events[-1]
        doc_id = events[-1]["payload"]["doc_id"]
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_settings.s3_endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=s3_settings.s3_bucket)["Contents"]}
    assert f"svc/cos/{cred['Bucket']}{cred['UploadPath']}" in keys
    assert f"svc/documents/{doc_id}.json" in keys
    assert any(k.startswith("svc/results/") for k in keys)
