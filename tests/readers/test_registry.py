"""Content sniffing first, declared type second; a contradiction is an error."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from office_docs import sample_pptx
from pdfgen import numbered_pages_pdf

import docrecon
from docrecon.errors import CorruptDocument, FormatMismatch, UnsupportedFormat
from docrecon.readers.formats import Format
from docrecon.readers.registry import detect_format
from docrecon.readers.source import Source


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buf, format="PNG")
    return buf.getvalue()


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expect"),
    [
        (numbered_pages_pdf(1), "a.pdf", Format.PDF),
        (numbered_pages_pdf(1), "noext", Format.PDF),
        (_png(), "a.png", Format.PNG),
        (_zip(["word/document.xml"]), "a.docx", Format.DOCX),
        (_zip(["ppt/presentation.xml"]), "a.bin", Format.PPTX),
        (_zip(["xl/workbook.xml"]), "a.xlsx", Format.XLSX),
        (b"a,b\n1,2\n", "t.csv", Format.CSV),
        (b"# Title\n", "t.md", Format.MD),
        (b"plain text\n", "t", Format.TXT),
        ("\ufeffhello".encode("utf-16"), "u.txt", Format.TXT),
    ],
)
def test_sniffed(data: bytes, name: str, expect: Format) -> None:
    assert detect_format(Source.from_bytes(data, name)) is expect


def test_declared_type_wins_only_when_consistent() -> None:
    pdf = numbered_pages_pdf(1)
    assert detect_format(Source.from_bytes(pdf, "x", declared=Format.PDF)) is Format.PDF
    with pytest.raises(FormatMismatch, match="declared PNG"):
        detect_format(Source.from_bytes(pdf, "x", declared=Format.PNG))
    with pytest.raises(FormatMismatch):
        detect_format(Source.from_bytes(b"just text", "x", declared=Format.PDF))


def test_jpeg_and_jpg_are_one_type() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 30)).save(buf, format="JPEG")
    assert detect_format(Source.from_bytes(buf.getvalue(), "x.jpeg")) is Format.JPEG


def test_unknown_and_broken_containers() -> None:
    with pytest.raises(UnsupportedFormat):
        detect_format(Source.from_bytes(bytes(range(256)), "blob.bin"))
    with pytest.raises(CorruptDocument):
        detect_format(Source.from_bytes(b"PK\x03\x04" + b"\x00" * 40, "a.docx"))


def test_issue14_fuzz_zip_entry_needing_a_newer_zip_version_is_unsupported() -> None:
    """Found by the PPTX fuzz target: a bit flip made a central directory entry ask for zip
    version 8.4; ``zipfile`` raises ``NotImplementedError`` while the container is sniffed."""
    data = bytearray(sample_pptx())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 6, 84)  # version needed to extract: 8.4
    with pytest.raises(UnsupportedFormat, match="zip file version 8.4"):
        detect_format(Source.from_bytes(bytes(data), "deck.pptx"))
    with pytest.raises(UnsupportedFormat):
        docrecon.parse(bytes(data), name="deck.pptx")


@pytest.mark.parametrize("declared", [Format.PDF, None])
def test_issue15_empty_file_is_reported_as_empty(declared: Format | None) -> None:
    with pytest.raises(CorruptDocument, match="the file is empty"):
        detect_format(Source.from_bytes(b"", "empty.bin", declared))
