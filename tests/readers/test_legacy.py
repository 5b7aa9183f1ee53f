"""DOC, PPT (LibreOffice) and XLS (xlrd) readers on files LibreOffice makes from generated OOXML."""

from __future__ import annotations

import os
import subprocess

import olefile
import pytest
from golden import DATA, assert_golden
from office_docs import sample_docx, sample_pptx, sample_xlsx, soffice_convert

import docrecon
from docrecon.errors import EncryptedDocument, ParseTimeout
from docrecon.model import BlockType
from docrecon.options import ParseOptions
from docrecon.readers import office_convert
from docrecon.readers.source import Source


@pytest.fixture(scope="session")
def legacy() -> dict[str, bytes]:
    """One LibreOffice conversion per format for the whole session."""
    return {
        "doc": soffice_convert(sample_docx(), "docx", "doc"),
        "ppt": soffice_convert(sample_pptx(), "pptx", "ppt"),
        "xls": soffice_convert(sample_xlsx(), "xlsx", "xls"),
    }


@pytest.mark.parametrize("fmt", ["doc", "ppt", "xls"])
def test_golden(legacy: dict[str, bytes], fmt: str) -> None:
    doc = docrecon.parse(legacy[fmt], name=f"sample.{fmt}")
    assert doc.source.format == fmt.upper()
    assert_golden(doc, DATA / fmt / "sample")


def test_doc_keeps_structure(legacy: dict[str, bytes]) -> None:
    doc = docrecon.parse(legacy["doc"], name="sample.doc")
    types = {b.type for b in doc.blocks()}
    wanted = {BlockType.TITLE, BlockType.HEADING, BlockType.LIST_ITEM, BlockType.TABLE, BlockType.FIGURE}
    assert wanted <= types
    assert doc.metadata["converted_by"] == "LibreOffice"


def test_ppt_slides(legacy: dict[str, bytes]) -> None:
    doc = docrecon.parse(legacy["ppt"], name="sample.ppt")
    assert doc.page_count == 3
    assert doc.pages[0].blocks[0].text == "Deck Title"


def test_xls_values(legacy: dict[str, bytes]) -> None:
    doc = docrecon.parse(legacy["xls"], name="sample.xls")
    texts = [c.text for b in doc.blocks() if b.table for c in b.table.cells]
    assert "$1,234.50" in texts and "2024-03-05" in texts


def test_encrypted_doc_refused(legacy: dict[str, bytes], tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "locked.doc")
    with open(path, "wb") as fh:
        fh.write(legacy["doc"])
    ole = olefile.OleFileIO(path, write_mode=True)
    fib = bytearray(ole.openstream("WordDocument").read())
    fib[11] |= 0x01  # fEncrypted (bit 8 of the flags word at offset 10)
    ole.write_stream("WordDocument", bytes(fib))
    ole.close()
    with pytest.raises(EncryptedDocument):
        docrecon.parse(path)


def test_timeout_kills_the_converter(legacy: dict[str, bytes]) -> None:
    before = subprocess.run(["pgrep", "-c", "-f", "docrecon-lo-"], capture_output=True, text=True).stdout
    with pytest.raises(ParseTimeout):
        office_convert.convert(Source.from_bytes(legacy["doc"], "x.doc"), "doc", "docx", timeout=0.01)
    after = subprocess.run(["pgrep", "-c", "-f", "docrecon-lo-"], capture_output=True, text=True).stdout
    assert int(after.strip() or 0) <= int(before.strip() or 0)


def test_conversion_slots_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office_convert, "SLOTS", 1)
    with office_convert.conversion_slot(1.0):
        with pytest.raises(docrecon.errors.Busy):
            with office_convert.conversion_slot(0.1):
                pass


def test_page_range_on_ppt(legacy: dict[str, bytes]) -> None:
    doc = docrecon.parse(legacy["ppt"], ParseOptions(page_start=2, page_end=2), name="s.ppt")
    assert [p.number for p in doc.pages] == [2]


def _ole_directory_loop(data: bytes) -> bytes:
    """The OLE2 directory's FAT entry points at itself: a chain that never ends."""
    import struct

    buf = bytearray(data)
    shift = struct.unpack_from("<H", buf, 0x1E)[0]
    size = 1 << shift
    dir_sector = struct.unpack_from("<I", buf, 0x30)[0]
    fat_sector = struct.unpack_from("<I", buf, 0x4C)[0]
    struct.pack_into("<I", buf, (fat_sector + 1) * size + 4 * dir_sector, dir_sector)
    return bytes(buf)


def test_damaged_xls_ends_in_the_error_tree(legacy: dict[str, bytes]) -> None:
    import random

    from docrecon.errors import DocreconError
    from docrecon.options import OcrMode

    data = legacy["xls"]
    rng = random.Random(14)
    cases = [data[: int(len(data) * f)] for f in (0.5, 0.9, 0.99)] + [_ole_directory_loop(data)]
    for _ in range(8):
        flipped = bytearray(data)
        for _ in range(8):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        cases.append(bytes(flipped))
    for i, case in enumerate(cases):
        try:
            docrecon.parse(case, ParseOptions(ocr=OcrMode.OFF), name="damaged.xls")
        except DocreconError:
            pass
        except Exception as exc:  # noqa: BLE001 - an escape is the failure being tested
            pytest.fail(f"variant {i}: {type(exc).__name__}: {exc}")
