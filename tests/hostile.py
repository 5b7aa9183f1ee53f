"""Generated hostile documents (bombs, deep nesting, lying headers) for the limit tests."""

from __future__ import annotations

import zlib

from rawpdf import RawPdf


def _adler32_of_repeated(byte: int, n: int) -> int:
    """zlib's Adler-32 of ``n`` copies of ``byte``, in closed form."""
    a = (1 + n * byte) % 65521
    b = (n + byte * n * (n + 1) // 2) % 65521
    return (b << 16) | a


def deflate_bomb(size_mb: int) -> bytes:
    """zlib data that inflates to ``size_mb`` MiB of spaces (about 1 MiB per 1 GiB), built in
    milliseconds: one fully flushed deflate block of 1 MiB repeated, and the right checksum."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    adler = _adler32_of_repeated(0x20, size_mb << 20)
    return b"\x78\xda" + unit * size_mb + tail + adler.to_bytes(4, "big")


#: where :func:`flate_bomb_pdf` puts its bomb
BOMB_PLACES = ("content", "xmp", "font", "objstm")


def flate_bomb_pdf(size_mb: int, double: bool = False, where: str = "content") -> bytes:
    """A one-page PDF with a stream that inflates to ``size_mb`` MiB (``double``: inflated
    twice, ``/Filter [/FlateDecode /FlateDecode]``), as its content stream, the catalog's XMP
    ``/Metadata``, the ``/FontFile2`` of the font the page uses, or an object stream
    (``/Type /ObjStm``) beside the page's objects."""
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
    if where == "objstm":
        pdf.stream(data, f"/Type /ObjStm /N 1 /First 4 {filters}")
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
