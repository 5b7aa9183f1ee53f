"""LKE 2023-11-30 (service ``lke``): ``DescribeStorageCredential`` (spec §3.2).

Mints temporary COS credentials that may write exactly one object, the returned ``UploadPath``,
in docrecon's embedded COS-compatible store (:mod:`docrecon.cos`), plus presigned
``UploadUrl``/``FileUrl`` for clients without the COS SDK. The file is then parsed by
``POST /v1/qbot/chat/docParse`` (:mod:`docrecon.api.docparse`).
"""

from __future__ import annotations

import secrets
import string
import time
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi.responses import Response

from docrecon.api.cloud import CloudCall, register
from docrecon.api.errors import cloud_json
from docrecon.errors import InputError, InvalidValue, MissingParameter
from docrecon.readers.formats import Format, parse_format

SERVICE = "lke"
VERSION = "2023-11-30"

#: FileType values DescribeStorageCredential accepts (spec §3.2); not all of them can be parsed
UPLOAD_TYPES = frozenset(
    "docx doc pdf txt md wps pages html mhtml epub xml json log xlsx xls csv tsv numbers pptx ppt ppsx ppsm key "
    "png jpg jpeg gif bmp tiff webp heif heic jp2 eps icns im pcx ppm xbm xmind".split()
)
#: LKE upload types docrecon reads with one of its own readers
ALIASES: dict[str, Format] = {
    "log": Format.TXT,
    "json": Format.TXT,
    "xml": Format.TXT,
    "tsv": Format.CSV,
    "ppsx": Format.PPTX,
    "ppsm": Format.PPTX,
}
TYPE_KEYS = frozenset({"", "realtime", "offline"})
_ALNUM = string.ascii_letters + string.digits


def parse_lke_type(file_type: str) -> Format | None:
    """The reader format of an LKE ``file_type`` (None: accepted for upload, not parseable)."""
    key = file_type.strip().lower().lstrip(".")
    return ALIASES.get(key) or parse_format(key)


def _str(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InputError(f"{name} must be a string")
    return str(value)


def _bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(f"{name} must be a boolean")
    return value


def upload_path(corp: str, app_id: str, kind: str, file_type: str, now: float) -> str:
    token = "".join(secrets.choice(_ALNUM) for _ in range(20))
    return f"/corp/{corp}/{app_id}/{kind}/{token}-{int(now * 1000)}.{file_type}"


async def describe_storage_credential(call: CloudCall) -> Response:
    services = call.services
    cfg = services.settings.cos
    params = call.params
    file_type = _str(params, "FileType").lower()
    if not file_type:
        raise MissingParameter("FileType is required")
    if file_type not in UPLOAD_TYPES:
        raise InvalidValue(f"FileType {file_type!r} is not supported")
    type_key = _str(params, "TypeKey")
    if type_key not in TYPE_KEYS:
        raise InvalidValue("TypeKey must be realtime or offline")
    is_public = _bool(params, "IsPublic")
    bot = _str(params, "BotBizId")
    app = services.apps.get(bot) if bot else None
    if bot and (app is None or not app.active):
        raise InvalidValue(f"BotBizId {bot} is not an active application")
    app_id = bot or "0"
    corp = str(cfg.corp_id)
    now = time.time()
    kind = "image" if is_public else "doc"
    path = upload_path(corp, app_id, kind, file_type, now)
    cred = services.cos.credentials.issue(app_id=app_id, bucket=cfg.bucket, upload_path=path, ttl=cfg.credential_ttl)
    base = (services.settings.server.public_url or call.base_url).rstrip("/")
    host = urlsplit(base).hostname or "127.0.0.1"
    url = f"{base}{quote(path, safe='/-_.~')}"

    from docrecon.cos.sign import presign

    def signed(method: str) -> str:
        query = presign(method, host, path, cred.secret_id, cred.secret_key, cred.token, cred.start, cred.expires)
        return f"{url}?{query}"

    body: dict[str, object] = {
        "Response": {
            "Credentials": {
                "TmpSecretId": cred.secret_id,
                "TmpSecretKey": cred.secret_key,
                "Token": cred.token,
                "AppId": cfg.app_id,
            },
            "StartTime": cred.start,
            "ExpiredTime": cred.expires,
            "Bucket": cfg.bucket,
            "Region": cfg.region,
            "Type": "cos",
            "FilePath": f"/corp/{corp}/{app_id}/doc/",
            "ImagePath": f"/corp/{corp}/{app_id}/image/",
            "UploadPath": path,
            "UploadUrl": signed("put"),
            "FileUrl": signed("get"),
            "CorpUin": str(cfg.corp_id),
            "RequestId": call.request_id,
        }
    }
    return cloud_json(body, call.request_id)


register("DescribeStorageCredential", SERVICE, VERSION, describe_storage_credential)
