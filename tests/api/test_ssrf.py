"""FileUrl: refused addresses in every spelling (checked without connecting), the allow-list,
redirects re-checked, size cap. Traffic only ever goes to loopback servers of the test."""

from __future__ import annotations

import asyncio
import ipaddress
from pathlib import Path

import pytest
from apiserver import Server, make_pdf, run_server
from fileserver import file_server
from signing import call, error_code, sse_events

from docrecon.api.fetch import check_url, is_blocked, parse_allow
from docrecon.errors import FileUrlInvalid

SSE = "ReconstructDocumentSSE"
BLOCKED_URLS = [
    "http://127.0.0.1/a.pdf",
    "http://127.1/a.pdf",
    "http://2130706433/a.pdf",  # decimal 127.0.0.1
    "http://0x7f000001/a.pdf",  # hex
    "http://0177.0.0.1/a.pdf",  # octal
    "http://localhost/a.pdf",
    "http://[::1]/a.pdf",
    "http://[::ffff:127.0.0.1]/a.pdf",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/a.pdf",
    "http://10.0.0.1/a.pdf",
    "http://172.16.5.4/a.pdf",
    "http://192.168.1.1/a.pdf",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.100.100.200/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/a.pdf",
    "http://[2002:7f00:1::1]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
]


@pytest.mark.parametrize("url", BLOCKED_URLS)
def test_refused_without_connecting(url: str) -> None:
    with pytest.raises(FileUrlInvalid, match="non-public address"):
        asyncio.run(check_url(url, []))


@pytest.mark.parametrize("addr", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(addr: str) -> None:
    assert not is_blocked(ipaddress.ip_address(addr))


def test_allow_list_entries() -> None:
    lo = ipaddress.ip_address("127.0.0.1")
    assert parse_allow("127.0.0.1").admits("x", lo, 80)
    assert parse_allow("127.0.0.0/8:9000").admits("x", lo, 9000)
    assert not parse_allow("127.0.0.0/8:9000").admits("x", lo, 9001)
    assert parse_allow("files.internal").admits("FILES.internal", ipaddress.ip_address("10.1.1.1"), 443)
    assert parse_allow("[::1]:8080").admits("x", ipaddress.ip_address("::1"), 8080)
    assert not parse_allow("10.0.0.0/8").admits("x", lo, 80)
    asyncio.run(check_url("http://127.0.0.1:9/a.pdf", [parse_allow("127.0.0.1:9")]))
    with pytest.raises(FileUrlInvalid):
        asyncio.run(check_url("http://127.0.0.1:10/a.pdf", [parse_allow("127.0.0.1:9")]))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/a.pdf",
        "http://2130706433:9/a.pdf",
        "http://[::ffff:127.0.0.1]:9/a.pdf",
        "http://169.254.169.254/",
    ],
)
def test_api_refuses_private_urls(server: Server, url: str) -> None:
    assert (
        error_code(call(server, SSE, {"FileType": "PDF", "FileUrl": url}))
        == "InvalidParameter.FileURLInvalid"
    )


@pytest.fixture(scope="module")
def files() -> object:
    pdf = make_pdf(2)
    with file_server({"/report.pdf": pdf, "/notes.txt": b"hello\n"}) as port:
        redirects = {
            "/to-private": "http://10.0.0.1/x.pdf",
            "/to-other-port": "http://127.0.0.1:9/x.pdf",
            "/to-mapped": f"http://[::ffff:127.0.0.1]:{port}/report.pdf",
            "/to-report": "/report.pdf",
            "/loop": "/loop",
        }
        with file_server({"/report.pdf": pdf}, redirects) as rport:
            yield port, rport


@pytest.fixture(scope="module")
def allowed(files: tuple[int, int], tmp_path_factory: pytest.TempPathFactory) -> object:
    port, rport = files
    fetch = {"allow": [f"127.0.0.1:{port}", f"127.0.0.1:{rport}"], "max_redirects": 3}
    with run_server(Path(tmp_path_factory.mktemp("ssrf")), fetch=fetch) as srv:
        yield srv


def test_allow_listed_download(allowed: Server, files: tuple[int, int]) -> None:
    port, rport = files
    evs = sse_events(
        call(allowed, SSE, {"FileType": "PDF", "FileUrl": f"http://127.0.0.1:{port}/report.pdf"})
    )
    assert evs[-1]["ResponseType"] == "TASK_RSP" and evs[-1]["SuccessPageNum"] == 2
    evs = sse_events(
        call(allowed, SSE, {"FileType": "PDF", "FileUrl": f"http://127.0.0.1:{rport}/to-report"})
    )
    assert evs[-1]["SuccessPageNum"] == 2


@pytest.mark.parametrize("path", ["/to-private", "/to-other-port", "/loop", "/missing.pdf"])
def test_redirects_rechecked(allowed: Server, files: tuple[int, int], path: str) -> None:
    url = f"http://127.0.0.1:{files[1]}{path}"
    assert (
        error_code(call(allowed, SSE, {"FileType": "PDF", "FileUrl": url}))
        == "InvalidParameter.FileURLInvalid"
    )


def test_redirect_to_mapped_spelling_of_allowed_host(allowed: Server, files: tuple[int, int]) -> None:
    url = f"http://127.0.0.1:{files[1]}/to-mapped"
    evs = sse_events(call(allowed, SSE, {"FileType": "PDF", "FileUrl": url}))
    assert evs[-1]["ResponseType"] == "TASK_RSP"


def test_download_size_cap(allowed: Server, files: tuple[int, int]) -> None:
    url = f"http://127.0.0.1:{files[0]}/big.txt"
    assert (
        error_code(call(allowed, SSE, {"FileType": "TXT", "FileUrl": url}))
        == "LimitExceeded.TooLargeFileError"
    )


def test_downloaded_type_checked(allowed: Server, files: tuple[int, int]) -> None:
    url = f"http://127.0.0.1:{files[0]}/report.pdf"
    code = error_code(call(allowed, SSE, {"FileType": "XLSX", "FileUrl": url}))
    assert code == "InvalidParameter.InvalidFileFormat"


def test_zip_member_named_after_url(allowed: Server, files: tuple[int, int]) -> None:
    import io
    import urllib.request
    import zipfile

    evs = sse_events(
        call(allowed, SSE, {"FileType": "TXT", "FileUrl": f"http://127.0.0.1:{files[0]}/notes.txt"})
    )
    with urllib.request.urlopen(evs[-1]["DocumentRecognizeResultUrl"]) as resp:
        names = zipfile.ZipFile(io.BytesIO(resp.read())).namelist()
    assert "notes.md" in names
