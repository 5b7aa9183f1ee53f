"""A pre-flight limit on PDF stream inflation, run before pdfium opens a file.

pdfium inflates streams natively and aborts the process when an allocation fails (a flate bomb:
a content stream, XMP packet, font file or object stream inflating to gigabytes). In a
supervised child that abort is reported as :class:`TooLarge`; :func:`check_streams` makes every
caller, the unsupervised ``docrecon.parse`` included, refuse such a file before pdfium sees it
(``ParseOptions.max_stream_bytes``).

Every ``stream`` of the raw file whose dictionary names ``/FlateDecode`` (once or chained, as
in ``[/FlateDecode /FlateDecode]``) may be inflated in chunks with the output counted and thrown
away, never trusting ``/Length`` or ``/DL``; the first stream that passes ``limit`` bytes
raises :class:`TooLarge`. Deflate cannot expand more than about 1032:1 (258 bytes from a
two-bit length/distance pair), so a stream whose raw length ``L`` gives ``1032**n * L < limit``
for its ``n`` chained Flate filters cannot pass the limit and is not inflated at all: on
ordinary files that skips nearly every stream, and the check costs one scan of the bytes.
Image XObjects are skipped (pdfium decodes them only to their declared size, when a page is
rendered, and the pixel limits apply). Damaged streams are left to the reader (pdfium's own
repair). Streams cannot live inside object streams, so scanning the file's bytes finds them all.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import mmap
import re
import zlib

from docrecon.errors import TooLarge

_STREAM = re.compile(rb"stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_FLATE = {b"FlateDecode", b"Fl"}
_ASCII = {b"ASCIIHexDecode": "hex", b"AHx": "hex", b"ASCII85Decode": "a85", b"A85": "a85"}
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_OBJ_END = re.compile(rb"\d+\s+\d+\s+obj$")
#: a direct ``/Length`` (not an indirect ``N G R``)
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\d)(?!\s+\d+\s+R)")
_CHUNK = 1 << 16
#: the most one Flate stage can expand its input (deflate's 258-byte matches in 2 bits)
MAX_RATIO = 1032

Buffer = bytes | mmap.mmap


def _inflated_size(data: bytes, stages: int, limit: int) -> int:
    """Bytes ``data`` inflates to through ``stages`` chained Flate filters, stopping past ``limit``."""
    decoders = [zlib.decompressobj() for _ in range(stages)]
    total = 0

    def feed(level: int, chunk: bytes) -> None:
        nonlocal total
        d = decoders[level]
        while chunk:
            out = d.decompress(chunk, _CHUNK)
            chunk = d.unconsumed_tail
            if level + 1 < stages:
                feed(level + 1, out)
            else:
                total += len(out)
                if total > limit:
                    raise _Over
            if d.eof or not out and not chunk:
                return

    try:
        for start in range(0, len(data), _CHUNK):
            feed(0, data[start : start + _CHUNK])
    except zlib.error:
        pass  # damaged: pdfium decides
    return total


class _Over(Exception):
    pass


def _dictionary(pdf: Buffer, lo: int, at: int) -> bytes:
    """The bytes between the ``N G obj`` that owns the stream starting at ``at`` and ``stream``,
    looked for back to ``lo`` (the end of the previous stream), however long the dictionary."""
    pos = at
    while (pos := pdf.rfind(b"obj", lo, pos)) >= 0:
        if pdf[pos - 3 : pos] == b"end" or _OBJ_END.search(pdf[max(lo, pos - 24) : pos + 3]):
            return pdf[pos + 3 : at]  # the owner's header, or the previous object's end
    return pdf[lo:at]


def _filters(head: bytes) -> tuple[list[str], int]:
    """The text filters (``hex``, ``a85``) and then the number of Flate filters the stream
    dictionary ``head`` chains; ``([], 0)`` for an image, no filter, or any other chain."""
    found = _FILTER.search(head)
    if not found or _IMAGE.search(head):
        return [], 0  # images: pdfium decodes them to their declared size only, when rendered
    names = _NAME.findall(found[1])
    text = [_ASCII[n] for n in itertools.takewhile(lambda n: n in _ASCII, names)]
    rest = names[len(text) :]
    if not rest or any(n not in _FLATE for n in rest):
        return [], 0  # no Flate, or Flate behind another filter (LZW, RunLength): left to pdfium
    return text, len(rest)


def _decode_text(data: bytes, text: list[str]) -> bytes:
    """``data`` through the ASCII filters (they only shrink it); damaged data gives b""."""
    for kind in text:
        try:
            if kind == "hex":
                data = binascii.unhexlify(_hex_digits(data))
            else:
                data = base64.a85decode(data.split(b"~>", 1)[0].replace(b"<~", b""), ignorechars=b" \t\r\n\f\0")
        except (ValueError, binascii.Error):
            return b""
    return data


def _hex_digits(data: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    return digits + b"0" if len(digits) % 2 else digits


def check_streams(pdf: Buffer, limit: int) -> None:
    """Raise :class:`TooLarge` if any Flate-encoded stream of ``pdf`` inflates beyond ``limit`` bytes.

    One pass over the bytes: each stream's body runs to the next ``endstream`` or to its direct
    ``/Length``, whichever is longer (a body holding the bytes ``endstream`` is not cut short),
    and the scan goes on after that ``endstream``.
    """
    pos = 0
    while m := _STREAM.search(pdf, pos):
        lo, pos = pos, m.end()
        if pdf[m.start() - 3 : m.start()] == b"end":
            continue  # "endstream\n"
        found = pdf.find(b"endstream", m.end())
        found = len(pdf) if found < 0 else found
        head = _dictionary(pdf, lo, m.start())
        text, stages = _filters(head)
        declared = _LENGTH.search(head)
        end = max(found, min(len(pdf), m.end() + int(declared[1]))) if declared else found
        pos = found
        if not stages or (end - m.end()) * MAX_RATIO**stages < limit:
            continue  # cannot pass the limit, whatever the data
        try:
            _inflated_size(_decode_text(pdf[m.end() : end], text), stages, limit)
        except _Over:
            raise TooLarge(
                f"a PDF stream inflates to more than {limit} bytes (flate bomb suspected;"
                " limit: max_stream_bytes)"
            ) from None
