"""COS errors (spec §3.3.5): S3-style codes, each with its HTTP status, written as XML by
:mod:`docrecon.cos.http`. They join the project's tree under :class:`DocreconError`."""

from __future__ import annotations

from typing import ClassVar

from docrecon.errors import DocreconError

#: COS / S3 error code -> HTTP status
STATUS: dict[str, int] = {
    "AccessDenied": 403,
    "SignatureDoesNotMatch": 403,
    "InvalidAccessKeyId": 403,
    "RequestTimeTooSkewed": 403,
    "InvalidToken": 400,
    "InvalidArgument": 400,
    "InvalidDigest": 400,
    "BadDigest": 400,
    "EntityTooLarge": 400,
    "IncompleteBody": 400,
    "InvalidPart": 400,
    "InvalidPartOrder": 400,
    "MalformedXML": 400,
    "InvalidURI": 400,
    "NoSuchBucket": 404,
    "NoSuchKey": 404,
    "NoSuchUpload": 404,
    "MethodNotAllowed": 405,
    "MissingContentLength": 411,
    "InvalidRange": 416,
    "NotImplemented": 501,
    "InternalError": 500,
}


class CosError(DocreconError):
    """A COS error; ``cos_code`` is one of :data:`STATUS`."""

    code: ClassVar[str] = "cos_error"

    def __init__(self, cos_code: str, message: str) -> None:
        super().__init__(message)
        self.cos_code = cos_code
        self.http_status = STATUS[cos_code]
