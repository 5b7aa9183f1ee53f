"""Bad Office input: each case ends in a specific error, never a crash or a hang."""

from __future__ import annotations

import io
import zipfile

import olefile
import pytest
from office_docs import sample_docx, sample_pptx, sample_xlsx, soffice_convert

import docrecon
from docrecon.errors import CorruptDocument, EncryptedDocument, FormatMismatch, TooLarge, UnsupportedFormat

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)


def _rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in (add or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def test_zip_bomb() -> None:
    bomb = _rezip(sample_docx(), {}, {"word/media/bomb.bin": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(TooLarge, match="zip bomb"):
        docrecon.parse(bomb, name="bomb.docx")


@pytest.mark.parametrize(
    ("maker", "part", "ext"),
    [(sample_docx, "word/document.xml", "docx"), (sample_xlsx, "xl/workbook.xml", "xlsx"),
     (sample_pptx, "ppt/presentation.xml", "pptx")],
)
def test_entity_expansion_refused(maker: object, part: str, ext: str) -> None:
    data = _rezip(maker(), {part: LAUGHS})  # type: ignore[operator]
    with pytest.raises(CorruptDocument, match="document type declarations"):
        docrecon.parse(data, name=f"laughs.{ext}")


MAKERS = [(sample_docx, "docx"), (sample_xlsx, "xlsx"), (sample_pptx, "pptx")]


@pytest.mark.parametrize(("maker", "ext"), MAKERS)
def test_truncated(maker: object, ext: str) -> None:
    data = maker()  # type: ignore[operator]
    with pytest.raises(CorruptDocument):
        docrecon.parse(data[: len(data) // 2], name=f"cut.{ext}")


def test_declared_type_mismatch() -> None:
    with pytest.raises(FormatMismatch):
        docrecon.parse(sample_docx(), name="a.docx", file_type="XLSX")
    with pytest.raises(FormatMismatch):
        docrecon.parse(b"just some text\n", name="notes.docx")
    with pytest.raises(FormatMismatch):
        docrecon.parse(sample_xlsx(), name="book.pptx")


def test_binary_named_csv() -> None:
    with pytest.raises((CorruptDocument, FormatMismatch, UnsupportedFormat)):
        docrecon.parse(b"\x00\x01\x02\x03" * 100, name="data.csv")


def test_encrypted_xls(tmp_path: object) -> None:
    path = f"{tmp_path}/locked.xls"
    with open(path, "wb") as fh:
        fh.write(soffice_convert(sample_xlsx(), "xlsx", "xls"))
    ole = olefile.OleFileIO(path, write_mode=True)
    wb = bytearray(ole.openstream("Workbook").read())
    bof_len = int.from_bytes(wb[2:4], "little")
    wb[4 + bof_len : 4 + bof_len + 2] = (0x002F).to_bytes(2, "little")  # next record becomes FILEPASS
    ole.write_stream("Workbook", bytes(wb))
    ole.close()
    with pytest.raises(EncryptedDocument):
        docrecon.parse(path)
