"""Image reader: every supported type, frames as pages, EXIF, limits, damaged and mislabelled files."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from textimages import text_image

import docrecon
from docrecon.errors import CorruptDocument, FormatMismatch, InvalidOption, TooLarge
from docrecon.model import Document
from docrecon.ocr import get_engine
from docrecon.options import OcrMode, ParseOptions
from docrecon.renderers import render_document

OFF = ParseOptions(ocr=OcrMode.OFF)


@pytest.fixture(scope="session", autouse=True)
def ocr_engine() -> None:
    get_engine().load()  # type: ignore[attr-defined]


def _save(im: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _encode(kind: str) -> bytes:
    im = text_image()
    if kind == "HEIC":
        import pillow_heif

        pillow_heif.register_heif_opener()
        return _save(im, "HEIF", quality=95)
    if kind == "ICNS":
        square = Image.new("RGB", (520, 520), "white")
        square.paste(im, (0, 160))
        return _save(square.resize((256, 256), Image.LANCZOS), "ICNS")
    if kind == "XBM":
        return _save(im.convert("L").point(lambda v: 255 if v > 128 else 0).convert("1"), "XBM")
    pil = {"JPG": "JPEG", "JP2": "JPEG2000", "GIF": "GIF", "IM": "IM"}.get(kind, kind)
    return _save(im, pil)


def _text(doc: Document) -> str:
    return render_document(doc)


KINDS = ["PNG", "JPG", "BMP", "GIF", "WEBP", "HEIC", "EPS", "ICNS", "IM", "PCX", "PPM", "TIFF", "XBM", "JP2"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_type_is_read_and_ocrd(kind: str) -> None:
    data = _encode(kind)
    doc = docrecon.parse(data, name=f"sample.{kind.lower()}")
    assert doc.source.format == kind
    assert len(doc.pages) == 1 and doc.pages[0].ocr
    md = _text(doc)
    if kind == "ICNS":  # the text is small once the picture is squeezed into an icon
        assert "2024" in md
        return
    assert "Invoice 2024" in md and "扫描文档识别" in md, md


def test_jpeg_and_heif_synonyms() -> None:
    data = _encode("JPG")
    assert docrecon.parse(data, name="a.jpeg", options=OFF).source.format == "JPEG"
    doc = docrecon.parse(_encode("HEIC"), name="a.heif", options=OFF)
    assert doc.source.format == "HEIF"


def test_multipage_tiff_frames_are_pages() -> None:
    frames = [text_image([f"Page number {n} of the scan"]) for n in (1, 2, 3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    doc = docrecon.parse(buf.getvalue(), name="scan.tiff")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    for n, page in enumerate(doc.pages, start=1):
        assert f"Page number {n}" in " ".join(b.text for b in page.blocks)
    ranged = docrecon.parse(buf.getvalue(), name="scan.tiff", options=ParseOptions(page_start=2, page_end=2))
    assert [p.number for p in ranged.pages] == [2] and ranged.page_count == 3


def test_animated_gif_frames_are_pages() -> None:
    frames = [text_image([f"Frame {n} says hello"]) for n in (1, 2)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    doc = docrecon.parse(buf.getvalue(), name="anim.gif")
    assert len(doc.pages) == 2
    assert "Frame 2" in " ".join(b.text for b in doc.pages[1].blocks)


def test_exif_orientation_is_applied() -> None:
    upright = text_image()
    stored = upright.rotate(90, expand=True)  # EXIF 6: turn 90 degrees clockwise to display
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _save(stored, "JPEG", exif=exif.tobytes(), quality=95)
    doc = docrecon.parse(data, name="photo.jpg")
    page = doc.pages[0]
    assert (page.width, page.height) == upright.size
    assert page.angle == 0
    assert "Invoice 2024" in _text(doc)


def test_palette_with_transparency_reads_on_white() -> None:
    im = text_image().convert("RGBA")
    im.putalpha(Image.eval(im.convert("L"), lambda v: 255 - v))  # text opaque, background clear
    doc = docrecon.parse(_save(im, "PNG"), name="alpha.png")
    assert "Invoice 2024" in _text(doc)


@pytest.mark.parametrize("size", [(10_001, 40), (40, 10_001), (19, 100), (100, 19)])
def test_side_limits_are_a_parameter_error(size: tuple[int, int]) -> None:
    data = _save(Image.new("L", size, 255), "PNG")
    with pytest.raises(InvalidOption, match="between 20 and 10000"):
        docrecon.parse(data, name="bad.png", options=OFF)


def test_decompression_bomb_guard() -> None:
    data = _save(Image.new("L", (200, 200), 255), "PNG")
    with pytest.raises(TooLarge):
        docrecon.parse(data, name="big.png", options=ParseOptions(max_image_pixels=10_000))


def test_truncated_image_is_corrupt() -> None:
    data = _save(text_image(), "PNG")
    with pytest.raises(CorruptDocument):
        docrecon.parse(data[: len(data) // 2], name="cut.png")


def test_truncated_jpeg_is_corrupt() -> None:
    data = _save(text_image(), "JPEG")
    with pytest.raises(CorruptDocument):
        docrecon.parse(data[:200], name="cut.jpg")


@pytest.mark.parametrize("content", [b"just some text, not a picture\n", bytes(range(256)) * 8])
def test_file_named_png_that_is_not_one(content: bytes) -> None:
    with pytest.raises(FormatMismatch):
        docrecon.parse(content, name="fake.png")


def test_declared_type_must_match_content() -> None:
    with pytest.raises(FormatMismatch):
        docrecon.parse(_encode("PNG"), name="x", file_type="JPG")
