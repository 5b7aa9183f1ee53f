"""A pre-flight limit on PDF stream inflation, for use before pdfium opens a file.

pdfium inflates streams natively and aborts the process when an allocation fails (a flate bomb:
a content stream, XMP packet, font file or object stream inflating to gigabytes). In a
supervised child that abort is reported as :class:`TooLarge`; :func:`check_streams` lets an
unsupervised ``docrecon.parse`` refuse such a file before pdfium sees it.

Every ``stream`` of the raw file whose dictionary names ``/FlateDecode`` (once or chained, as
in ``[/FlateDecode /FlateDecode]``) is inflated in chunks with the output counted and thrown
away, never trusting ``/Length`` or ``/DL``; the first stream that passes ``limit`` bytes
raises :class:`TooLarge`. Image XObjects are skipped (pdfium decodes them only to their declared
size, when a page is rendered, and the pixel limits apply), which keeps the check cheap.
Damaged streams are left to the reader (pdfium's own repair).
Streams cannot live inside object streams, so scanning the file's bytes finds them all.
"""

from __future__ import annotations

import re
import zlib

from docrecon.errors import TooLarge

_STREAM = re.compile(rb"stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_CHUNK = 1 << 16
#: how far back from ``stream`` the stream's dictionary is looked for
_DICT_WINDOW = 4096


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


def check_streams(pdf: bytes, limit: int) -> None:
    """Raise :class:`TooLarge` if any Flate-encoded stream of ``pdf`` inflates beyond ``limit`` bytes."""
    for m in _STREAM.finditer(pdf):
        if m.start() >= 3 and pdf[m.start() - 3 : m.start()] == b"end":
            continue  # "endstream\n"
        head = pdf[max(0, m.start() - _DICT_WINDOW) : m.start()]
        objs = list(_OBJ.finditer(head))
        if objs:
            head = head[objs[-1].end() :]
        stages = head.count(b"/FlateDecode") + head.count(b"/Fl ") + head.count(b"/Fl/") + head.count(b"/Fl]")
        if not stages or b"/Image" in head:
            continue  # images: pdfium decodes them to their declared size only, when rendered
        end = pdf.find(b"endstream", m.end())
        body = pdf[m.end() : end if end >= 0 else len(pdf)]
        try:
            _inflated_size(body, stages, limit)
        except _Over:
            raise TooLarge(
                f"a PDF stream inflates to more than {limit} bytes (flate bomb suspected)"
            ) from None
