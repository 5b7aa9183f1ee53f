"""The file types docrecon accepts, their MIME types and families (size limits: :mod:`docrecon.validation`)."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    PDF = "PDF"
    DOC = "DOC"
    DOCX = "DOCX"
    PPT = "PPT"
    PPTX = "PPTX"
    XLS = "XLS"
    XLSX = "XLSX"
    CSV = "CSV"
    MD = "MD"
    TXT = "TXT"
    PNG = "PNG"
    JPG = "JPG"
    JPEG = "JPEG"
    BMP = "BMP"
    GIF = "GIF"
    WEBP = "WEBP"
    HEIC = "HEIC"
    HEIF = "HEIF"
    EPS = "EPS"
    ICNS = "ICNS"
    IM = "IM"
    PCX = "PCX"
    PPM = "PPM"
    TIFF = "TIFF"
    XBM = "XBM"
    JP2 = "JP2"


IMAGE_FORMATS = frozenset(
    {
        Format.PNG, Format.JPG, Format.JPEG, Format.BMP, Format.GIF, Format.WEBP, Format.HEIC,
        Format.HEIF, Format.EPS, Format.ICNS, Format.IM, Format.PCX, Format.PPM, Format.TIFF,
        Format.XBM, Format.JP2,
    }
)
TEXT_FORMATS = frozenset({Format.CSV, Format.MD, Format.TXT})
OOXML_FORMATS = frozenset({Format.DOCX, Format.PPTX, Format.XLSX})
OLE_FORMATS = frozenset({Format.DOC, Format.PPT, Format.XLS})

#: formats that are the same thing under two names
SYNONYMS: dict[Format, Format] = {Format.JPEG: Format.JPG, Format.HEIF: Format.HEIC}

EXTENSIONS: dict[str, Format] = {f.value.lower(): f for f in Format}
EXTENSIONS.update(
    {
        "tif": Format.TIFF, "markdown": Format.MD, "text": Format.TXT, "pbm": Format.PPM,
        "pgm": Format.PPM, "pnm": Format.PPM, "j2k": Format.JP2, "jpx": Format.JP2,
        "jpf": Format.JP2, "epsf": Format.EPS, "ps": Format.EPS, "hif": Format.HEIF, "wps": Format.DOC,
    }
)

MIME: dict[Format, str] = {
    Format.PDF: "application/pdf",
    Format.DOC: "application/msword",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PPT: "application/vnd.ms-powerpoint",
    Format.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    Format.XLS: "application/vnd.ms-excel",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.CSV: "text/csv",
    Format.MD: "text/markdown",
    Format.TXT: "text/plain",
    Format.PNG: "image/png",
    Format.JPG: "image/jpeg",
    Format.JPEG: "image/jpeg",
    Format.BMP: "image/bmp",
    Format.GIF: "image/gif",
    Format.WEBP: "image/webp",
    Format.HEIC: "image/heic",
    Format.HEIF: "image/heif",
    Format.EPS: "application/postscript",
    Format.ICNS: "image/icns",
    Format.IM: "image/x-im",
    Format.PCX: "image/x-pcx",
    Format.PPM: "image/x-portable-pixmap",
    Format.TIFF: "image/tiff",
    Format.XBM: "image/x-xbitmap",
    Format.JP2: "image/jp2",
}

def canonical(fmt: Format) -> Format:
    return SYNONYMS.get(fmt, fmt)


def parse_format(name: str) -> Format | None:
    """A format from a declared type or extension (case-insensitive, leading dot allowed)."""
    key = name.strip().lower().lstrip(".")
    return EXTENSIONS.get(key)
