"""Freed heap memory goes back to the system during long parses (glibc malloc_trim)."""

from __future__ import annotations

import sys

import pytest
from pdfgen import numbered_pages_pdf

import docrecon
import docrecon.pipeline as pipeline
from docrecon.heap import release_freed_memory


def test_release_works_on_linux() -> None:
    assert release_freed_memory() is sys.platform.startswith("linux")


def test_the_page_loop_releases_every_few_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(pipeline, "TRIM_EVERY", 3)
    monkeypatch.setattr(pipeline, "release_freed_memory", lambda: calls.append(1) or True)
    doc = docrecon.parse(numbered_pages_pdf(10), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    assert len(doc.pages) == 10
    assert len(calls) == 3  # after pages 3, 6 and 9
