"""``GET /results/<TaskId>_parse.zip?expires=&sig=``: the signed, expiring result link (spec §2.8).

A bad or expired signature is HTTP 403 with a COS-style XML error (spec §3.3.5), a swept or
unknown result 404, because some clients only look at the status.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from docrecon.api.services import Services
from docrecon.errors import NotFound
from docrecon.storage import LocalStorage, Storage

router = APIRouter(include_in_schema=False)
_NAME = re.compile(r"^([0-9a-f-]{36})_parse\.zip$")


def cos_error(status: int, code: str, message: str, resource: str) -> Response:
    rid = uuid.uuid4().hex
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message><Resource>{escape(resource)}</Resource>"
        f"<RequestId>{rid}</RequestId></Error>"
    )
    return Response(
        xml.encode(), status_code=status, headers={"Content-Type": "application/xml", "x-cos-request-id": rid}
    )


def _chunks(storage: Storage, key: str) -> Iterator[bytes]:
    with storage.open(key) as fh:
        while chunk := fh.read(1 << 16):
            yield chunk


def zip_response(storage: Storage, key: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if isinstance(storage, LocalStorage):
        return FileResponse(storage.path(key), headers=headers, media_type="application/zip")
    return StreamingResponse(_chunks(storage, key), headers={**headers, "Content-Type": "application/zip"})


@router.get("/results/{name}")
async def download_result(name: str, request: Request, expires: int = 0, sig: str = "") -> Response:
    services: Services = request.app.state.services
    resource = request.url.path
    match = _NAME.match(name)
    if match is None:
        return cos_error(404, "NoSuchKey", "no such result", resource)
    if not services.check_signature(name, expires, sig):
        return cos_error(403, "AccessDenied", "the link signature is invalid or has expired", resource)
    key = f"results/{name}"
    if services.storage.size(key) is None:
        return cos_error(404, "NoSuchKey", "the result does not exist or has been deleted", resource)
    try:
        return zip_response(services.storage, key, name)
    except NotFound:
        return cos_error(404, "NoSuchKey", "the result does not exist or has been deleted", resource)
