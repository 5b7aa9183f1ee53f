"""The one exception tree. Each class carries its HTTP status, short code, Tencent API code
and CLI exit code, so the API layer and the CLI translate errors in one place. No other module
writes a Tencent code: it raises (or reports) one of these classes (``tests/test_error_codes.py``
checks it). "Internal error" has one spelling, the common code ``InternalError`` (spec §1.6)::

    DocreconError                500 internal              InternalError
    ├─ InputError                400 bad_input             InvalidParameter
    │  ├─ MissingParameter       400 missing_parameter     MissingParameter
    │  ├─ InvalidValue           400 invalid_value         InvalidParameterValue
    │  ├─ UnsupportedFormat      415 unsupported_format    InvalidParameter.InvalidFileType
    │  ├─ FormatMismatch         400 format_mismatch       InvalidParameter.InvalidFileFormat
    │  ├─ FileUrlInvalid         400 file_url_invalid      InvalidParameter.FileURLInvalid
    │  ├─ InvalidOption          400 invalid_option        InvalidParameterValue.InvalidParameterValueLimit
    │  ├─ TooLarge               413 too_large             LimitExceeded.TooLargeFileError
    │  ├─ TooManyPages           413 too_many_pages        LimitExceeded.ExceededMaxPagesError
    │  ├─ BodyTooLarge           413 body_too_large        RequestSizeLimitExceeded
    │  ├─ UnknownAction          400 unknown_action        InvalidAction
    │  ├─ UnknownVersion         400 unknown_version       NoSuchVersion
    │  ├─ UnsupportedProtocol    400 unsupported_protocol  UnsupportedProtocol
    │  ├─ EncryptedDocument      422 encrypted             FailedOperation.NonsupportParse
    │  ├─ CorruptDocument        422 corrupt_document      FailedOperation.NonsupportParse
    │  └─ DocParseError          400 docparse_refused      InvalidParameter  (docParse checks, §3.4)
    ├─ AuthError                 401 unauthorized          AuthFailure.InvalidAuthorization
    │  ├─ UnknownSecretId        401 unknown_secret_id     AuthFailure.SecretIdNotFound
    │  ├─ SignatureExpired       401 signature_expired     AuthFailure.SignatureExpire
    │  ├─ SignatureMismatch      401 signature_mismatch    AuthFailure.SignatureFailure
    │  ├─ TokenInvalid           401 token_invalid         AuthFailure.TokenFailure
    │  └─ NotPermitted           401 not_permitted         AuthFailure.UnauthorizedOperation
    ├─ ParseFailed               422 parse_failed          FailedOperation.OcrFailed
    ├─ ParseTimeout              504 timeout               FailedOperation.FileParseTimeout
    ├─ NotFound                  404 not_found             ResourceNotFound
    ├─ Busy                      429 busy                  RequestLimitExceeded
    │  ├─ RateLimited            429 rate_limited          RequestLimitExceeded
    │  └─ QueueFull              429 queue_full            RequestLimitExceeded
    ├─ QuotaExceeded             429 quota_exceeded        ResourceUnavailable.ResourcePackageRunOut
    ├─ Cancelled                 409 cancelled             FailedOperation.UnKnowError
    ├─ Interrupted               503 interrupted           InternalError
    ├─ EngineUnavailable         503 engine_unavailable    FailedOperation.EngineServerError
    │  └─ OcrUnavailable         503 ocr_unavailable       FailedOperation.EngineServerError
    ├─ StorageError              503 storage_unavailable   FailedOperation.UploadResultFileFailed
    └─ ChatError                 400 chat_bad_request      (LKE chat: integer ``chat_code`` 460001)
       ├─ ChatBodyTooLarge       413 chat_body_too_large   460001
       ├─ ChatAppKeyInvalid      401 chat_bad_app_key      460002
       ├─ ChatSessionInvalid     400 chat_bad_session      460003
       ├─ ChatNotInSession       403 chat_not_in_session   460004
       ├─ ChatNotReady           409 chat_not_ready        460005
       └─ ChatUnavailable        503 chat_unavailable      460006

The LKE chat stream has no Tencent string codes: its ``error`` events carry docrecon's own
six-digit integer ``chat_code`` (spec §3.5.3). COS answers use the S3-style XML codes of
:mod:`docrecon.cos.errors` (spec §3.3.5), a separate namespace.
"""

from __future__ import annotations

from typing import ClassVar


