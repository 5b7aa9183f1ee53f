"""errors.rebuild: a worker's reported error raised again with its class (issue 15 item 4)."""

from __future__ import annotations

from docrecon.errors import DocreconError, EncryptedDocument, rebuild


def test_known_code_gives_its_class() -> None:
    exc = rebuild("encrypted", EncryptedDocument.api_code, "locked")
    assert isinstance(exc, EncryptedDocument) and exc.status == 422 and exc.message == "locked"


def test_unknown_code_keeps_the_reported_api_code() -> None:
    exc = rebuild("", "FailedOperation.SomethingElse", "odd")
    assert type(exc) is DocreconError and exc.api_code == "FailedOperation.SomethingElse"
