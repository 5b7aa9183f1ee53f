"""Large detector inputs are read in overlapping strips (bounded working memory): the lines
found are the lines a single pass finds, each once, and the strips tile the image."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

import docrecon.ocr.rapid as rapid
from docrecon.ocr import get_engine
from docrecon.ocr.base import to_rgb_array


def _page() -> object:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(420, 300))
    c.setFont("Helvetica", 9)
    for i in range(20):
        c.drawString(20, 285 - i * 14, f"Line {i + 1} of small print that runs across the strips, words {i * 7}.")
    c.showPage()
    c.save()
    return pdfium.PdfDocument(buf.getvalue())[0].render(scale=2).to_pil()


def _centres(quads: list[rapid.Quad]) -> list[tuple[float, float]]:
    return sorted(((sum(x for x, _ in q) / 4, sum(y for _, y in q) / 4) for q in quads), key=lambda c: (c[1], c[0]))


def test_strips_find_the_lines_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_engine()
    assert isinstance(engine, rapid.RapidOcrEngine)
    rgb = to_rgb_array(_page())  # type: ignore[arg-type]
    engine.load()
    whole = engine._detect_at(rgb, 1.0)
    monkeypatch.setattr(rapid, "MAX_DET_AREA", rgb.shape[1] * 150)
    monkeypatch.setattr(rapid, "STRIP_OVERLAP", 64)
    assert len(rapid.strips(*rgb.shape[:2])) >= 3
    stripped = engine._detect_at(rgb, 1.0)
    assert len(whole) == 20
    assert len(stripped) == len(whole)
    for (ax, ay), (bx, by) in zip(_centres(whole), _centres(stripped), strict=True):
        assert abs(ax - bx) < 4 and abs(ay - by) < 4


@pytest.mark.parametrize("height,width", [(1024, 724), (2339, 1654), (1000, 800), (5000, 300), (400, 9000)])
def test_strips_tile_the_image(height: int, width: int) -> None:
    parts = rapid.strips(height, width)
    assert parts[0][0] == 0 and parts[-1][1] == height
    assert parts[0][2] == float("-inf") and parts[-1][3] == float("inf")
    for (_, b0, _, hi0), (t1, _, lo1, _) in zip(parts, parts[1:], strict=False):
        assert hi0 == lo1  # kept bands meet
        assert t1 < b0  # strips overlap ...
        half = rapid.STRIP_OVERLAP / 2 - 1
        assert lo1 - t1 >= half and b0 - hi0 >= half  # ... by half on each side
    if height * width > rapid.MAX_DET_AREA:
        assert all((b - t) * width <= max(rapid.MAX_DET_AREA, 3 * rapid.STRIP_OVERLAP * width) for t, b, _, _ in parts)


def test_recogniser_widths_fall_on_few_shapes() -> None:
    from docrecon.ocr.backend import LADDER, padded_width

    widths = {padded_width(w, 32) for w in range(1, 5000)}
    assert len(widths) <= 25  # not one shape per 32 px
    for w in (1, 31, 33, 320, 321, 1000, 4999):
        p = padded_width(w, 32)
        assert p >= w and p % 32 == 0
        assert p - w < 32 or p <= w * LADDER + 32  # padding stays within the ladder's step


def test_ocr_render_of_a_poster_fits_the_pixel_limit() -> None:
    from docrecon.stages.ocr import ocr_dpi

    assert ocr_dpi(595, 842, 200.0, 12_000_000) == 200.0  # A4 unchanged
    dpi = ocr_dpi(1226, 1800, 200.0, 12_000_000)  # a 17 x 25 in scan
    assert 160 < dpi < 200
    assert 1226 * 1800 * (dpi / 72) ** 2 <= 12_000_000 * 1.0001
