"""The COS-compatible HTTP endpoint (spec §3.3), reached through :class:`CosDispatch`.

A request is COS when its ``Host`` is ``<bucket>.cos.<region>.myqcloud.com`` (the SDK's IP mode),
or its path starts with ``/corp/`` (Domain mode, ``UploadUrl``/``FileUrl``), or it is
``GET|POST /?uploads``. Without a bucket in ``Host`` the configured bucket is meant.

Operations: PutObject, HeadObject, GetObject (with ``Range``), ListMultipartUploads (always
empty), InitiateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from docrecon.cos import http
from docrecon.cos.auth import CosRequest, authorize
from docrecon.cos.errors import CosError
from docrecon.cos.receive import receive
from docrecon.cos.service import CosService
from docrecon.errors import DocreconError, NotFound
from docrecon.state.cos_credentials import TempCredential
from docrecon.state.cos_objects import ObjectMeta

log = logging.getLogger(__name__)
HOST = re.compile(r"^(?P<bucket>[a-z0-9-]+)\.cos\.(?P<region>[a-z0-9-]+)\.myqcloud\.com(:\d+)?$")
_MAX_XML = 1 << 20
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _host(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            return str(value.decode("latin-1")).lower()
    return ""


def _query(scope: Scope) -> list[tuple[str, str]]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return parse_qsl(raw, keep_blank_values=True, errors="surrogateescape")


def is_cos(scope: Scope) -> bool:
    if scope["type"] != "http":
        return False
    if HOST.match(_host(scope)):
        return True
    path: str = scope["path"]
    if path.startswith("/corp/"):
        return True
    return path == "/" and scope["method"] in ("GET", "POST") and any(k == "uploads" for k, _ in _query(scope))


class CosDispatch:
    """ASGI middleware: COS requests go to :func:`handle`, everything else to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_cos(scope):
            await self.app(scope, receive, send)
            return
        services: Any = scope["app"].state.services
        await handle(services.cos, scope, receive, send)


async def handle(cos: CosService, scope: Scope, receive_: Receive, send: Send) -> None:
    request = Request(scope, receive_)
    match = HOST.match(_host(scope))
    bucket = match.group("bucket") if match else cos.settings.bucket
    region = match.group("region") if match else cos.settings.region
    headers = [(k.decode("latin-1").lower(), v.decode("utf-8", "surrogateescape")) for k, v in scope["headers"]]
    req = CosRequest(scope["method"], scope["path"], _query(scope), headers, bucket)
    rid = http.request_id()
    resource = f"{bucket}.cos.{region}.myqcloud.com{req.path}"
    try:
        response = await _operation(cos, request, req, rid)
    except CosError as exc:
        response = http.error(exc, resource, rid, head=req.method == "HEAD")
    except ClientDisconnect:
        return
    except NotFound as exc:
        response = http.error(CosError("NoSuchKey", exc.message), resource, rid, head=req.method == "HEAD")
    except DocreconError as exc:
        log.warning("COS %s %s failed: %s", req.method, req.path, exc)
        response = http.error(CosError("InternalError", exc.message), resource, rid, head=req.method == "HEAD")
    await response(scope, receive_, send)


async def _operation(cos: CosService, request: Request, req: CosRequest, rid: str) -> Response:
    cred = authorize(cos.credentials, cos.settings.bucket, req)
    params = dict(req.query)
    method = req.method
    if req.path == "/":
        if method == "GET" and "uploads" in params:
            return _list_uploads(req, params, rid)
        raise CosError("MethodNotAllowed", "only the multipart upload listing is served on the bucket")
    if method == "PUT" and ("partNumber" in params or "uploadId" in params):
        return await _upload_part(cos, request, req, cred, params, rid)
    if method == "PUT":
        return await _put_object(cos, request, req, cred, rid)
    if method == "POST" and "uploads" in params:
        upload = await asyncio.to_thread(_initiate, cos, req.bucket, cred)
        body = http.element("Bucket", req.bucket) + http.element("Key", cred.key) + http.element("UploadId", upload)
        return http.xml(f"<InitiateMultipartUploadResult>{body}</InitiateMultipartUploadResult>", rid)
    if method == "POST" and "uploadId" in params:
        return await _complete(cos, request, req, cred, params["uploadId"], rid)
    if method == "DELETE" and "uploadId" in params:
        upload_id = _upload_of(cos, req, cred, params["uploadId"])
        await asyncio.to_thread(cos.uploads.drop, upload_id)
        return http.empty(rid, status=204)
    if method in ("GET", "HEAD"):
        return await _get_object(cos, request, req, cred, rid)
    raise CosError("MethodNotAllowed", f"{method} is not supported on objects here")


def _content_length(request: Request, limit: int) -> int:
    value = request.headers.get("content-length")
    if value is None:
        raise CosError("MissingContentLength", "you must provide the Content-Length HTTP header")
    try:
        length = int(value)
    except ValueError as exc:
        raise CosError("InvalidArgument", "Content-Length is not a number") from exc
    if length < 0:
        raise CosError("InvalidArgument", "Content-Length is negative")
    if length > limit:
        raise CosError("EntityTooLarge", f"your proposed upload exceeds the maximum allowed size ({limit} bytes)")
    return length


async def _put_object(cos: CosService, request: Request, req: CosRequest, cred: TempCredential, rid: str) -> Response:
    length = _content_length(request, cos.settings.max_object_bytes)
    body = await receive(request.stream(), cos.staging_path(), length, req.header("content-md5"))
    meta = await asyncio.to_thread(cos.store, req.bucket, cred.key, body)
    return http.empty(rid, [("ETag", meta.etag), ("x-cos-hash-crc64ecma", str(meta.crc64))])