class DocreconError(Exception):
    """An unexpected failure of docrecon itself (``InternalError``); the base of every error."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    api_code: ClassVar[str] = "InternalError"
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DocreconError):
    status = 400
    code = "bad_input"
    api_code = "InvalidParameter"
    exit_code = 2


class MissingParameter(InputError):
    code = "missing_parameter"
    api_code = "MissingParameter"


class InvalidValue(InputError):
    """A parameter value that is not allowed (an unknown FileType or TypeKey of the LKE actions)."""

    code = "invalid_value"
    api_code = "InvalidParameterValue"


class UnsupportedFormat(InputError):
    status = 415
    code = "unsupported_format"
    api_code = "InvalidParameter.InvalidFileType"
    exit_code = 3


class FormatMismatch(InputError):
    code = "format_mismatch"
    api_code = "InvalidParameter.InvalidFileFormat"
    exit_code = 3


class FileUrlInvalid(InputError):
    code = "file_url_invalid"
    api_code = "InvalidParameter.FileURLInvalid"


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


class BodyTooLarge(InputError):
    """The request body itself is over the limit (before any field is read)."""

    status = 413
    code = "body_too_large"
    api_code = "RequestSizeLimitExceeded"


class UnknownAction(InputError):
    code = "unknown_action"
    api_code = "InvalidAction"


class UnknownVersion(InputError):
    code = "unknown_version"
    api_code = "NoSuchVersion"


class UnsupportedProtocol(InputError):
    code = "unsupported_protocol"
    api_code = "UnsupportedProtocol"


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


class DocParseError(InputError):
    """A docParse check failed (spec §3.4): the stream is one final FAILED event with the message."""

    code = "docparse_refused"


class AuthError(DocreconError):
    """The request is not authenticated: ``Authorization`` missing, malformed or ``SKIP``."""

    status = 401
    code = "unauthorized"
    api_code = "AuthFailure.InvalidAuthorization"
    exit_code = 15


class UnknownSecretId(AuthError):
    code = "unknown_secret_id"
    api_code = "AuthFailure.SecretIdNotFound"


class SignatureExpired(AuthError):
    code = "signature_expired"
    api_code = "AuthFailure.SignatureExpire"


class SignatureMismatch(AuthError):
    code = "signature_mismatch"
    api_code = "AuthFailure.SignatureFailure"


class TokenInvalid(AuthError):
    code = "token_invalid"
    api_code = "AuthFailure.TokenFailure"


class NotPermitted(AuthError):
    code = "not_permitted"
    api_code = "AuthFailure.UnauthorizedOperation"


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


class RateLimited(Busy):
    code = "rate_limited"


class QueueFull(Busy):
    code = "queue_full"


class QuotaExceeded(DocreconError):
    status = 429
    code = "quota_exceeded"
    api_code = "ResourceUnavailable.ResourcePackageRunOut"
    exit_code = 10


class Cancelled(DocreconError):
    """The task was cancelled before it finished. Tencent has no code of its own: a cancelled
    SSE stream ends with the action's unclassified one; ``GetReconstructDocumentResult``
    reports no error but ``Status: "Pause"`` (see :attr:`docrecon.tasks.JobState.api_status`)."""

    status = 409
    code = "cancelled"
    api_code = "FailedOperation.UnKnowError"
    exit_code = 13

    def __init__(self, message: str = "task cancelled") -> None:
        super().__init__(message)


class Interrupted(DocreconError):
    """The server stopped while the task was queued or running."""

    status = 503
    code = "interrupted"
    api_code = "InternalError"
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


class ChatError(DocreconError):
    """An LKE chat request refused (spec §3.5.3): an ``error`` event with the integer
    ``chat_code`` (LKE's own codes are six-digit integers; these are docrecon's)."""

    status = 400
    code = "chat_bad_request"
    chat_code: ClassVar[int] = 460001


class ChatBodyTooLarge(ChatError):
    status = 413
    code = "chat_body_too_large"


class ChatAppKeyInvalid(ChatError):
    status = 401
    code = "chat_bad_app_key"
    chat_code = 460002


class ChatSessionInvalid(ChatError):
    code = "chat_bad_session"
    chat_code = 460003


class ChatNotInSession(ChatError):
    status = 403
    code = "chat_not_in_session"
    chat_code = 460004


class ChatNotReady(ChatError):
    status = 409
    code = "chat_not_ready"
    chat_code = 460005


class ChatUnavailable(ChatError):
    status = 503
    code = "chat_unavailable"
    chat_code = 460006


def _tree(cls: type[DocreconError]) -> list[type[DocreconError]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _tree(child))]


def rebuild(code: str, api_code: str, message: str) -> DocreconError:
    """The error a worker reported (its short ``code`` and Tencent ``api_code``), raised again
    on the API side with the class's status; an unknown code keeps the reported ``api_code``."""
    for cls in _tree(DocreconError):
        if cls.code == code and cls.api_code == api_code:
            return cls(message)
    exc = DocreconError(message)
    exc.api_code = api_code  # type: ignore[misc]
    return exc


__all__ = [
    "AuthError",
    "BodyTooLarge",
    "Busy",
    "Cancelled",
    "ChatAppKeyInvalid",
    "ChatBodyTooLarge",
    "ChatError",
    "ChatNotInSession",
    "ChatNotReady",
    "ChatSessionInvalid",
    "ChatUnavailable",
    "CorruptDocument",
    "DocParseError",
    "DocreconError",
    "EncryptedDocument",
    "EngineUnavailable",
    "FileUrlInvalid",
    "FormatMismatch",
    "InputError",
    "Interrupted",
    "InvalidOption",
    "InvalidValue",
    "MissingParameter",
    "NotFound",
    "NotPermitted",
    "OcrUnavailable",
    "ParseFailed",
    "ParseTimeout",
    "QueueFull",
    "QuotaExceeded",
    "RateLimited",
    "SignatureExpired",
    "SignatureMismatch",
    "StorageError",
    "TokenInvalid",
    "TooLarge",
    "TooManyPages",
    "UnknownAction",
    "UnknownSecretId",
    "UnknownVersion",
    "UnsupportedFormat",
    "UnsupportedProtocol",
    "rebuild",
]
