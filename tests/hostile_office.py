"""Generated hostile Office and image files (each reproduces a class from issue 14)."""

from __future__ import annotations

import io
import re
import struct
import zipfile

from office_docs import sample_docx, sample_pptx, sample_xlsx


def rezip(data: bytes, edit: dict[str, bytes | None]) -> bytes:
    """``data`` (a zip) with the parts in ``edit`` replaced (None: removed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in edit:
                if edit[info.filename] is not None:
                    dst.writestr(info.filename, edit[info.filename])  # type: ignore[arg-type]
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def with_compression_method(data: bytes, name: str, method: int) -> bytes:
    """Set the compression method of member ``name`` (99 = AES, 97 = unknown) in both headers."""
    buf = bytearray(data)
    encoded = name.encode()
    for sig, offset, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        for m in re.finditer(re.escape(sig), bytes(buf)):
            start = m.start()
            nlen = struct.unpack_from("<H", buf, start + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(buf[start + name_at : start + name_at + nlen]) == encoded:
                struct.pack_into("<H", buf, start + offset, method)
    return bytes(buf)


def docx_nested_tables(depth: int) -> bytes:
    data = sample_docx()
    body = part(data, "word/document.xml").decode()
    cell = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    for _ in range(depth):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"
    body = body.replace("<w:body>", "<w:body>" + cell, 1)
    return rezip(data, {"word/document.xml": body.encode()})


def pptx_nested_groups(depth: int) -> bytes:
    data = sample_pptx()
    slide = part(data, "ppt/slides/slide1.xml").decode()
    inner = ('<p:sp><p:nvSpPr><p:cNvPr id="9999" name="t"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>'
             '<p:txBody><a:bodyPr/><a:p><a:r><a:t>deep text</a:t></a:r></a:p></p:txBody></p:sp>')
    for i in range(depth):
        inner = (f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{10000 + i}" name="g"/><p:cNvGrpSpPr/><p:nvPr/>'
                 f"</p:nvGrpSpPr><p:grpSpPr/>{inner}</p:grpSp>")
    slide = slide.replace("</p:spTree>", inner + "</p:spTree>", 1)
    return rezip(data, {"ppt/slides/slide1.xml": slide.encode()})


def pptx_missing_slide() -> bytes:
    return rezip(sample_pptx(), {"ppt/slides/slide1.xml": None})


def xlsx_sheet(edit_sheet: object) -> bytes:
    data = sample_xlsx()
    sheet = part(data, "xl/worksheets/sheet1.xml").decode()
    return rezip(data, {"xl/worksheets/sheet1.xml": edit_sheet(sheet).encode()})  # type: ignore[operator]


def xlsx_bad_shared_string() -> bytes:
    return xlsx_sheet(lambda s: re.sub(r'(<c r="A1"[^>]*t="s"[^>]*>)<v>\d+</v>', r"\1<v>99999</v>", s, count=1))


def xlsx_far_cell() -> bytes:
    cell = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx_sheet(lambda s: s.replace("</sheetData>", cell + "</sheetData>", 1))


def xlsx_whole_sheet_merge() -> bytes:
    def edit(s: str) -> str:
        s = re.sub(r"<mergeCells.*?</mergeCells>", "", s, flags=re.S)
        merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        return s.replace("</sheetData>", "</sheetData>" + merge, 1)

    return xlsx_sheet(edit)


def docx_lying_bomb(size_mb: int) -> bytes:
    """A DOCX whose document.xml inflates to ``size_mb`` MiB while both headers declare 2 KiB."""
    data = sample_docx()
    body = part(data, "word/document.xml")
    pad = b"<w:p><w:r><w:t>" + b"A" * (1 << 20) + b"</w:t></w:r></w:p>"
    big = body.replace(b"<w:body>", b"<w:body>" + pad * size_mb, 1)
    raw = rezip(data, {"word/document.xml": big})
    buf = bytearray(raw)
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for m in re.finditer(re.escape(sig), bytes(buf)):
            start = m.start()
            nlen_at = 26 if sig == b"PK\x03\x04" else 28
            name_at = 30 if sig == b"PK\x03\x04" else 46
            nlen = struct.unpack_from("<H", buf, start + nlen_at)[0]
            if bytes(buf[start + name_at : start + name_at + nlen]) == b"word/document.xml":
                struct.pack_into("<I", buf, start + size_at, 2048)
    return bytes(buf)


def gif_frames(n: int) -> bytes:
    from PIL import Image

    frames = [Image.new("L", (32, 32), i % 256) for i in range(n)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=10)
    return buf.getvalue()
