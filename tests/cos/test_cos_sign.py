"""The q-sign-algorithm=sha1 signature (spec §3.3.6): both worked vectors, parsing, presigning."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from docrecon.cos.sign import (
    authorization,
    http_string,
    parse_authorization,
    presign,
    signature,
    string_to_sign,
    verify,
)

SID = "AKIDdocreconTMP0000000000000000000"
SKEY = "docreconTMPsecret000000000000000"
TOKEN = "docreconTMPtoken"
HOST_A = "lke-realtime-1250000000.cos.ap-guangzhou.myqcloud.com"
HEADERS_A = {"content-length": "15", "host": HOST_A, "x-cos-security-token": TOKEN}
AUTH_A = (
    "q-sign-algorithm=sha1&q-ak=AKIDdocreconTMP0000000000000000000&q-sign-time=1699999940;1700010000"
    "&q-key-time=1699999940;1700010000&q-header-list=content-length;host;x-cos-security-token"
    "&q-url-param-list=&q-signature=ac96183533e84b0982f8349dfd91860001336134"
)


def test_vector_a_step_by_step() -> None:
    http = http_string("PUT", "/corp/1/app/doc/abc.md", {}, HEADERS_A)
    assert http == f"put\n/corp/1/app/doc/abc.md\n\ncontent-length=15&host={HOST_A}&x-cos-security-token={TOKEN}\n"
    to_sign = string_to_sign("1699999940;1700010000", http)
    assert to_sign == "sha1\n1699999940;1700010000\n09072fcf2b5ce925bc056f01e55372d394a80a3d\n"
    assert signature(SKEY, "1699999940;1700010000", to_sign) == "ac96183533e84b0982f8349dfd91860001336134"
    assert authorization("PUT", "/corp/1/app/doc/abc.md", {}, HEADERS_A, SID, SKEY, 1699999940, 1700010000) == AUTH_A


def test_vector_b_with_parameters() -> None:
    params = {"partNumber": "1", "uploadId": "up-1"}
    headers = {"content-length": "1", "host": "b-1250000000.cos.ap-guangzhou.myqcloud.com"}
    assert http_string("PUT", "/corp/1/big.bin", params, headers) == (
        "put\n/corp/1/big.bin\npartnumber=1&uploadid=up-1\n"
        "content-length=1&host=b-1250000000.cos.ap-guangzhou.myqcloud.com\n"
    )
    auth = authorization("PUT", "/corp/1/big.bin", params, headers, SID, SKEY, 1699999940, 1700010000)
    parsed = parse_authorization(auth)
    assert parsed.param_list == ("partnumber", "uploadid")
    assert parsed.signature == "d9b5699860864b8c5d3e7904a9367a95fb1aee7a"


def test_parse_authorization() -> None:
    auth = parse_authorization(AUTH_A)
    assert auth.access_key == SID
    assert auth.window == (1699999940, 1700010000)
    assert auth.header_list == ("content-length", "host", "x-cos-security-token")
    assert auth.param_list == ()


@pytest.mark.parametrize(
    "value",
    ["", "Basic abc", "q-sign-algorithm=sha1&q-ak=x", AUTH_A.replace("1699999940;1700010000", "soon", 1)],
)
def test_parse_rejects_malformed(value: str) -> None:
    with pytest.raises(ValueError):
        parse_authorization(value)


def _received(headers: dict[str, str]) -> list[tuple[str, str]]:
    return [*headers.items(), ("user-agent", "cos-python-sdk-v5"), ("accept-encoding", "gzip")]


def test_verify_as_received() -> None:
    auth = parse_authorization(AUTH_A)
    assert verify(auth, SKEY, "PUT", "/corp/1/app/doc/abc.md", [], _received(HEADERS_A))
    assert not verify(auth, "wrong", "PUT", "/corp/1/app/doc/abc.md", [], _received(HEADERS_A))
    assert not verify(auth, SKEY, "PUT", "/corp/1/app/doc/abd.md", [], _received(HEADERS_A))
    assert not verify(auth, SKEY, "PUT", "/corp/1/app/doc/abc.md", [], _received({**HEADERS_A, "content-length": "16"}))
    assert not verify(auth, SKEY, "PUT", "/corp/1/app/doc/abc.md", [], [("host", HOST_A)])  # signed header missing


def test_verify_retries_the_host_without_port() -> None:
    """Domain mode: the SDK signs "127.0.0.1" while sending "Host: 127.0.0.1:9000"."""
    headers = {"content-length": "15", "host": "127.0.0.1", "x-cos-security-token": TOKEN}
    auth = parse_authorization(authorization("PUT", "/k", {}, headers, SID, SKEY, 1, 2))
    assert verify(auth, SKEY, "PUT", "/k", [], _received({**headers, "host": "127.0.0.1:9000"}))
    assert not verify(auth, SKEY, "PUT", "/k", [], _received({**headers, "host": "127.0.0.2:9000"}))


def test_verify_parameters_by_encoded_lower_case_name() -> None:
    params = {"partNumber": "2", "uploadId": "u 1"}
    auth = parse_authorization(authorization("PUT", "/k", params, {"host": "h"}, SID, SKEY, 1, 2))
    received = [("partNumber", "2"), ("uploadId", "u 1"), ("q-unrelated", "x")]
    assert verify(auth, SKEY, "PUT", "/k", received, [("host", "h")])
    assert not verify(auth, SKEY, "PUT", "/k", [("partNumber", "3"), ("uploadId", "u 1")], [("host", "h")])


def test_presign_query() -> None:
    query = presign("GET", "127.0.0.1:9000", "/corp/0/1/doc/a.pdf", SID, SKEY, TOKEN, 1700000000, 1700001800)
    pairs = parse_qsl(query, keep_blank_values=True)
    fields = dict(pairs)
    assert [k for k, _ in pairs][:7] == [
        "q-sign-algorithm",
        "q-ak",
        "q-sign-time",
        "q-key-time",
        "q-header-list",
        "q-url-param-list",
        "q-signature",
    ]
    assert fields["q-sign-time"] == "1700000000;1700001800"
    assert fields["q-header-list"] == "host"
    assert fields["q-url-param-list"] == "x-cos-security-token"
    assert fields["x-cos-security-token"] == TOKEN
    auth = parse_authorization("&".join(f"{k}={v}" for k, v in pairs if k.startswith("q-")))
    # signed for the host without its port; the server accepts either form
    for host in ("127.0.0.1", "127.0.0.1:9000"):
        assert verify(auth, SKEY, "GET", "/corp/0/1/doc/a.pdf", pairs, [("host", host)])
    # the key may be given without its leading slash
    assert query == presign("GET", "127.0.0.1:9000", "corp/0/1/doc/a.pdf", SID, SKEY, TOKEN, 1700000000, 1700001800)
