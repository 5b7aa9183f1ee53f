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
rendered, and the pixel limits apply), unless the file names them as page contents or a font
program (then pdfium inflates them in full): those references are looked for, in the raw bytes
and the inflated object streams, only when an image stream is long enough to matter. Damaged
streams are left to the reader (pdfium's own repair). Streams cannot live inside object
streams, so scanning the file's bytes finds them all.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from docrecon.errors import TooLarge

_STREAM = re.compile(rb"stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_FLATE = {b"FlateDecode", b"Fl"}
_ASCII = {b"ASCIIHexDecode": "hex", b"AHx": "hex", b"ASCII85Decode": "a85", b"A85": "a85"}
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_OBJ_END = re.compile(rb"(\d+)\s+\d+\s+obj$")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
#: page contents and font programs: a reference, or an array of references
_USED_AS_DATA = re.compile(rb"/(?:Contents|FontFile[23]?)\s*(?:(\d+)\s+\d+\s+R|\[([^\]]*)\])")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
#: bytes of one object stream searched for those references
_OBJSTM_SCAN = 64 << 20
#: a direct ``/Length`` (not an indirect ``N G R``)
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\d)(?!\s+\d+\s+R)")
_CHUNK = 1 << 16
#: the most one Flate stage can expand its input (deflate's 258-byte matches in 2 bits)
MAX_RATIO = 1032

Buffer = bytes | mmap.mmap


def _inflated_size(data: bytes, stages: int, limit: int, keep: bytearray | None = None) -> int:
    """Bytes ``data`` inflates to through ``stages`` chained Flate filters, stopping past ``limit``
    (the output is thrown away, or appended to ``keep``)."""
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
                if keep is not None:
                    keep.extend(out)
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


@dataclass(frozen=True, slots=True)
class _Stream:
    number: int | None  # the object number, when the ``N G obj`` header was found
    head: bytes  # the stream dictionary
    start: int
    end: int


def _dictionary(pdf: Buffer, lo: int, at: int) -> tuple[int | None, bytes]:
    """The object number and the bytes between the ``N G obj`` that owns the stream starting at
    ``at`` and ``stream``, looked for back to ``lo`` (the end of the previous stream), however
    long the dictionary."""
    pos = at
    while (pos := pdf.rfind(b"obj", lo, pos)) >= 0:
        if pdf[pos - 3 : pos] == b"end":
            return None, pdf[pos + 3 : at]  # the previous object's end: no header
        header = _OBJ_END.search(pdf[max(lo, pos - 24) : pos + 3])
        if header:
            return int(header[1]), pdf[pos + 3 : at]
    return None, pdf[lo:at]


def _streams(pdf: Buffer) -> Iterator[_Stream]:
    """Every stream of the raw file, in one pass: a body runs to the next ``endstream`` or to
    its direct ``/Length``, whichever is longer (a body holding the bytes ``endstream`` is not cut
    short), and the scan goes on after that ``endstream``."""
    pos = 0
    while m := _STREAM.search(pdf, pos):
        lo, pos = pos, m.end()
        if pdf[m.start() - 3 : m.start()] == b"end":
            continue  # "endstream\n"
        found = pdf.find(b"endstream", m.end())
        found = len(pdf) if found < 0 else found
        number, head = _dictionary(pdf, lo, m.start())
        declared = _LENGTH.search(head)
        end = max(found, min(len(pdf), m.end() + int(declared[1]))) if declared else found
        pos = found
        yield _Stream(number, head, m.end(), end)


def _filters(head: bytes) -> tuple[list[str], int]:
    """The text filters (``hex``, ``a85``) and then the number of Flate filters the stream
    dictionary ``head`` chains; ``([], 0)`` for no filter or any other chain."""
    found = _FILTER.search(head)
    if not found:
        return [], 0
    names = _NAME.findall(found[1])
    text = [_ASCII[n] for n in itertools.takewhile(lambda n: n in _ASCII, names)]
    rest = names[len(text) :]
    if not rest or any(n not in _FLATE for n in rest):
        return [], 0  # no Flate, or Flate behind another filter (LZW, RunLength): left to pdfium
    return text, len(rest)


def _data_refs(pdf: Buffer, streams: list[_Stream], limit: int) -> set[int]:
    """Objects named as page ``/Contents`` or font programs (``/FontFile``, 2, 3), in the raw
    bytes and in the inflated object streams (each read up to ``_OBJSTM_SCAN`` bytes and dropped):
    pdfium inflates those in full, whatever their dictionary says."""
    refs = _refs_in(pdf)
    for s in streams:
        text, stages = _filters(s.head)
        if stages and _OBJSTM.search(s.head):
            out = bytearray()
            try:
                _inflated_size(_decode_text(pdf[s.start : s.end], text), stages, min(limit, _OBJSTM_SCAN), out)
            except _Over:
                pass  # the rest of a huge object stream is not searched (the stream is checked on its own)
            refs |= _refs_in(bytes(out))
    return refs


def _refs_in(data: Buffer) -> set[int]:
    refs: set[int] = set()
    for m in _USED_AS_DATA.finditer(data):
        refs.update(int(r) for r in ([m[1]] if m[1] else _REF.findall(m[2])))
    return refs


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
    """Raise :class:`TooLarge` if any Flate-encoded stream of ``pdf`` inflates beyond ``limit`` bytes."""
    streams = list(_streams(pdf))
    refs: set[int] | None = None
    for s in streams:
        text, stages = _filters(s.head)
        if not stages or (s.end - s.start) * MAX_RATIO**stages < limit:
            continue  # cannot pass the limit, whatever the data
        if _IMAGE.search(s.head):
            refs = _data_refs(pdf, streams, limit) if refs is None else refs
            if s.number not in refs:
                continue  # an image: pdfium decodes it to its declared size only, when rendered
        try:
            _inflated_size(_decode_text(pdf[s.start : s.end], text), stages, limit)
        except _Over:
            raise TooLarge(
                f"a PDF stream inflates to more than {limit} bytes (flate bomb suspected;"
                " limit: max_stream_bytes)"
            ) from None
