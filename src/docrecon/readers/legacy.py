"""DOC and PPT: converted to DOCX / PPTX by LibreOffice headless, then read by the OOXML readers.

Encrypted files are refused before conversion (a password prompt must never reach LibreOffice).
Pages: a DOC is paged like a DOCX (explicit page and section breaks; LibreOffice does not record
Word's rendered page breaks); a PPT has one page per slide.
"""

from __future__ import annotations

import struct
import time
from typing import ClassVar

from docrecon.errors import CorruptDocument, EncryptedDocument
from docrecon.model import AssetStore
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.docx import DocxReader
from docrecon.readers.formats import Format
from docrecon.readers.office_convert import convert
from docrecon.readers.pptx import PptxReader
from docrecon.readers.source import Source

#: FIB flag fEncrypted (Word 97-2003 binary format, [MS-DOC] 2.5.2)
_DOC_ENCRYPTED = 0x0100


def ole_streams(src: Source) -> dict[str, bytes]:
    """The small header streams needed to check for encryption."""
    import olefile

    try:
        with src.open() as fh:
            ole = olefile.OleFileIO(fh)
            try:
                names = {"/".join(s) for s in ole.listdir()}
                out = {name: b"" for name in names}
                if "WordDocument" in names:
                    with ole.openstream("WordDocument") as stream:
                        out["WordDocument"] = stream.read(64)
                return out
            finally:
                ole.close()
    except (OSError, ValueError) as exc:
        raise CorruptDocument(f"damaged OLE2 container: {exc}") from exc


def check_doc(src: Source) -> None:
    streams = ole_streams(src)
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise EncryptedDocument("the Word document is password-protected")
    fib = streams.get("WordDocument", b"")
    if len(fib) < 12:
        raise CorruptDocument("the Word document has no valid file information block")
    (flags,) = struct.unpack_from("<H", fib, 10)
    if flags & _DOC_ENCRYPTED:
        raise EncryptedDocument("the Word document is password-protected")


def check_ppt(src: Source) -> None:
    streams = ole_streams(src)
    if "EncryptedSummary" in streams or "EncryptionInfo" in streams:
        raise EncryptedDocument("the PowerPoint presentation is password-protected")
    if "PowerPoint Document" not in streams:
        raise CorruptDocument("the presentation has no PowerPoint Document stream")


def _converted(src: Source, out_ext: str, data: bytes) -> Source:
    name = f"{src.stem}.{out_ext}"
    return Source.from_bytes(data, name=name, declared=Format(out_ext.upper()))


class DocReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.DOC})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        check_doc(src)
        started = time.perf_counter()
        data = convert(src, "doc", "docx", opts.convert_timeout, opts.converter_memory_mb)
        seconds = time.perf_counter() - started
        doc = DocxReader().open(_converted(src, "docx", data), Format.DOCX, opts, assets)
        doc.metadata.update({"converted_by": "LibreOffice", "convert_seconds": f"{seconds:.2f}"})
        return doc


class PptReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PPT})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        check_ppt(src)
        started = time.perf_counter()
        data = convert(src, "ppt", "pptx", opts.convert_timeout, opts.converter_memory_mb)
        seconds = time.perf_counter() - started
        doc = PptxReader().open(_converted(src, "pptx", data), Format.PPTX, opts, assets)
        doc.metadata.update({"converted_by": "LibreOffice", "convert_seconds": f"{seconds:.2f}"})
        return doc
