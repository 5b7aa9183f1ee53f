"""Crop squeeze before recognition: CJK pages squeezed harder, wrong guesses read again wider."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz.fuzz import ratio
from textimages import text_image

from docrecon.ocr import get_engine
from docrecon.ocr.base import Array, crop_quad, to_rgb_array
from docrecon.ocr.rapid import RapidOcrEngine
from docrecon.ocr.squeeze import CJK, LATIN, PageScript, cjk_share, retry, squeezable, steps_per_char


def test_cjk_share_counts_non_space_characters() -> None:
    assert cjk_share("") == 0.0
    assert cjk_share("扫描 文档") == 1.0
    assert cjk_share("营收 12.5%") == pytest.approx(2 / 7)
    assert cjk_share("ｶﾀｶﾅ　，。") == 1.0  # half/full-width forms and CJK punctuation


def test_only_long_fine_crops_are_squeezed() -> None:
    assert squeezable(30, 600, LATIN)
    assert not squeezable(23, 600, LATIN)  # too coarse for Latin ...
    assert squeezable(20, 600, CJK) and not squeezable(15, 600, CJK)  # ... not for CJK
    assert not squeezable(30, 60, LATIN)  # too short


def test_page_script_turns_to_cjk_then_to_unsqueezed_for_condensed_type() -> None:
    page = PageScript()
    assert page.squeeze() == LATIN
    page.add("Revenue 营收增长了百分之十二")
    assert page.squeeze() == CJK
    latin = PageScript()
    latin.add("A long line of ordinary English text")
    for retried in (True, False, True):
        latin.tried(LATIN, retried)
    assert latin.squeeze() == 1.0
    ordinary = PageScript()
    for _ in range(5):
        ordinary.tried(LATIN, False)
    assert ordinary.squeeze() == LATIN


def test_retry_widens_wrong_guesses() -> None:
    # 30 px high, 600 px wide: 120 steps at full width; at 85 %, 102 steps
    assert steps_per_char(30, 600, 1.0, "x" * 60) == pytest.approx(2.0)
    assert retry(30, 600, LATIN, "x" * 50) is None  # 2.04 steps per character
    assert retry(30, 600, LATIN, "x" * 80) == 1.0  # condensed: 1.28 steps per character
    assert retry(30, 600, CJK, "Topsperity Securities") == LATIN  # Latin line on a CJK page
    assert retry(30, 600, CJK, "光学字符识别") is None
    assert retry(30, 600, LATIN, "光" * 80) is None  # CJK never needs a wider reading
    assert retry(30, 600, 1.0, "x" * 200) is None


class Recording(RapidOcrEngine):
    """The real engine, recording the squeeze each crop was read with."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[int, float]] = []

    def _read_one(self, crop: Array, squeeze: float) -> tuple[str, float]:
        self.reads.append((crop.shape[1], squeeze))
        return super()._read_one(crop, squeeze)


@pytest.fixture(scope="module")
def engine() -> Recording:
    shared = get_engine()
    assert isinstance(shared, RapidOcrEngine)
    eng = Recording()
    eng.load()
    return eng


def _crops(engine: RapidOcrEngine, lines: list[str], size: int = 34) -> list[Array]:
    rgb = to_rgb_array(text_image(lines, size=size, width=1200))
    return [crop_quad(rgb, q) for q in engine.detect(rgb)]


def test_chinese_page_is_read_squeezed_harder(engine: Recording) -> None:
    lines = ["光学字符识别将扫描页面转换为文本", "文档解析需要保留段落标题与表格", "并且逐页判断是否需要识别内容",
             "阅读顺序在每一页上都要保持正确", "Topsperity Securities Research"]
    crops = _crops(engine, lines)
    engine.reads.clear()
    read = engine.read_crops(crops)
    assert [t.replace(" ", "") for t, _ in read] == [ln.replace(" ", "") for ln in lines]
    factors = [f for _, f in engine.reads]
    assert factors.count(LATIN) >= 2 and CJK in factors  # the first lines tell the page's script
    # the Latin line read at the CJK squeeze first came back non-CJK and was read again wider
    assert len(engine.reads) >= len(lines)


def test_condensed_latin_is_read_again_unsqueezed(engine: Recording) -> None:
    import cv2

    line = "Source: SSI-NCLB Accountability Interviews, Fall 2004 and Fall 2006"
    rgb = to_rgb_array(text_image([line], size=34, width=1500))
    crop = crop_quad(rgb, engine.detect(rgb)[0])
    # condensed type: the same line 65 % as wide, which the 85 % squeeze reads as garbage
    condensed = cv2.resize(crop, (round(crop.shape[1] * 0.65), crop.shape[0]), interpolation=cv2.INTER_AREA)
    engine.reads.clear()
    [(text, _)] = engine.read_crops([np.ascontiguousarray(condensed)])
    assert [f for _, f in engine.reads] == [LATIN, 1.0]
    # read again unsqueezed, the line comes out (the float32 onnxruntime recogniser may still
    # miss a digit of the condensed year, which OpenVINO's bfloat16 one reads)
    assert ratio(text, line) >= 95, text
