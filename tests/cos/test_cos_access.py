"""Who may touch what (spec §3.3.6): one credential, one key; expired, tampered, wrong token."""

from __future__ import annotations

import time

import httpx
import pytest
from apiserver import Server
from conftest import issue, sdk, signed
from qcloud_cos.cos_exception import CosServiceError

from docrecon.cos.sign import authorization

HELLO = b"hello docrecon\n"


def _bucket(server: Server) -> str:
    return server.services.cos.settings.bucket


def _put_error(server: Server, key: str, **kw: object) -> tuple[str, int]:
    cred = kw.pop("cred", None) or issue(server)
    with pytest.raises(CosServiceError) as err:
        sdk(server, cred, **kw).put_object(Bucket=_bucket(server), Key=key, Body=HELLO)  # type: ignore[arg-type]
    return err.value.get_error_code(), err.value.get_status_code()


@pytest.mark.parametrize(
    "variant",
    [
        "{p}x",  # a longer name
        "{d}/other.pdf",  # a sibling in the same directory
        "{d}/../../9999/doc/x.pdf",  # dot segments (the SDK sends them as ..%2F)
        "{d}/%2e%2e/x.pdf",  # encoded dots stay literal
        "/{p}",  # double slash
        "{p}/",  # trailing slash
        "/corp/0/other-app/doc/x.pdf",
    ],
)
def test_keys_outside_the_upload_path_are_denied(server: Server, variant: str) -> None:
    cred = issue(server)
    directory = cred.upload_path.rsplit("/", 1)[0]
    key = variant.format(p=cred.upload_path, d=directory)
    assert _put_error(server, key, cred=cred) == ("AccessDenied", 403)


def test_another_credentials_object_is_denied(server: Server) -> None:
    mine, theirs = issue(server), issue(server)
    sdk(server, theirs).put_object(Bucket=_bucket(server), Key=theirs.upload_path, Body=HELLO)
    assert _put_error(server, theirs.upload_path, cred=mine) == ("AccessDenied", 403)
    with pytest.raises(CosServiceError) as err:
        sdk(server, mine).get_object(Bucket=_bucket(server), Key=theirs.upload_path)
    assert err.value.get_error_code() == "AccessDenied"


def test_expired_credential(server: Server) -> None:
    cred = issue(server, ttl=1800, now=time.time() - 2000)
    assert _put_error(server, cred.upload_path, cred=cred) == ("AccessDenied", 403)


def test_wrong_or_missing_token(server: Server) -> None:
    cred = issue(server)
    assert _put_error(server, cred.upload_path, cred=cred, token="not-the-token") == ("InvalidToken", 400)
    headers = signed(server, cred, "PUT", cred.upload_path)
    del headers["x-cos-security-token"]
    resp = httpx.put(f"{server.url}{cred.upload_path}", content=HELLO, headers=headers)
    assert resp.status_code == 400 and b"<Code>InvalidToken</Code>" in resp.content


def test_tampered_signature(server: Server) -> None:
    cred = issue(server)
    url = f"{server.url}{cred.upload_path}"
    headers = signed(server, cred, "PUT", cred.upload_path)
    ok = httpx.put(url, content=HELLO, headers=headers)
    assert ok.status_code == 200, ok.text
    sig = headers["Authorization"][-40:]
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    bad = {**headers, "Authorization": headers["Authorization"][:-40] + flipped}
    resp = httpx.put(url, content=HELLO, headers=bad)
    assert resp.status_code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in resp.content
    wrong_key = signed(server, cred, "PUT", cred.upload_path, secret_key="x" * 32)
    assert b"SignatureDoesNotMatch" in httpx.put(url, content=HELLO, headers=wrong_key).content
    # a signed header changed after signing
    with_type = signed(server, cred, "PUT", cred.upload_path, headers={"content-type": "application/pdf"})
    resp = httpx.put(url, content=HELLO, headers={**with_type, "content-type": "text/plain"})
    assert b"SignatureDoesNotMatch" in resp.content


def test_unknown_access_key_and_no_signature(server: Server) -> None:
    cred = issue(server)
    url = f"{server.url}{cred.upload_path}"
    headers = signed(server, cred, "PUT", cred.upload_path)
    headers["Authorization"] = headers["Authorization"].replace(cred.secret_id, "AKID" + "0" * 32)
    resp = httpx.put(url, content=HELLO, headers=headers)
    assert resp.status_code == 403 and b"<Code>InvalidAccessKeyId</Code>" in resp.content
    resp = httpx.put(url, content=HELLO)
    assert resp.status_code == 403 and b"<Code>AccessDenied</Code>" in resp.content


def test_signature_time_window(server: Server) -> None:
    cred = issue(server)
    url = f"{server.url}{cred.upload_path}"
    headers = signed(server, cred, "PUT", cred.upload_path)
    now = int(time.time())
    hdrs = {k: v for k, v in headers.items() if k != "Authorization"}
    cases = [(now - 7200, now - 3600, b"AccessDenied"), (now + 3600, now + 7200, b"RequestTimeTooSkewed")]
    for start, end, code in cases:
        auth = authorization("PUT", cred.upload_path, {}, hdrs, cred.secret_id, cred.secret_key, start, end)
        resp = httpx.put(url, content=HELLO, headers={**hdrs, "Authorization": auth})
        assert resp.status_code == 403 and b"<Code>" + code in resp.content


def test_unknown_bucket(server: Server) -> None:
    cred = issue(server)
    other = "other-1250000000.cos.ap-guangzhou.myqcloud.com"
    headers = signed(server, cred, "PUT", cred.upload_path, headers={"host": other})
    resp = httpx.put(f"{server.url}{cred.upload_path}", content=HELLO, headers=headers)
    assert resp.status_code == 404 and b"<Code>NoSuchBucket</Code>" in resp.content


def test_head_of_a_missing_object(server: Server) -> None:
    cred = issue(server)
    with pytest.raises(CosServiceError) as err:
        sdk(server, cred).head_object(Bucket=_bucket(server), Key=cred.upload_path)
    assert err.value.get_status_code() == 404
    with pytest.raises(CosServiceError) as err:
        sdk(server, cred).get_object(Bucket=_bucket(server), Key=cred.upload_path)
    assert err.value.get_error_code() == "NoSuchKey"
