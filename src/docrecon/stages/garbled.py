"""Re-read unreadable runs of a born-digital text layer with OCR of the rendered crop.

A font without a usable ToUnicode map gives control characters, private-use code points or
U+FFFD where letters should be. Pages where most text is like that are OCR'd whole by the OCR
stage; here, on the other pages, only the lines holding such characters are cropped from the
page render and read by the recogniser (no detection). Their characters are replaced by the
reading, spread over the line's box, so tables and layout see words. Without an OCR engine,
or when the reading is not confident, the unreadable characters are dropped. A page without
unreadable characters costs one scan over its characters.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

import numpy as np

from docrecon.errors import OcrUnavailable
from docrecon.geometry.fragments import chars_to_fragments
from docrecon.geometry.glyphs import unreadable
from docrecon.model import Char, Page, TextLine
from docrecon.ocr import get_engine
from docrecon.options import OcrMode
from docrecon.stages.base import StageContext

log = logging.getLogger(__name__)

#: the crops are rendered this sharp
REREAD_DPI = 200.0
#: a reading below this confidence is not trusted
MIN_CONFIDENCE = 0.6
#: at most this many lines of a page are re-read (the OCR stage handles pages that are all garbage)
MAX_LINES = 200


def _spread(line: TextLine, text: str) -> list[Char]:
    """Characters of ``text`` laid evenly over the line's box, in the line's main font."""
    fonts = Counter(c.font for c in line.chars)
    main = fonts.most_common(1)[0][0]
    proto = max((c for c in line.chars if c.font == main), key=lambda c: c.y1 - c.y0)
    box = line.bbox
    width = box.width / max(1, len(text))
    return [
        replace(proto, text=ch, x0=box.x0 + i * width, x1=box.x0 + (i + 1) * width, unmapped=False)
        for i, ch in enumerate(text)
    ]


class GarbledTextStage:
    name = "garbled_text"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured or page.ocr or not raw.chars:
            return
        if not any(unreadable(c.text) for c in raw.chars):
            return
        bad_lines = [ln for ln in chars_to_fragments(raw.chars) if any(unreadable(c.text) for c in ln.chars)]
        readings = self._read(page, bad_lines[:MAX_LINES], ctx) if ctx.opts.ocr is not OcrMode.OFF else {}
        replaced = {id(c) for ln in bad_lines for c in ln.chars if id(ln) in readings}
        chars = [c for c in raw.chars if id(c) not in replaced and not unreadable(c.text)]
        for ln in bad_lines:
            text = readings.get(id(ln))
            if text:
                chars.extend(_spread(ln, text))
        raw.chars = chars
        if bad_lines:
            note = f"page {page.number}: {len(bad_lines)} lines without a usable text layer"
            how = f", {len(readings)} re-read by OCR" if readings else ", unreadable characters dropped"
            ctx.warnings.append(note + how)

    def _read(self, page: Page, lines: list[TextLine], ctx: StageContext) -> dict[int, str]:
        raw = page.raw
        if raw is None or raw.render is None or not lines:
            return {}
        try:
            engine = get_engine()
            image = np.asarray(raw.render(REREAD_DPI).convert("RGB"))
        except OcrUnavailable:
            return {}
        scale = REREAD_DPI / 72.0
        crops, keys = [], []
        h, w = image.shape[:2]
        for ln in lines:
            pad = 0.15 * ln.bbox.height
            x0, y0 = max(0, int((ln.bbox.x0 - pad) * scale)), max(0, int((ln.bbox.y0 - pad) * scale))
            x1, y1 = min(w, int((ln.bbox.x1 + pad) * scale) + 1), min(h, int((ln.bbox.y1 + pad) * scale) + 1)
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            crops.append(image[y0:y1, x0:x1])
            keys.append(id(ln))
        try:
            read = engine.read_crops(crops)
        except OcrUnavailable:
            return {}
        except (RuntimeError, ValueError, OSError) as exc:
            log.warning("page %d: re-reading garbled lines failed: %s", page.number, exc)
            return {}
        return {k: text.strip() for k, (text, score) in zip(keys, read, strict=True)
                if text.strip() and score >= MIN_CONFIDENCE}
