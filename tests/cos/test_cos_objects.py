"""The COS endpoint with the official SDK against a real server: put, multipart, head, get,
Domain mode, presigned URLs, failed uploads that must not replace an object (spec §3.3)."""

from __future__ import annotations

import hashlib
import os
import socket
import time
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from apiserver import Server
from conftest import REGION, bucket_host, issue, port, sdk, signed
from qcloud_cos.cos_exception import CosServiceError

from docrecon.cos.crc64 import crc64
from docrecon.cos.sign import presign

HELLO = b"hello docrecon\n"


def _bucket(server: Server) -> str:
    return server.services.cos.settings.bucket


def test_put_object_returns_etag_and_crc_with_exact_header_names(server: Server) -> None:
    cred = issue(server)
    put = sdk(server, cred).put_object(Bucket=_bucket(server), Key=cred.upload_path, Body=HELLO)
    assert put["ETag"] == '"8a64d846bc12b1f4e3bb88dbd5d71b92"'
    assert put["x-cos-hash-crc64ecma"] == "3559886382973348025"
    assert put["x-cos-request-id"]
    meta = server.services.cos.head(_bucket(server), cred.key)
    assert meta is not None
    assert (meta.size, meta.etag, meta.crc64) == (15, put["ETag"], 3559886382973348025)
    assert meta.storage_key == f"cos/{_bucket(server)}/{cred.key}"
    with server.services.cos.open(_bucket(server), cred.key) as fh:
        assert fh.read() == HELLO


def test_head_and_get_object(server: Server) -> None:
    cred = issue(server)
    client = sdk(server, cred)
    client.put_object(Bucket=_bucket(server), Key=cred.upload_path, Body=HELLO)
    head = client.head_object(Bucket=_bucket(server), Key=cred.upload_path)
    assert head["ETag"] == '"8a64d846bc12b1f4e3bb88dbd5d71b92"'
    assert head["x-cos-hash-crc64ecma"] == "3559886382973348025"
    assert head["Content-Length"] == "15"
    got = client.get_object(Bucket=_bucket(server), Key=cred.upload_path)
    assert got["Body"].get_raw_stream().read() == HELLO
    assert got["x-cos-hash-crc64ecma"] == "3559886382973348025"
    part = client.get_object(Bucket=_bucket(server), Key=cred.upload_path, Range="bytes=6-13")
    assert part["Body"].get_raw_stream().read() == b"docrecon"
    assert part["Content-Range"] == "bytes 6-13/15"


def test_multipart_upload_file(server: Server, tmp_path: Path) -> None:
    data = os.urandom(2 * 1024 * 1024 + 123_457)
    src = tmp_path / "big.pdf"
    src.write_bytes(data)
    cred = issue(server)
    client = sdk(server, cred)
    done = client.upload_file(Bucket=_bucket(server), Key=cred.upload_path, LocalFilePath=str(src), PartSize=1)
    parts = [data[i : i + 1024 * 1024] for i in range(0, len(data), 1024 * 1024)]
    md5s = b"".join(hashlib.md5(p).digest() for p in parts)
    assert done["ETag"] == f'"{hashlib.md5(md5s).hexdigest()}-3"'
    assert done["x-cos-hash-crc64ecma"] == str(crc64(data))
    meta = server.services.cos.head(_bucket(server), cred.key)
    assert meta is not None and (meta.size, meta.etag, meta.crc64) == (len(data), done["ETag"], crc64(data))
    head = client.head_object(Bucket=_bucket(server), Key=cred.upload_path)
    assert head["x-cos-hash-crc64ecma"] == str(crc64(data))
    assert client.get_object(Bucket=_bucket(server), Key=cred.upload_path)["Body"].get_raw_stream().read() == data
    assert not any(server.services.cos.parts_dir.glob("*/*")), "staged parts are removed"


