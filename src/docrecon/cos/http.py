"""COS responses: exact header-name case, XML bodies, XML errors (spec §3.3.3, §3.3.5, §5).

Starlette lower-cases names given through ``headers=``; COS clients read ``response["ETag"]``, so
the COS headers are appended to ``raw_headers`` as written here.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from email.utils import formatdate
from xml.sax.saxutils import escape

from starlette.responses import Response

from docrecon.cos.errors import CosError
from docrecon.state.cos_objects import ObjectMeta

XML = "application/xml"


def request_id() -> str:
    return base64.b64encode(uuid.uuid4().hex.encode()).decode()


def with_headers(response: Response, headers: Iterable[tuple[str, str]]) -> Response:
    """Add headers keeping the case of their names (replacing any of the same name)."""
    pairs = list(headers)
    names = {k.lower().encode("latin-1") for k, _ in pairs}
    kept = [(k, v) for k, v in response.raw_headers if k.lower() not in names]
    response.raw_headers = kept + [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs]
    return response


def object_headers(meta: ObjectMeta) -> list[tuple[str, str]]:
    return [
        ("ETag", meta.etag),
        ("x-cos-hash-crc64ecma", str(meta.crc64)),
        ("Last-Modified", formatdate(meta.created, usegmt=True)),
    ]


def empty(rid: str, headers: Iterable[tuple[str, str]] = (), status: int = 200) -> Response:
    """A body-less answer (PUT, part, abort)."""
    return with_headers(Response(b"", status_code=status), [*headers, ("x-cos-request-id", rid)])


def xml(body: str, rid: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    payload = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
    response = Response(payload, status_code=200, headers={"Content-Type": XML})
    return with_headers(response, [*headers, ("x-cos-request-id", rid)])


def element(name: str, value: object) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def error(exc: CosError, resource: str, rid: str, head: bool = False) -> Response:
    """The XML error; every element the SDK's parser needs is present and non-empty."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
        + element("Code", exc.cos_code)
        + element("Message", exc.message)
        + element("Resource", resource)
        + element("RequestId", rid)
        + element("TraceId", rid)
        + "</Error>"
    )
    payload = b"" if head else body.encode("utf-8")
    response = Response(payload, status_code=exc.http_status, headers={"Content-Type": XML})
    return with_headers(response, [("x-cos-request-id", rid)])
