"""Generated hostile documents (bombs, deep nesting, lying headers) for the limit tests."""

from __future__ import annotations

import zlib

from rawpdf import RawPdf


def _adler32_of_repeated(byte: int, n: int) -> int:
    """zlib's Adler-32 of ``n`` copies of ``byte``, in closed form."""
    a = (1 + n * byte) % 65521
    b = (n + byte * n * (n + 1) // 2) % 65521
    return (b << 16) | a


def deflate_bomb(size_mb: int, prefix: bytes = b"") -> bytes:
    """zlib data that inflates to ``prefix`` and then ``size_mb`` MiB of spaces (about 1 MiB per
    1 GiB), built in milliseconds: ``prefix`` as a stored block, one fully flushed deflate block
    of 1 MiB repeated, and the right checksum."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    n = size_mb << 20
    if prefix:
        stored = zlib.compressobj(0, zlib.DEFLATED, -15)
        head = stored.compress(prefix) + stored.flush(zlib.Z_FULL_FLUSH)
        pa = zlib.adler32(prefix)
        a0, b0 = pa & 0xFFFF, pa >> 16
        a = (a0 + 0x20 * n) % 65521  # the running sums carried on over n spaces
        b = (b0 + n * a0 + 0x20 * n * (n + 1) // 2) % 65521
        adler = (b << 16) | a
    else:
        head, adler = b"", _adler32_of_repeated(0x20, n)
    return b"\x78\xda" + head + unit * size_mb + tail + adler.to_bytes(4, "big")


def objstm_bomb_pdf(size_mb: int, double: bool = False) -> bytes:
    """A one-page PDF with a cross-reference stream whose page font lives in an object stream
    that inflates to ``size_mb`` MiB (the font, then spaces): pdfium inflates it to load the page."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    data = deflate_bomb(size_mb, prefix=b"5 0 " + font)
    filters = "/FlateDecode"
    if double:
        data, filters = zlib.compress(data, 9), "[/FlateDecode /FlateDecode]"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Length 41 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello bomb) Tj ET\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # object 5: in the object stream
        b"<< /Type /ObjStm /N 1 /First 4 /Filter %s /Length %d >>\nstream\n" % (filters.encode(), len(data))
        + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for i, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        if body is not None:
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref_at = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for i, off in enumerate(offsets, start=1):
        entry = (2, 6) if i == 5 else (1, off)  # object 5: item 0 of object stream 6
        rows.append(bytes([entry[0]]) + entry[1].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out += (b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)


#: where :func:`flate_bomb_pdf` puts its bomb
BOMB_PLACES = ("content", "xmp", "font", "objstm")


def flate_bomb_pdf(size_mb: int, double: bool = False, where: str = "content") -> bytes:
    """A one-page PDF with a stream that inflates to ``size_mb`` MiB (``double``: inflated
    twice, ``/Filter [/FlateDecode /FlateDecode]``), as its content stream, the catalog's XMP
    ``/Metadata``, the ``/FontFile2`` of the font the page uses, or the object stream holding
    that font (:func:`objstm_bomb_pdf`)."""
    if where == "objstm":
        return objstm_bomb_pdf(size_mb, double)
    data = deflate_bomb(size_mb)
    filters = "/Filter /FlateDecode"
    if double:
        data = zlib.compress(data, 9)
        filters = "/Filter [/FlateDecode /FlateDecode]"
    pdf = RawPdf()
    cat, pages = pdf.reserve(), pdf.reserve()
    text = b"BT /F1 12 Tf 72 720 Td (Hello bomb) Tj ET"
    content = pdf.stream(data, filters) if where == "content" else pdf.stream(text)
    font = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica"
    if where == "font":
        file2 = pdf.stream(data, filters)
        desc = pdf.add(f"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 -200 1000 900]"
                       f" /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 {file2} 0 R >>")
        font = (f"/Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 126"
                f" /Widths [{' '.join(['500'] * 95)}] /FontDescriptor {desc} 0 R")
    font_obj = pdf.add(f"<< {font} >>")
    page = pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R"
                   f" /Resources << /Font << /F1 {font_obj} 0 R >> >> >>")
    pdf.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    meta = ""
    if where == "xmp":
        meta = f" /Metadata {pdf.stream(data, f'/Type /Metadata /Subtype /XML {filters}')} 0 R"
    pdf.set(cat, f"<< /Type /Catalog /Pages {pages} 0 R{meta} >>")
    return pdf.build(cat)


def eps(body: str) -> bytes:
    """A small EPS file around the PostScript ``body``."""
    return (
        "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n%%EndComments\n"
        f"{body}\n0 0 moveto 100 100 lineto stroke\n%%EOF\n"
    ).encode()


EPS_LOOP = eps("{ } loop")
EPS_READ_FILE = eps("(/etc/passwd) (r) file 100 string readstring pop pop")
EPS_DELETE_FILE = eps("(/tmp/docrecon-victim) deletefile")
EPS_PIPE = eps("(%pipe%echo owned) (w) file closefile")
EPS_MEMORY = eps("/d 1000 dict def 0 1 100000000 { d exch 100000 string put } for")
