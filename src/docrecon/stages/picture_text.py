"""Words inside the pictures of a mixed page: a born-digital page whose content is mostly in
pictures (a slide deck exported as images with a title in its text layer, an infographic, a
poster with a few typed captions) would otherwise come out as image links and little else.

Only such pages pay: those whose text layer holds fewer than ``MIXED_MAX_CHARS`` characters
while pictures cover at least ``MIXED_PICTURE_SHARE`` of the page. Pages of running text with a
figure or two (papers, reports) are not read: their figures are illustrations of text that is
already there, and OCR there would cost time and load the engine for nothing. Each picture big
enough to hold words (``MIN_PICTURE_SHARE`` of the page) and without text-layer labels of its
own is cropped from one render of the page and read; the lines go to ``raw.lines`` (origin OCR).
A picture of text (its lines cover ``TEXT_PICTURE`` of it) is replaced by its words, which the
layout reads as body text; in other pictures the words become the figure's text.
"""

from __future__ import annotations

import logging

import numpy as np

from docrecon.errors import DocreconError, OcrUnavailable
from docrecon.model import BBox, Page, RawImage
from docrecon.ocr import get_engine, read_page
from docrecon.options import OcrMode
from docrecon.stages.base import StageContext
from docrecon.stages.ocr_lines import to_lines

log = logging.getLogger(__name__)

#: a page is mixed when its text layer holds fewer characters than this ...
MIXED_MAX_CHARS = 300
#: ... and pictures cover at least this share of it
MIXED_PICTURE_SHARE = 0.2
#: pictures smaller than this share of the page are icons and logos: not read
MIN_PICTURE_SHARE = 0.02
#: at most this many pictures of a page are read (the largest)
MAX_PICTURES = 4
#: text-layer characters inside a picture that make it labelled already
LABELLED = 3
#: a line read inside a picture is kept at this confidence or more ...
MIN_CONFIDENCE = 0.7
#: ... when it holds this many letters or digits
MIN_ALNUM = 2
#: a picture whose read lines cover this share of it is a picture of text: its words are body
#: text and the picture goes (as a scan does); a drawing with a few labels stays a figure
TEXT_PICTURE = 0.25


def mixed(page: Page, mode: OcrMode) -> bool:
    """Whether ``page`` is a mixed page whose pictures are read (see the module docstring)."""
    raw = page.raw
    if raw is None or raw.render is None or page.structured or page.ocr or mode is not OcrMode.AUTO:
        return False
    area = page.width * page.height
    if area <= 0 or not raw.images:
        return False
    chars = sum(1 for c in raw.chars if c.text.strip())
    covered = sum(min(im.bbox.area, area) for im in raw.images)
    return chars < MIXED_MAX_CHARS and covered >= MIXED_PICTURE_SHARE * area


def _pictures(page: Page) -> list[RawImage]:
    raw = page.raw
    assert raw is not None
    area = page.width * page.height
    out = []
    centres = [((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2) for c in raw.chars if c.text.strip()]
    for im in sorted(raw.images, key=lambda im: -im.bbox.area):
        b = im.bbox
        box = BBox(max(b.x0, 0.0), max(b.y0, 0.0), min(b.x1, page.width), min(b.y1, page.height))
        if box.area < MIN_PICTURE_SHARE * area:
            continue
        if sum(1 for x, y in centres if box.contains_point(x, y)) < LABELLED:
            out.append(RawImage(box, im.ref))
    return out[:MAX_PICTURES]


def read_pictures(page: Page, ctx: StageContext, dpi: float) -> int:
    """Read the words inside the pictures of a mixed page into ``raw.lines``; returns how many
    lines were added. An OCR failure costs the pictures' words, not the page."""
    raw = page.raw
    assert raw is not None and raw.render is not None
    pictures = _pictures(page)
    if not pictures:
        return 0
    try:
        image = np.asarray(raw.render(dpi).convert("RGB"))
        engine = get_engine()
    except OcrUnavailable:
        return 0
    except (DocreconError, RuntimeError, ValueError, OSError, MemoryError) as exc:
        ctx.warnings.append(f"page {page.number}: words in pictures not read ({type(exc).__name__})")
        return 0
    px = image.shape[1] / page.width if page.width else 1.0
    added = 0
    for pic in pictures:
        x0, y0 = max(0, int(pic.bbox.x0 * px)), max(0, int(pic.bbox.y0 * px))
        x1, y1 = min(image.shape[1], int(pic.bbox.x1 * px)), min(image.shape[0], int(pic.bbox.y1 * px))
        if x1 - x0 < 16 or y1 - y0 < 16:
            continue
        try:
            result = read_page(np.ascontiguousarray(image[y0:y1, x0:x1]), engine, MIN_CONFIDENCE)
        except (DocreconError, RuntimeError, ValueError, OSError, MemoryError) as exc:
            log.warning("page %d: reading a picture failed: %s", page.number, exc)
            ctx.warnings.append(f"page {page.number}: words in a picture not read ({type(exc).__name__})")
            continue
        if result.angle:
            continue  # a picture lying on its side: its words are not placed reliably
        lines = [ln for ln in to_lines(result, 1.0 / px) if sum(ch.isalnum() for ch in ln.text) >= MIN_ALNUM]
        for ln in lines:
            ln.bbox = BBox(ln.bbox.x0 + x0 / px, ln.bbox.y0 + y0 / px, ln.bbox.x1 + x0 / px, ln.bbox.y1 + y0 / px)
            ln.word_boxes = [ln.bbox]
        raw.lines.extend(lines)
        added += len(lines)
        if sum(ln.bbox.area for ln in lines) >= TEXT_PICTURE * pic.bbox.area:
            # a picture of text: its words are the page's content, as on a scan
            raw.images = [im for im in raw.images if im.ref is not pic.ref]
    if added:
        ctx.warnings.append(f"page {page.number}: words inside {len(pictures)} picture(s) read by OCR")
    return added
