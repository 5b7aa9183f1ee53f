"""Which reader handles a document: content sniffing first, then the declared type or extension.

A declared type (API ``FileType``, or the file extension) that contradicts the content is an
error (:class:`FormatMismatch`), never silently ignored.
"""

from __future__ import annotations

import importlib
import zipfile
from typing import TYPE_CHECKING, cast

from docrecon.errors import CorruptDocument, EncryptedDocument, FormatMismatch, UnsupportedFormat
from docrecon.readers.formats import (
    IMAGE_FORMATS,
    TEXT_FORMATS,
    Format,
    canonical,
    parse_format,
)
from docrecon.readers.source import Source

if TYPE_CHECKING:
    from docrecon.readers.base import Reader

#: format -> "module:Class"; imported lazily so optional extras stay optional
READERS: dict[Format, str] = {
    Format.PDF: "docrecon.readers.pdf:PdfReader",
    Format.DOCX: "docrecon.readers.docx:DocxReader",
    Format.PPTX: "docrecon.readers.pptx:PptxReader",
    Format.XLSX: "docrecon.readers.xlsx:XlsxReader",
    Format.XLS: "docrecon.readers.xls:XlsReader",
    Format.DOC: "docrecon.readers.legacy:DocReader",
    Format.PPT: "docrecon.readers.legacy:PptReader",
    Format.CSV: "docrecon.readers.csv:CsvReader",
    Format.MD: "docrecon.readers.text:MarkdownReader",
    Format.TXT: "docrecon.readers.text:TextReader",
    **{f: "docrecon.readers.image:ImageReader" for f in IMAGE_FORMATS},
}


def get_reader(fmt: Format) -> Reader:
    target = READERS.get(fmt)
    if target is None:
        raise UnsupportedFormat(f"no reader for {fmt.value}")
    module_name, _, cls_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnsupportedFormat(
            f"{fmt.value} support is not installed ({exc.name}); install docrecon[all]"
        ) from exc
    from docrecon.readers.boundary import BoundaryReader

    return BoundaryReader(cast("Reader", getattr(module, cls_name)()))


def _sniff_zip(src: Source) -> Format | None:
    try:
        with src.open() as fh, zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
    except NotImplementedError as exc:  # e.g. "zip file version 8.4" in a central directory entry
        raise UnsupportedFormat(f"zip container feature not supported: {exc}") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise CorruptDocument(f"damaged zip container: {exc}") from exc
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return Format.DOCX
    if "ppt/presentation.xml" in names or any(n.startswith("ppt/") for n in names):
        return Format.PPTX
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return Format.XLSX
    return None


def _sniff_ole(src: Source) -> Format | None:
    import olefile

    try:
        with src.open() as fh:
            ole = olefile.OleFileIO(fh)
            streams = {"/".join(s) for s in ole.listdir()}
            ole.close()
    except Exception as exc:  # noqa: BLE001 - olefile raises struct.error, IndexError, RecursionError...
        raise CorruptDocument(f"damaged OLE2 container: {type(exc).__name__}: {exc}") from exc
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise EncryptedDocument("the Office document is password-protected")
    if "WordDocument" in streams:
        return Format.DOC
    if "PowerPoint Document" in streams:
        return Format.PPT
    if "Workbook" in streams or "Book" in streams:
        return Format.XLS
    return None


def _sniff_image(head: bytes) -> Format | None:
    checks: list[tuple[bool, Format]] = [
        (head.startswith(b"\x89PNG\r\n\x1a\n"), Format.PNG),
        (head.startswith(b"\xff\xd8\xff"), Format.JPG),
        (head[:6] in (b"GIF87a", b"GIF89a"), Format.GIF),
        (head.startswith(b"BM") and len(head) > 14, Format.BMP),
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP", Format.WEBP),
        (head[:4] in (b"II*\x00", b"MM\x00*"), Format.TIFF),
        (
            head[4:8] == b"ftyp"
            and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis", b"avif"),
            Format.HEIC,
        ),
        (head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xffO\xffQ"), Format.JP2),
        (head.startswith(b"%!PS") or head.startswith(b"\xc5\xd0\xd3\xc6"), Format.EPS),
        (head.startswith(b"icns"), Format.ICNS),
        (head.startswith(b"Image type=") or head.startswith(b"Image type:"), Format.IM),
        (len(head) >= 128 and head[0] == 0x0A and head[1] in (0, 2, 3, 4, 5) and head[2] in (0, 1), Format.PCX),
        (len(head) > 2 and head[0:1] == b"P" and head[1:2] in b"123456" and head[2:3] in b" \t\r\n#", Format.PPM),
        (head.lstrip().startswith(b"#define") and b"_width" in head[:200], Format.XBM),
    ]
    for ok, fmt in checks:
        if ok:
            return fmt
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if not head:
        return True
    if b"\x00" in head:
        # UTF-16 without BOM: every other byte zero
        zeros = head.count(b"\x00")
        half = len(head) * 0.4
        return zeros > len(head) * 0.3 and (head[1::2].count(b"\x00") > half or head[0::2].count(b"\x00") > half)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) * 0.02


def sniff_content(src: Source) -> Format | None:
    """The format the bytes say they are, or None for plain text / unknown."""
    head = src.head(8192)
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(src)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(src)
    return _sniff_image(head)


def detect_format(src: Source) -> Format:
    """The reader format for ``src``; raises on unknown content or a contradicting declaration."""
    declared = src.declared
    if declared is None and "." in src.name:
        declared = parse_format(src.name.rsplit(".", 1)[-1])
    head = src.head(8192)
    if not head:
        raise CorruptDocument("the file is empty" + (f", not a {declared.value} document" if declared else ""))
    found = sniff_content(src)
    if found is None:
        if _looks_like_text(head):
            if declared is None:
                return Format.TXT
            if declared in TEXT_FORMATS:
                return declared
            raise FormatMismatch(f"the content is plain text, not {declared.value}")
        if declared is None:
            raise UnsupportedFormat("unrecognised file content")
        if declared in (Format.PDF, *IMAGE_FORMATS) or declared.value.endswith("X"):
            raise FormatMismatch(f"the content is not a valid {declared.value} file")
        raise UnsupportedFormat(f"unrecognised {declared.value} content")
    if declared is None:
        return found
    if canonical(declared) == canonical(found):
        return declared
    if declared is Format.EPS and found is Format.EPS:
        return found
    raise FormatMismatch(f"declared {declared.value} but the content is {found.value}")
