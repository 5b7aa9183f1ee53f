"""Error codes live in one place (issue 15 item 4): no Tencent code string and no chat code number
is written outside ``errors.py``; every other module raises or reports an error class.

COS answers (``docrecon/cos``) use S3-style XML codes (spec §3.3.5), a separate namespace kept in
``cos/errors.py``, so that package is not scanned for them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from docrecon import errors
from docrecon.errors import ChatError, DocParseError, DocreconError, InputError

SRC = Path(__file__).resolve().parent.parent / "src" / "docrecon"

#: a whole string literal that is a Tencent Cloud error code (spec §1.6, §2.7)
CODE = re.compile(
    r"^(FailedOperation|InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter|LimitExceeded"
    r"|ResourceNotFound|ResourceUnavailable|ResourcesSoldOut|RequestLimitExceeded|RequestSizeLimitExceeded"
    r"|InternalError|AuthFailure|UnauthorizedOperation|UnsupportedProtocol|InvalidAction|NoSuchVersion)"
    r"(\.[A-Za-z]+)?$"
)
#: docrecon's six-digit LKE chat codes
CHAT_CODE = re.compile(r"^46\d{4}$")

SCANNED = sorted(f for f in SRC.rglob("*.py") if f != SRC / "errors.py" and f.relative_to(SRC).parts[0] != "cos")


def _literals(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.Constant) and type(node.value) is int and CHAT_CODE.match(str(node.value)):
            found.append((node.lineno, str(node.value)))
    return sorted(found)


@pytest.mark.parametrize("path", SCANNED, ids=[str(f.relative_to(SRC)) for f in SCANNED])
def test_no_error_code_outside_errors_py(path: Path) -> None:
    assert _literals(path) == [], f"{path.relative_to(SRC)}: write the code on a class in errors.py"


def test_the_scan_finds_a_hand_written_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('raise CloudError("FailedOperation.UnKnowError", "x")\nCODE = 460004\n', encoding="utf-8")
    assert _literals(bad) == [(1, "FailedOperation.UnKnowError"), (2, "460004")]


def _tree(cls: type[DocreconError]) -> list[type[DocreconError]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _tree(child))]


def test_every_class_has_its_own_short_code_and_a_tencent_code() -> None:
    classes = _tree(DocreconError)
    assert len({c.code for c in classes}) == len(classes)
    assert all(CODE.match(c.api_code) for c in classes)


def test_one_spelling_of_internal_error() -> None:
    internal = {c.api_code for c in _tree(DocreconError) if "Internal" in c.api_code or "UnKnow" in c.api_code}
    assert "InternalError" in internal and "FailedOperation.InternalError" not in internal
    assert DocreconError.api_code == "InternalError"


def test_chat_and_docparse_errors_join_the_tree() -> None:
    assert issubclass(ChatError, DocreconError) and issubclass(DocParseError, InputError)
    chat = _tree(ChatError)
    assert all(isinstance(c.chat_code, int) and CHAT_CODE.match(str(c.chat_code)) for c in chat)
    assert {c.__name__ for c in chat} <= set(errors.__all__)
