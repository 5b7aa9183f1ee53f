"""Text decoding for plain-text formats (TXT, MD, CSV): BOMs, UTF-16 without BOM, then detection."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from docrecon.errors import CorruptDocument

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: East Asian legacy encodings tried before the statistical detector (most common first)
_LEGACY = ("gb18030", "cp932", "big5", "euc-kr")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> tuple[str, int]:
    """(encoding, number of BOM bytes to skip)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16, 0
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a multi-byte character cut at the end (truncated file)
            return "utf-8", 0
    best = from_bytes(data[: 1 << 20]).best()
    guess = best.encoding if best is not None else None
    candidates = ([guess] if guess else []) + list(_LEGACY)
    for name in candidates:
        try:
            data.decode(name)
            return name, 0
        except (UnicodeDecodeError, LookupError):
            continue
    return guess or "latin-1", 0


def decode_text(data: bytes) -> str:
    """Decode bytes of a text document; undecodable bytes become U+FFFD rather than failing."""
    if b"\x00" in data[:4096] and _utf16_without_bom(data) is None and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        raise CorruptDocument("the text file holds binary data")
    encoding, skip = detect_encoding(data)
    text = data[skip:].decode(encoding, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
