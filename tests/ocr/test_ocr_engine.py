"""The OCR engine API other stages use: recognize() on upright crops, boxes in pixels."""

from __future__ import annotations

import numpy as np
import pytest
from textimages import text_image

from docrecon.ocr import FakeOcr, OcrLine, get_engine, read_page
from docrecon.ocr.page import measure_skew, mostly_vertical
from docrecon.ocr.rapid import RapidOcrEngine, det_scale
from docrecon.stages.ocr_lines import snap_sizes


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    eng = get_engine()
    assert isinstance(eng, RapidOcrEngine)
    eng.load()
    return eng


def test_recognize_returns_lines_with_pixel_boxes(engine: RapidOcrEngine) -> None:
    im = text_image(["Cell value 42.5", "单元格内容"], size=24, width=320)
    lines = engine.recognize(im)
    assert [ln.text for ln in lines] == ["Cell value 42.5", "单元格内容"]
    first = lines[0]
    assert 0.5 <= first.confidence <= 1.0
    assert 0 <= first.bbox.x0 < 40 and first.bbox.x1 < 320 and first.bbox.y1 < im.height
    assert first.bbox.y1 <= lines[1].bbox.y0 + 5


def test_recognize_accepts_arrays(engine: RapidOcrEngine) -> None:
    arr = np.asarray(text_image(["Grey array input"], size=24, width=320).convert("L"))
    assert [ln.text for ln in engine.recognize(arr)] == ["Grey array input"]


def test_blank_image_reads_nothing(engine: RapidOcrEngine) -> None:
    assert engine.recognize(np.full((60, 200, 3), 255, dtype=np.uint8)) == []
    assert read_page(np.full((60, 200), 255, dtype=np.uint8), engine).lines == []


def test_engine_is_shared() -> None:
    assert get_engine() is get_engine()


def test_det_scale() -> None:
    assert det_scale(2000, 1000, 1024) == pytest.approx(1024 / 2000)
    assert det_scale(900, 700, 1024) == 1.0
    assert det_scale(400, 200, 1024) == 2.0  # small images are enlarged, at most twice


def test_geometry_helpers() -> None:
    wide = ((0.0, 0.0), (100.0, 0.0), (100.0, 10.0), (0.0, 10.0))
    tall = ((0.0, 0.0), (10.0, 0.0), (10.0, 100.0), (0.0, 100.0))
    assert mostly_vertical([tall] * 4) and not mostly_vertical([wide] * 4)
    tilted = ((0.0, 0.0), (100.0, 5.0), (100.0, 15.0), (0.0, 10.0))
    assert measure_skew([tilted] * 3) == pytest.approx(2.86, abs=0.01)


def test_snap_sizes_keeps_headings_apart() -> None:
    assert snap_sizes([10.0, 10.6, 9.8, 10.3, 16.0]) == [10.2, 10.2, 10.2, 10.2, 16.0]


def test_fake_engine_scales_its_boxes() -> None:
    fake = FakeOcr(lines=[OcrLine("x", ((10, 10), (50, 10), (50, 20), (10, 20)), 0.9)], width=100, height=100)
    (line,) = fake.recognize(np.zeros((200, 200, 3), dtype=np.uint8))
    assert line.bbox.x1 == 100 and line.bbox.y1 == 40


def test_forked_worker_builds_its_own_engine(engine: RapidOcrEngine) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        texts = pool.apply(_child_reads, ())
    assert texts == ["Forked worker"]


def _child_reads() -> list[str]:
    import docrecon.ocr as ocr

    assert ocr._engine is None
    return [ln.text for ln in ocr.get_engine().recognize(text_image(["Forked worker"], size=24, width=320))]


def test_engine_errors_become_parse_failed(engine: RapidOcrEngine) -> None:
    from docrecon.errors import ParseFailed

    with pytest.raises(ParseFailed, match="OCR engine error"):
        engine._call(engine._rec.session, np.zeros((1, 3, 7, 9), dtype=np.float32))  # wrong input shape


def test_reading_crops_loads_only_the_recogniser() -> None:
    """Reading given line crops (drawn text) never pays for the detector; detecting loads it."""
    fresh = RapidOcrEngine(threads=1)
    image = np.asarray(text_image(["Outlined heading"], size=32, width=360).convert("RGB"))
    rows, cols = np.nonzero(image.min(axis=2) < 128)
    crop = image[max(0, rows.min() - 6):rows.max() + 7, max(0, cols.min() - 6):cols.max() + 7]
    assert fresh.read_crops([crop])[0][0] == "Outlined heading"
    assert not fresh.detector_loaded
    assert [ln.text for ln in fresh.recognize(image)] == ["Outlined heading"]
    assert fresh.detector_loaded