def test_multipart_wrong_part_etag_and_abort(server: Server) -> None:
    cred = issue(server)
    client = sdk(server, cred)
    bucket, key = _bucket(server), cred.upload_path
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    p1 = client.upload_part(Bucket=bucket, Key=key, Body=b"a" * 1000, PartNumber=1, UploadId=upload_id)
    assert p1["ETag"] == f'"{hashlib.md5(b"a" * 1000).hexdigest()}"'
    wrong = {"Part": [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]}
    with pytest.raises(CosServiceError) as err:
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload=wrong)
    assert err.value.get_error_code() == "InvalidPart"
    missing = {"Part": [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p1["ETag"]}]}
    with pytest.raises(CosServiceError) as err:
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload=missing)
    assert err.value.get_error_code() == "InvalidPart"
    client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    with pytest.raises(CosServiceError) as err:
        client.upload_part(Bucket=bucket, Key=key, Body=b"b", PartNumber=2, UploadId=upload_id)
    assert err.value.get_error_code() == "NoSuchUpload"
    assert server.services.cos.head(bucket, cred.key) is None


def test_domain_mode(server: Server) -> None:
    """Host is 127.0.0.1:<port>: the default bucket, and the SDK signs the host without the port."""
    cred = issue(server)
    client = sdk(server, cred, domain=True)
    put = client.put_object(Bucket=_bucket(server), Key=cred.upload_path, Body=HELLO)
    assert put["x-cos-hash-crc64ecma"] == "3559886382973348025"
    assert client.head_object(Bucket=_bucket(server), Key=cred.upload_path)["ETag"] == put["ETag"]


def test_presigned_put_and_get_with_plain_httpx(server: Server) -> None:
    cred = issue(server)
    base = f"{server.url}{cred.upload_path}"
    put_q = presign(
        "PUT", server.host, cred.upload_path, cred.secret_id, cred.secret_key, cred.token, cred.start, cred.expires
    )
    resp = httpx.put(f"{base}?{put_q}", content=HELLO)
    assert resp.status_code == 200, resp.text
    names = [k for k, _ in resp.headers.raw]
    assert b"ETag" in names and b"x-cos-hash-crc64ecma" in names and b"x-cos-request-id" in names
    assert resp.headers["x-cos-hash-crc64ecma"] == "3559886382973348025"
    get_q = presign(
        "GET", server.host, cred.upload_path, cred.secret_id, cred.secret_key, cred.token, cred.start, cred.expires
    )
    got = httpx.get(f"{base}?{get_q}")
    assert got.status_code == 200 and got.content == HELLO
    assert got.headers["ETag"] == '"8a64d846bc12b1f4e3bb88dbd5d71b92"'
    # a PUT signature does not authorise a GET, nor a changed signature
    assert httpx.get(f"{base}?{put_q}").status_code == 403
    tampered = get_q.replace("q-signature=", "q-signature=0")
    assert _code(httpx.get(f"{base}?{tampered}")) == "SignatureDoesNotMatch"


def _code(resp: httpx.Response) -> str:
    assert resp.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(resp.content)
    fields = {child.tag: child.text for child in root}
    for name in ("Code", "Message", "Resource", "RequestId"):
        assert fields.get(name), f"{name} missing in {resp.text}"
    assert resp.headers["x-cos-request-id"] == fields["RequestId"]
    return str(fields["Code"])


def test_bad_content_md5_keeps_the_existing_object(server: Server) -> None:
    cred = issue(server)
    client = sdk(server, cred)
    first = client.put_object(Bucket=_bucket(server), Key=cred.upload_path, Body=HELLO)
    with pytest.raises(CosServiceError) as err:
        client.put_object(
            Bucket=_bucket(server), Key=cred.upload_path, Body=b"other bytes", ContentMD5="AAAAAAAAAAAAAAAAAAAAAA=="
        )
    assert err.value.get_error_code() == "BadDigest"
    meta = server.services.cos.head(_bucket(server), cred.key)
    assert meta is not None and meta.etag == first["ETag"]
    assert client.get_object(Bucket=_bucket(server), Key=cred.upload_path)["Body"].get_raw_stream().read() == HELLO


