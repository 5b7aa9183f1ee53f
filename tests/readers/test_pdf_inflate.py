"""The PDF inflation limit (``ParseOptions.max_stream_bytes``, ``readers/pdf_inflate.py``): flate
bombs are found by inflating (counted, never trusting ``/Length``) before pdfium opens the file,
so ``docrecon.parse`` and the CLI give ``TooLarge`` instead of an abort."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import BOMB_PLACES, deflate_bomb, flate_bomb_pdf
from pdfgen import structure_pdf
from rawpdf import RawPdf

import docrecon
from docrecon.cli import main
from docrecon.errors import TooLarge
from docrecon.options import OcrMode, ParseOptions
from docrecon.readers.pdf_inflate import MAX_RATIO, check_streams
from docrecon.supervise import Limits

OFF = ParseOptions(ocr=OcrMode.OFF)
#: above the default limit of 256 MiB
BOMB_MB = 512
CHILD = Limits(memory_mb=900)


@pytest.mark.parametrize("double", [False, True], ids=["single", "double"])
def test_flate_bombs_are_too_large(double: bool) -> None:
    with pytest.raises(TooLarge, match="inflates to more than"):
        check_streams(flate_bomb_pdf(1024, double=double), 256 << 20)


@pytest.mark.parametrize("double", [False, True], ids=["single", "double"])
@pytest.mark.parametrize("where", BOMB_PLACES)
def test_parse_refuses_a_bomb_in_any_stream(where: str, double: bool) -> None:
    with pytest.raises(TooLarge, match="max_stream_bytes"):
        docrecon.parse(flate_bomb_pdf(BOMB_MB, double=double, where=where), OFF, name="bomb.pdf")


@pytest.mark.parametrize("where", BOMB_PLACES)
def test_without_the_check_pdfium_aborts_on_each_bomb(where: str) -> None:
    """What the check prevents: unchecked, pdfium inflates each of these bombs natively and
    aborts (here in a supervised child, 900 MiB, where the abort becomes ``TooLarge``; a double
    content bomb: ``test_supervise.py``)."""
    bomb = flate_bomb_pdf(4096, where=where)
    with pytest.raises(TooLarge, match="SIGABRT"):
        docrecon.parse_guarded(bomb, ParseOptions(ocr=OcrMode.OFF, max_stream_bytes=None), limits=CHILD)
    with pytest.raises(TooLarge, match="max_stream_bytes"):
        docrecon.parse_guarded(bomb, OFF, limits=CHILD)


@pytest.mark.parametrize("where", BOMB_PLACES)
def test_a_stream_under_the_limit_is_read(where: str) -> None:
    """The same files with 4 MiB streams: the limit is a setting, and the page is read as usual."""
    data = flate_bomb_pdf(4, double=True, where=where)
    with pytest.raises(TooLarge):
        docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF, max_stream_bytes=1 << 20), name="b.pdf")
    doc = docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF, max_stream_bytes=8 << 20), name="b.pdf")
    expected = "" if where == "content" else "Hello bomb"
    assert docrecon.render_markdown(doc).strip() == expected


def test_a_bomb_read_from_a_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(BOMB_MB, where="font"))
    with pytest.raises(TooLarge, match="flate bomb"):
        docrecon.parse(path, OFF)


def test_healthy_pdfs_parse_the_same_with_and_without_the_check(tmp_path: Path) -> None:
    data = structure_pdf(3)
    check_streams(data, 256 << 20)
    with pytest.raises(TooLarge):
        check_streams(data, 100)
    (tmp_path / "ok.pdf").write_bytes(data)
    on = docrecon.render_markdown(docrecon.parse(tmp_path / "ok.pdf", OFF))
    off = docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF, max_stream_bytes=None), name="ok.pdf")
    assert on == docrecon.render_markdown(off) and "Overview" in on


def test_cli_exits_too_large_and_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "bomb.pdf").write_bytes(flate_bomb_pdf(BOMB_MB, double=True, where="xmp"))
    (src / "ok.pdf").write_bytes(structure_pdf(1))
    res = CliRunner().invoke(main, ["parse", str(src), "-o", str(tmp_path / "out")])
    assert res.exit_code == 4, res.output
    assert "too_large" in res.output and "1 succeeded, 1 failed" in res.output
    assert (tmp_path / "out" / "ok.md").read_text().strip()


def _pdf_with_stream(data: bytes, extra: str) -> bytes:
    pdf = RawPdf()
    cat, pages = pdf.reserve(), pdf.reserve()
    content = pdf.stream(data, extra)
    page = pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R >>")
    pdf.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    pdf.set(cat, f"<< /Type /Catalog /Pages {pages} 0 R >>")
    return pdf.build(cat)


def test_a_body_holding_endstream_is_measured_to_its_length() -> None:
    """A stored deflate block holding ``endstream`` opens the bomb: the direct /Length decides."""
    c = zlib.compressobj(0, zlib.DEFLATED, -15)
    stored = c.compress(b"\nendstream\nendobj\n") + c.flush(zlib.Z_FULL_FLUSH)
    bomb = deflate_bomb(64)
    data = bomb[:2] + stored + bomb[2:]
    with pytest.raises(TooLarge):
        check_streams(_pdf_with_stream(data, "/Filter /FlateDecode"), 32 << 20)


def test_text_filters_before_flate_and_padded_dictionaries_are_seen() -> None:
    hexed = deflate_bomb(64).hex().encode() + b">"
    with pytest.raises(TooLarge):
        check_streams(_pdf_with_stream(hexed, "/Filter [/ASCIIHexDecode /FlateDecode]"), 32 << 20)
    padded = "/Filter /FlateDecode " + "/Pad " * 4000 + "/Padding 0"
    with pytest.raises(TooLarge):
        check_streams(_pdf_with_stream(deflate_bomb(64), padded), 32 << 20)


IMAGE = "/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray"


def test_images_are_left_to_pdfium() -> None:
    """An image XObject is decoded by pdfium to its declared size only, when rendered."""
    pdf = RawPdf()
    cat, pages = pdf.reserve(), pdf.reserve()
    image = pdf.stream(deflate_bomb(64), f"{IMAGE} /Filter /FlateDecode")
    content = pdf.stream(b"q 100 0 0 100 0 0 cm /Im1 Do Q")
    page = pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R"
                   f" /Resources << /XObject << /Im1 {image} 0 R >> >> >>")
    pdf.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    pdf.set(cat, f"<< /Type /Catalog /Pages {pages} 0 R >>")
    check_streams(pdf.build(cat), 32 << 20)


def test_an_image_typed_stream_used_as_page_content_is_checked() -> None:
    """pdfium inflates page contents in full, whatever their dictionary says (unchecked, this
    file aborts it): the reference is found in the raw bytes, or in an object stream."""
    with pytest.raises(TooLarge):
        check_streams(_pdf_with_stream(deflate_bomb(64), f"{IMAGE} /Filter /FlateDecode"), 32 << 20)
    def packed_page(contents: bytes) -> bytes:
        packed = zlib.compress(b"4 0 << /Type /Page /Parent 2 0 R /Contents [" + contents + b"] >>")
        return (b"%PDF-1.7\n3 0 obj\n<< " + IMAGE.encode() + b" /Filter /FlateDecode >>\nstream\n"
                + deflate_bomb(64) + b"\nendstream\nendobj\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4"
                b" /Filter /FlateDecode >>\nstream\n" + packed + b"\nendstream\nendobj\n")

    with pytest.raises(TooLarge):
        check_streams(packed_page(b"3 0 R"), 32 << 20)
    check_streams(packed_page(b"6 0 R"), 32 << 20)  # the image is not the page's content
    with pytest.raises(TooLarge, match="max_stream_bytes"):
        docrecon.parse(_pdf_with_stream(deflate_bomb(BOMB_MB), f"{IMAGE} /Filter /FlateDecode"), OFF, name="i.pdf")


def test_the_skip_bound_holds_for_the_densest_bomb() -> None:
    """Streams with ``1032**n * L`` under the limit are not inflated: even the densest bomb
    (full-flushed blocks of one repeated byte) stays under 1032:1 per Flate stage."""
    single = deflate_bomb(64)
    assert 1000 < (64 << 20) / len(single) < MAX_RATIO
    double = zlib.compress(single, 9)
    assert (64 << 20) / len(double) < MAX_RATIO**2
    check_streams(_pdf_with_stream(single, "/Filter /FlateDecode"), len(single) * MAX_RATIO)


def test_a_damaged_stream_is_left_to_the_reader() -> None:
    pdf = flate_bomb_pdf(4)
    cut = pdf.replace(b"stream\n\x78\xda", b"stream\n\x00\x00", 1)
    check_streams(cut, 1 << 20)
