"""EPS through Ghostscript with a time and memory limit: hostile PostScript ends in a clean
error, and the converter is killed on expiry."""

from __future__ import annotations

import pytest
from hostile import EPS_DELETE_FILE, EPS_LOOP, EPS_MEMORY, EPS_PIPE, EPS_READ_FILE, eps

import docrecon
from docrecon.errors import CorruptDocument, DocreconError, ParseTimeout, TooLarge
from docrecon.options import OcrMode, ParseOptions

OPTS = ParseOptions(ocr=OcrMode.OFF, ghostscript_timeout=2, converter_memory_mb=300)


def test_a_plain_eps_renders() -> None:
    doc = docrecon.parse(eps(""), OPTS, name="ok.eps")
    assert len(doc.pages) == 1 and doc.pages[0].width == 300  # 100 pt at the EPS scale of 3


def test_an_infinite_loop_is_killed_at_the_time_limit() -> None:
    with pytest.raises(ParseTimeout, match="within 2 s"):
        docrecon.parse(EPS_LOOP, OPTS, name="loop.eps")


@pytest.mark.parametrize(
    ("data", "cls", "words"),
    [
        (EPS_READ_FILE, CorruptDocument, "invalidfileaccess"),
        (EPS_PIPE, CorruptDocument, "invalidfileaccess"),
        (EPS_DELETE_FILE, CorruptDocument, "refused"),
        (EPS_MEMORY, TooLarge, "300 MiB"),
    ],
    ids=["read-file", "pipe", "deletefile", "memory"],
)
def test_safer_refusals_and_memory_exhaustion_are_clean_errors(
    data: bytes, cls: type[DocreconError], words: str
) -> None:
    opts = ParseOptions(ocr=OcrMode.OFF, ghostscript_timeout=60, converter_memory_mb=300)
    with pytest.raises(cls, match=words):
        docrecon.parse(data, opts, name="hostile.eps")
