"""Re-read unreadable runs of a born-digital text layer with OCR of the rendered crop.

A font without a usable ToUnicode map gives control characters, private-use code points or
U+FFFD where letters should be; one with a wrong map gives letters of an implausible script
(mostly Latin-1 accented letters, see :func:`~docrecon.geometry.glyphs.implausible`). Pages
where most text is like that are OCR'd whole by the OCR
stage; here, on the other pages, only the lines holding such characters are cropped from the
page render and read by the recogniser (no detection). Their characters are replaced by the
reading, spread over the line's box, so tables and layout see words. Without an OCR engine,
or when the reading is not confident, the unreadable characters are dropped. Lines of unmapped
glyphs that fall on punctuation only (a Type 3 font that draws pictures) are treated the same
way. A page without
unreadable characters costs one scan over its characters.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace

from docrecon.geometry.fragments import page_fragments
from docrecon.geometry.glyphs import implausible, suspect_text, unreadable
from docrecon.model import Char, Page, TextLine
from docrecon.ocr.crops import read_boxes
from docrecon.options import OcrMode
from docrecon.stages.base import StageContext

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


def _shape(c: Char) -> bool:
    """A glyph without a Unicode map whose code falls on punctuation or a symbol: in a Type 3
    font that draws pictures (hatching tiles, arrow heads, a chart's markers) rather than
    letters, the codes count up from ``!``."""
    return c.unmapped and unicodedata.category(c.text[:1] or " ")[0] in "PS"  # not a letter, digit or mark


#: glyphs a picture's run has at least: one or two alone are a list's bullet or a dash
PICTURE_RUN = 3


def _drawing(line: TextLine) -> bool:
    """A run of such glyphs only (three at least), with no letter or digit: nothing there reads
    as text, so it is re-read like garbage (a picture gives OCR nothing confident and the glyphs
    go). A lone unmapped bullet set apart from its item's text stays."""
    shown = [c for c in line.chars if not c.text.isspace()]
    return len(shown) >= PICTURE_RUN and all(_shape(c) for c in shown)


class GarbledTextStage:
    name = "garbled_text"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured or page.ocr or not raw.chars:
            return
        if not suspect_text("".join(c.text for c in raw.chars)) and not any(_shape(c) for c in raw.chars):
            return
        bad_lines = [ln for ln in page_fragments(raw)
                     if any(unreadable(c.text) for c in ln.chars) or implausible(ln.text) or _drawing(ln)]
        readings: dict[int, str] = {}
        if ctx.opts.ocr is not OcrMode.OFF and raw.render is not None:
            lines = bad_lines[:MAX_LINES]
            read = read_boxes(raw.render, [ln.bbox for ln in lines], MIN_CONFIDENCE)
            readings = {id(lines[k]): text for k, text in read.items()}
        replaced = {id(c) for ln in bad_lines for c in ln.chars if id(ln) in readings}
        drawn = {id(c) for ln in bad_lines if _drawing(ln) for c in ln.chars}
        chars = [c for c in raw.chars if id(c) not in replaced and id(c) not in drawn and not unreadable(c.text)]
        for ln in bad_lines:
            text = readings.get(id(ln))
            if text:
                chars.extend(_spread(ln, text))
        raw.chars = chars
        if bad_lines:
            note = f"page {page.number}: {len(bad_lines)} lines without a usable text layer"
            how = f", {len(readings)} re-read by OCR" if readings else ", unreadable characters dropped"
            ctx.warnings.append(note + how)
