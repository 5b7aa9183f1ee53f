"""Request fields of ReconstructDocumentSSE / CreateReconstructDocumentFlow, validated in the
order of spec §2.4: missing input, file type, base64, download, size, option values, pages.

:func:`read_fields` does the checks that need no content, :func:`obtain` gets the bytes
(decoded base64 or a checked download), :func:`check_content` compares them with ``FileType``
and the size limits, :func:`build_options` turns ``Config`` and the page range into engine options.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from docrecon.api.fetch import Fetcher
from docrecon.errors import FormatMismatch, InputError, InvalidOption, MissingParameter, TooLarge, UnsupportedFormat
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format, parse_format
from docrecon.readers.registry import detect_format
from docrecon.readers.source import Source
from docrecon.renderers.options import DEFAULT_PAGE_FORMAT, ImageMode, RenderOptions, TableMode
from docrecon.validation import FileLimits, check_range, check_size

API_TYPES = frozenset({f.value for f in Format} | {"WPS"})


@dataclass(frozen=True, slots=True)
class Fields:
    file_type: str
    url: str | None
    data: bytes | None
    start: int | None
    end: int | None
    config: dict[str, Any]


def _int_field(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(f"{name} must be an integer")
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{name} must be an integer") from None


def _str_field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    return value


def decode_base64(text: str, limit: int) -> bytes:
    compact = "".join(text.split())
    if compact.startswith("data:") and "," in compact:
        compact = compact.split(",", 1)[1]
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise FormatMismatch("FileBase64 is not valid base64") from None
    if len(compact) > limit:
        raise TooLarge(f"FileBase64 is {len(compact)} bytes encoded, the limit is {limit}")
    return data


def read_fields(body: dict[str, Any], base64_limit: int) -> Fields:
    """Checks that need no file content: missing input, FileType, base64 decoding."""
    url, b64 = _str_field(body, "FileUrl"), _str_field(body, "FileBase64")
    if url is None and b64 is None:
        raise MissingParameter("one of FileUrl and FileBase64 is required")
    file_type = _str_field(body, "FileType")
    if file_type is None:
        raise MissingParameter("FileType is required")
    if file_type.upper() not in API_TYPES:
        raise UnsupportedFormat(f"FileType {file_type!r} is not supported")
    config = body.get("Config") or {}
    if not isinstance(config, dict):
        raise InputError("Config must be an object")
    data = decode_base64(b64, base64_limit) if url is None and b64 is not None else None
    return Fields(
        file_type.upper(),
        url,
        data,
        _int_field(body, "FileStartPageNumber"),
        _int_field(body, "FileEndPageNumber"),
        config,
    )


@dataclass(frozen=True, slots=True)
class Content:
    data: bytes
    name: str
    fmt: Format


async def obtain(fields: Fields, fetcher: Fetcher, files: FileLimits, flow: bool) -> tuple[bytes, str]:
    """The file bytes and a file name (``document`` for base64 input); a download stops at the
    size limit of the declared type."""
    if fields.url is None:
        assert fields.data is not None
        return fields.data, "document"
    fmt = parse_format(fields.file_type) or Format.PDF
    fetched = await fetcher.fetch(fields.url, files.for_format(fmt, flow))
    return fetched.data, fetched.name


def check_content(data: bytes, name: str, file_type: str, files: FileLimits, flow: bool) -> Content:
    """``FileType`` against the bytes (InvalidFileFormat), then the per-type size limit
    (``flow``: of the asynchronous tasks, else of ReconstructDocumentSSE)."""
    declared = parse_format(file_type)
    assert declared is not None
    fmt = detect_format(Source.from_bytes(data, name, declared))  # FormatMismatch: InvalidFileFormat
    check_size(len(data), fmt, files.for_format(fmt, flow))
    return Content(data, name, fmt)


def _choice(config: dict[str, Any], name: str, allowed: str, default: str) -> str:
    value = config.get(name)
    if value is None or value == "":
        return default
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
    if text is None or text not in allowed.split(","):
        raise InvalidOption(f"Config.{name} must be one of {allowed.replace(',', ', ')}, not {value!r}")
    return text


def _flag(config: dict[str, Any], name: str, default: bool) -> bool:
    value = config.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise InvalidOption(f"Config.{name} must be a boolean, not {value!r}")


@dataclass(frozen=True, slots=True)
class Options:
    parse: ParseOptions
    render: RenderOptions
    result_type: str


def build_options(
    fields: Fields, max_pages: int, max_file_bytes: int | None, default_result_type: str = "3"
) -> Options:
    """``Config`` and the page range as engine options; raises InvalidParameterValueLimit.
    ``max_file_bytes`` (the size limit the content was checked against) travels with the job,
    so the worker's check (:func:`docrecon.validation.check_request`) applies the same one."""
    cfg = fields.config
    start, end = fields.start, fields.end
    check_range(start, end)
    tables = {"0": TableMode.MARKDOWN, "1": TableMode.HTML}[_choice(cfg, "TableResultType", "0,1", "0")]
    images = {"0": ImageMode.LINK, "1": ImageMode.TEXT}[_choice(cfg, "MarkdownImageResponseType", "0,1", "0")]
    page_format = cfg.get("PageFormat") or DEFAULT_PAGE_FORMAT
    if not isinstance(page_format, str) or len(page_format) > 200:
        raise InvalidOption("Config.PageFormat must be a string of at most 200 characters")
    render = RenderOptions(
        tables=tables,
        images=images,
        page_markers=_flag(cfg, "ReturnPageFormat", False),
        page_format=page_format,
    )
    result_type = _choice(cfg, "ResultType", "0,1,2,3,4,5", default_result_type)
    parse = ParseOptions(
        page_start=start,
        page_end=end,
        max_pages=max_pages,
        ignore_failed_pages=_flag(cfg, "IgnoreFailedPage", True),
        max_file_bytes=max_file_bytes,
    )
    return Options(parse, render, result_type)
