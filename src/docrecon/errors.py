"""The one exception tree. Each class carries its HTTP status, short code, Tencent API code
and CLI exit code, so the API layer and the CLI translate errors in one place::

    DocreconError                500 internal              FailedOperation.UnKnowError
    ├─ InputError                400 bad_input             InvalidParameter
    │  ├─ UnsupportedFormat      415 unsupported_format    InvalidParameter.InvalidFileType
    │  ├─ FormatMismatch         400 format_mismatch       InvalidParameter.InvalidFileFormat
    │  ├─ InvalidOption          400 invalid_option        InvalidParameterValue.InvalidParameterValueLimit
    │  ├─ TooLarge               413 too_large             LimitExceeded.TooLargeFileError
    │  ├─ TooManyPages           413 too_many_pages        LimitExceeded.ExceededMaxPagesError
    │  ├─ EncryptedDocument      422 encrypted             FailedOperation.NonsupportParse
    │  └─ CorruptDocument        422 corrupt_document      FailedOperation.NonsupportParse
    ├─ ParseFailed               422 parse_failed          FailedOperation.OcrFailed
    ├─ ParseTimeout              504 timeout               FailedOperation.FileParseTimeout
    ├─ NotFound                  404 not_found             ResourceNotFound
    ├─ Busy                      429 busy                  RequestLimitExceeded
    ├─ Cancelled                 409 cancelled             FailedOperation.UnKnowError
    ├─ Interrupted               503 interrupted           FailedOperation.InternalError
    ├─ EngineUnavailable         503 engine_unavailable    FailedOperation.EngineServerError
    │  └─ OcrUnavailable         503 ocr_unavailable       FailedOperation.EngineServerError
    └─ StorageError              503 storage_unavailable   FailedOperation.UploadResultFileFailed
"""

from __future__ import annotations

from typing import ClassVar


class DocreconError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    api_code: ClassVar[str] = "FailedOperation.UnKnowError"
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DocreconError):
    status = 400
    code = "bad_input"
    api_code = "InvalidParameter"
    exit_code = 2


class UnsupportedFormat(InputError):
    status = 415
    code = "unsupported_format"
    api_code = "InvalidParameter.InvalidFileType"
    exit_code = 3


class FormatMismatch(InputError):
    code = "format_mismatch"
    api_code = "InvalidParameter.InvalidFileFormat"
    exit_code = 3


class InvalidOption(InputError):
    code = "invalid_option"
    api_code = "InvalidParameterValue.InvalidParameterValueLimit"
    exit_code = 2


class TooLarge(InputError):
    status = 413
    code = "too_large"
    api_code = "LimitExceeded.TooLargeFileError"
    exit_code = 4


class TooManyPages(InputError):
    status = 413
    code = "too_many_pages"
    api_code = "LimitExceeded.ExceededMaxPagesError"
    exit_code = 4


class EncryptedDocument(InputError):
    status = 422
    code = "encrypted"
    api_code = "FailedOperation.NonsupportParse"
    exit_code = 5


class CorruptDocument(InputError):
    status = 422
    code = "corrupt_document"
    api_code = "FailedOperation.NonsupportParse"
    exit_code = 6


class ParseFailed(DocreconError):
    status = 422
    code = "parse_failed"
    api_code = "FailedOperation.OcrFailed"
    exit_code = 7


class ParseTimeout(DocreconError):
    status = 504
    code = "timeout"
    api_code = "FailedOperation.FileParseTimeout"
    exit_code = 8


class NotFound(DocreconError):
    status = 404
    code = "not_found"
    api_code = "ResourceNotFound"
    exit_code = 9


class Busy(DocreconError):
    status = 429
    code = "busy"
    api_code = "RequestLimitExceeded"
    exit_code = 10


class Cancelled(DocreconError):
    """The task was cancelled before it finished (Tencent has no own code: the unclassified one)."""

    status = 409
    code = "cancelled"
    exit_code = 13


class Interrupted(DocreconError):
    """The server stopped while the task was queued or running."""

    status = 503
    code = "interrupted"
    api_code = "FailedOperation.InternalError"
    exit_code = 14


class EngineUnavailable(DocreconError):
    """The parse worker died or could not be reached."""

    status = 503
    code = "engine_unavailable"
    api_code = "FailedOperation.EngineServerError"
    exit_code = 11


class OcrUnavailable(EngineUnavailable):
    status = 503
    code = "ocr_unavailable"
    api_code = "FailedOperation.EngineServerError"
    exit_code = 11


class StorageError(DocreconError):
    status = 503
    code = "storage_unavailable"
    api_code = "FailedOperation.UploadResultFileFailed"
    exit_code = 12


def _tree(cls: type[DocreconError]) -> list[type[DocreconError]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _tree(child))]


def rebuild(code: str, api_code: str, message: str) -> DocreconError:
    """The error a worker reported (its short ``code`` and Tencent ``api_code``), raised again
    on the API side with the class's status; an unknown code keeps the reported ``api_code``."""
    for cls in _tree(DocreconError):
        if cls.code == code and cls.api_code == api_code and cls.__init__ is DocreconError.__init__:
            return cls(message)
    exc = DocreconError(message)
    exc.api_code = api_code  # type: ignore[misc]
    return exc


__all__ = [
    "Busy",
    "Cancelled",
    "CorruptDocument",
    "DocreconError",
    "EncryptedDocument",
    "EngineUnavailable",
    "FormatMismatch",
    "InputError",
    "Interrupted",
    "InvalidOption",
    "NotFound",
    "OcrUnavailable",
    "ParseFailed",
    "ParseTimeout",
    "StorageError",
    "TooLarge",
    "TooManyPages",
    "UnsupportedFormat",
    "rebuild",
]