def test_interrupted_upload_keeps_the_existing_object(server: Server) -> None:
    """The client announces 100 000 bytes, sends 10 and goes away."""
    cred = issue(server)
    sdk(server, cred).put_object(Bucket=_bucket(server), Key=cred.upload_path, Body=HELLO)
    staged_before = set(server.services.cos.parts_dir.glob("tmp/*"))
    headers = signed(server, cred, "PUT", cred.upload_path, headers={"content-length": "100000"})
    head = f"PUT {cred.upload_path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port(server))) as sock:
        sock.sendall(head.encode() + b"0123456789")
        deadline = time.time() + 10
        while not set(server.services.cos.parts_dir.glob("tmp/*")) - staged_before and time.time() < deadline:
            time.sleep(0.02)
        assert set(server.services.cos.parts_dir.glob("tmp/*")) - staged_before, "the body is being staged"
    deadline = time.time() + 10
    while set(server.services.cos.parts_dir.glob("tmp/*")) - staged_before and time.time() < deadline:
        time.sleep(0.05)
    assert not set(server.services.cos.parts_dir.glob("tmp/*")) - staged_before, "the partial body is removed"
    meta = server.services.cos.head(_bucket(server), cred.key)
    assert meta is not None and meta.size == len(HELLO)
    with server.services.cos.open(_bucket(server), cred.key) as fh:
        assert fh.read() == HELLO


def test_oversized_put_is_refused_and_the_object_kept(small_server: Server) -> None:
    cred = issue(small_server)
    client = sdk(small_server, cred)
    client.put_object(Bucket=_bucket(small_server), Key=cred.upload_path, Body=HELLO)
    with pytest.raises(CosServiceError) as err:
        client.put_object(Bucket=_bucket(small_server), Key=cred.upload_path, Body=b"x" * (64 * 1024 + 1))
    assert err.value.get_error_code() == "EntityTooLarge"
    assert err.value.get_status_code() == 400
    meta = small_server.services.cos.head(_bucket(small_server), cred.key)
    assert meta is not None and meta.size == len(HELLO)


def test_oversized_part_and_object_via_parts(small_server: Server) -> None:
    cred = issue(small_server)
    client = sdk(small_server, cred)
    bucket, key = _bucket(small_server), cred.upload_path
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    with pytest.raises(CosServiceError) as err:
        client.upload_part(Bucket=bucket, Key=key, Body=b"x" * (16 * 1024 + 1), PartNumber=1, UploadId=upload_id)
    assert err.value.get_error_code() == "EntityTooLarge"
    parts = []
    for n in range(1, 6):  # 5 x 16 KiB > 64 KiB
        r = client.upload_part(Bucket=bucket, Key=key, Body=b"y" * 16 * 1024, PartNumber=n, UploadId=upload_id)
        parts.append({"PartNumber": n, "ETag": r["ETag"]})
    with pytest.raises(CosServiceError) as err:
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Part": parts})
    assert err.value.get_error_code() == "EntityTooLarge"
    done = client.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Part": parts[:4]}
    )
    assert done["x-cos-hash-crc64ecma"] == str(crc64(b"y" * 64 * 1024))


def test_missing_content_length(server: Server) -> None:
    cred = issue(server)
    headers = signed(server, cred, "PUT", cred.upload_path)

    def body() -> object:
        yield HELLO

    resp = httpx.put(f"{server.url}{cred.upload_path}", content=body(), headers=headers)  # chunked
    assert resp.status_code == 411
    assert _code(resp) == "MissingContentLength"


def test_list_multipart_uploads_is_empty(server: Server) -> None:
    cred = issue(server)
    listed = sdk(server, cred).list_multipart_uploads(Bucket=_bucket(server), Prefix=cred.key)
    assert "Upload" not in listed or not listed["Upload"]
    assert listed["Bucket"] == _bucket(server)


def test_other_routes_are_not_cos(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
    resp = httpx.get(f"{server.url}/healthz", headers={"Host": bucket_host(server)})
    assert _code(resp) == "AccessDenied"  # a bucket Host always means COS
    assert REGION in resp.text
