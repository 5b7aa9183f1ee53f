"""Request validation, in the order and with the codes of spec §2.4; errors before the stream
are the JSON envelope."""

from __future__ import annotations

from typing import Any

import pytest
from apiserver import Server, b64, make_pdf
from signing import call, error_code, sse_events

SSE = "ReconstructDocumentSSE"
PDF = b64(make_pdf(2))


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"FileType": "PDF"}, "MissingParameter"),
        ({"FileBase64": PDF}, "MissingParameter"),
        ({"FileType": "EXE", "FileBase64": PDF}, "InvalidParameter.InvalidFileType"),
        ({"FileType": 3, "FileBase64": PDF}, "InvalidParameter"),
        ({"FileType": "PDF", "FileBase64": "not base64!!"}, "InvalidParameter.InvalidFileFormat"),
        ({"FileType": "DOCX", "FileBase64": PDF}, "InvalidParameter.InvalidFileFormat"),
        (
            {"FileType": "PNG", "FileBase64": b64(b"plain text, not an image")},
            "InvalidParameter.InvalidFileFormat",
        ),
        ({"FileType": "PDF", "FileUrl": "ftp://example.com/a.pdf"}, "InvalidParameter.FileURLInvalid"),
        (
            {"FileType": "PDF", "FileBase64": PDF, "Config": {"TableResultType": "2"}},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        (
            {"FileType": "PDF", "FileBase64": PDF, "Config": {"ResultType": "9"}},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        (
            {"FileType": "PDF", "FileBase64": PDF, "Config": {"IgnoreFailedPage": "maybe"}},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        ({"FileType": "PDF", "FileBase64": PDF, "Config": "0"}, "InvalidParameter"),
        (
            {"FileType": "PDF", "FileBase64": PDF, "FileStartPageNumber": 2, "FileEndPageNumber": 1},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        (
            {"FileType": "PDF", "FileBase64": PDF, "FileStartPageNumber": 0},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        (
            {"FileType": "PDF", "FileBase64": PDF, "FileStartPageNumber": 7},
            "InvalidParameterValue.InvalidParameterValueLimit",
        ),
        (
            {"FileType": "PDF", "FileBase64": b64(b"%PDF-1.7\n garbage that is no PDF")},
            "FailedOperation.NonsupportParse",
        ),
    ],
)
def test_validation_errors_before_the_stream(server: Server, params: dict[str, Any], code: str) -> None:
    assert error_code(call(server, SSE, params)) == code


def test_base64_limit_is_8_mib_encoded(server: Server) -> None:
    too_big = "A" * (8 * 1024 * 1024 + 4)
    assert (
        error_code(call(server, SSE, {"FileType": "TXT", "FileBase64": too_big}))
        == "LimitExceeded.TooLargeFileError"
    )


def test_body_size_limit(server: Server) -> None:
    body = "A" * (server.services.settings.server.max_body_bytes + 1)
    assert (
        error_code(call(server, SSE, {"FileType": "TXT", "FileBase64": body})) == "RequestSizeLimitExceeded"
    )


def test_numbers_accepted_for_string_options(server: Server) -> None:
    evs = sse_events(
        call(
            server,
            SSE,
            {"FileType": "PDF", "FileBase64": PDF, "Config": {"TableResultType": 1, "ResultType": 0}},
        )
    )
    assert evs[-1]["ResponseType"] == "TASK_RSP"


def test_page_range(server: Server) -> None:
    evs = sse_events(
        call(
            server,
            SSE,
            {
                "FileType": "PDF",
                "FileBase64": b64(make_pdf(5)),
                "FileStartPageNumber": 2,
                "FileEndPageNumber": 3,
            },
        )
    )
    assert evs[-1]["SuccessPageNum"] == 2


@pytest.mark.parametrize(
    ("file_type", "data"),
    [
        ("TXT", b"Plain text document.\n\nSecond paragraph.\n"),
        ("CSV", b"name,value\nalpha,1\nbeta,2\n"),
        ("MD", b"# Title\n\nSome *markdown*.\n"),
    ],
)
def test_text_formats(server: Server, file_type: str, data: bytes) -> None:
    evs = sse_events(call(server, SSE, {"FileType": file_type, "FileBase64": b64(data)}))
    assert evs[0]["Progress"] == "0"
    assert evs[-1]["ResponseType"] == "TASK_RSP" and evs[-1]["SuccessPageNum"] >= 1


def test_max_pages(tmp_path: Any) -> None:
    from apiserver import run_server

    with run_server(tmp_path, limits={"max_pages_sse": 2}) as srv:
        resp = call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(3))})
        assert error_code(resp) == "LimitExceeded.ExceededMaxPagesError"
        evs = sse_events(
            call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(3)), "FileEndPageNumber": 2})
        )
        assert evs[-1]["SuccessPageNum"] == 2