def _initiate(cos: CosService, bucket: str, cred: TempCredential) -> str:
    cos.sweep()
    return cos.uploads.create(bucket, cred.key, cred.secret_id).upload_id


def _upload_of(cos: CosService, req: CosRequest, cred: TempCredential, upload_id: str) -> str:
    try:
        upload = cos.uploads.get(upload_id) if upload_id else None
    except ValueError:
        upload = None
    if upload is None or upload.bucket != req.bucket or upload.key != cred.key:
        raise CosError("NoSuchUpload", "the specified multipart upload does not exist")
    return upload.upload_id


async def _upload_part(
    cos: CosService, request: Request, req: CosRequest, cred: TempCredential, params: dict[str, str], rid: str
) -> Response:
    upload_id = _upload_of(cos, req, cred, params.get("uploadId", ""))
    try:
        number = int(params.get("partNumber", ""))
    except ValueError as exc:
        raise CosError("InvalidArgument", "partNumber is not a number") from exc
    cos.check_part_number(number)
    length = _content_length(request, min(cos.settings.max_part_bytes, cos.settings.max_object_bytes))
    body = await receive(request.stream(), cos.staging_path(), length, req.header("content-md5"))
    try:
        os.replace(body.path, cos.uploads.part_path(upload_id, number))
    except FileNotFoundError as exc:  # aborted meanwhile
        body.path.unlink(missing_ok=True)
        raise CosError("NoSuchUpload", "the multipart upload was aborted") from exc
    cos.uploads.add_part(upload_id, number, body.size, body.etag)
    return http.empty(rid, [("ETag", body.etag), ("x-cos-hash-crc64ecma", str(body.crc64))])


def _parse_parts(data: bytes) -> list[tuple[int, str]]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise CosError("MalformedXML", "the XML you provided was not well-formed") from exc
    parts: list[tuple[int, str]] = []
    for part in root.iter():
        if part.tag.rsplit("}", 1)[-1] != "Part":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in part}
        try:
            parts.append((int(fields["PartNumber"]), fields["ETag"]))
        except (KeyError, ValueError) as exc:
            raise CosError("MalformedXML", "each Part needs a PartNumber and an ETag") from exc
    return parts


async def _read_small(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise CosError("MalformedXML", "the request body is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def _complete(
    cos: CosService, request: Request, req: CosRequest, cred: TempCredential, upload_id: str, rid: str
) -> Response:
    upload_id = _upload_of(cos, req, cred, upload_id)
    requested = _parse_parts(await _read_small(request, _MAX_XML))
    upload = cos.uploads.get(upload_id)
    if upload is None:
        raise CosError("NoSuchUpload", "the specified multipart upload does not exist")
    meta = await asyncio.to_thread(cos.complete, upload, requested)
    host = f"{req.bucket}.cos.{cos.settings.region}.myqcloud.com"
    body = (
        http.element("Location", f"{host}/{meta.key}")
        + http.element("Bucket", meta.bucket)
        + http.element("Key", meta.key)
        + http.element("ETag", meta.etag)
    )
    return http.xml(
        f"<CompleteMultipartUploadResult>{body}</CompleteMultipartUploadResult>",
        rid,
        [("x-cos-hash-crc64ecma", str(meta.crc64))],
    )


def _list_uploads(req: CosRequest, params: dict[str, str], rid: str) -> Response:
    body = (
        http.element("Bucket", req.bucket)
        + http.element("EncodingType", params.get("encoding-type", "url") or "url")
        + "<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
        + "<NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>"
        + "<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>"
        + http.element("Prefix", params.get("prefix", ""))
    )
    return http.xml(f"<ListMultipartUploadsResult>{body}</ListMultipartUploadsResult>", rid)


def _byte_range(value: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` of a ``Range: bytes=`` header; None for the whole object."""
    if value is None:
        return None
    match = _RANGE.match(value.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None  # unsupported forms (several ranges ...) are ignored, as HTTP allows
    first_s, last_s = match.groups()
    if first_s == "":
        first, last = max(size - int(last_s), 0), size - 1
    else:
        first, last = int(first_s), min(int(last_s), size - 1) if last_s else size - 1
    if first >= size or first > last:
        raise CosError("InvalidRange", "the requested range is not satisfiable")
    return first, last


def _chunks(cos: CosService, meta: ObjectMeta, first: int, length: int) -> Iterator[bytes]:
    with cos.storage.open(meta.storage_key) as fh:
        if first:
            fh.seek(first)
        left = length
        while left > 0 and (chunk := fh.read(min(1 << 16, left))):
            left -= len(chunk)
            yield chunk


async def _get_object(cos: CosService, request: Request, req: CosRequest, cred: TempCredential, rid: str) -> Response:
    meta = cos.head(req.bucket, cred.key)
    if meta is None:
        raise CosError("NoSuchKey", "the specified key does not exist")
    span = _byte_range(req.header("range"), meta.size)
    first, last = span if span is not None else (0, meta.size - 1)
    length = last - first + 1
    headers = [
        *http.object_headers(meta),
        ("Content-Length", str(length)),
        ("Content-Type", mimetypes.guess_type(meta.key)[0] or "application/octet-stream"),
        ("Accept-Ranges", "bytes"),
        ("x-cos-request-id", rid),
    ]
    status = 200
    if span is not None:
        status = 206
        headers.append(("Content-Range", f"bytes {first}-{last}/{meta.size}"))
    if req.method == "HEAD" or length == 0:
        return http.with_headers(Response(b"", status_code=status), headers)
    if await asyncio.to_thread(cos.storage.size, meta.storage_key) is None:
        raise CosError("NoSuchKey", "the object's bytes are gone")
    response = StreamingResponse(_chunks(cos, meta, first, length), status_code=status)
    return http.with_headers(response, headers)
