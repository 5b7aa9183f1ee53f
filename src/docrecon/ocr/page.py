"""OCR of a whole page image: orientation (0/90/180/270), skew, then every line.

``read_page`` finds lines with the detector; when most of them stand upright the page lies on
its side and is turned by 90 degrees; a sample of the widest lines is then read both ways up
and the page is turned by 180 degrees when the upside-down reading is clearly more confident.
A skew of a few degrees is measured from the line boxes and taken out of the returned boxes,
so lines stay separate rows for the layout stages.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import numpy as np

from docrecon.heap import release_freed_memory
from docrecon.ocr.base import Array, ImageLike, OcrEngine, OcrLine, Quad, crop_quad, ink_height, to_rgb_array

#: lines read both ways up to decide 0 versus 180 degrees
SAMPLE = 6
#: the sample is read upside down only when its upright confidence is below this
CHECK_BELOW = 0.93
#: the upside-down reading must beat the upright one by this much
MARGIN = 0.08
#: a read of at most ``TEXTURE_CHARS`` characters from a box taller than ``TEXTURE_HEIGHT`` of the
#: page, with confidence under ``TEXTURE_CONFIDENCE``, is texture (a gradient band, the edge of
#: a photo) that the detector took for a line, not type: real display type of that size reads
#: with high confidence
TEXTURE_CHARS = 2
TEXTURE_HEIGHT = 0.1
TEXTURE_CONFIDENCE = 0.8


@dataclass(slots=True)
class PageOcr:
    """Lines of an upright page. ``angle``: clockwise degrees the input was turned (0/90/180/270);
    ``skew``: degrees of the text baseline, removed from the line boxes; ``width``/``height``:
    pixel size of the upright image; ``image``: the upright image (RGB)."""

    lines: list[OcrLine]
    angle: int
    skew: float
    width: int
    height: int
    image: Array


def _size(q: Quad) -> tuple[float, float]:
    w = math.dist(q[0], q[1])
    h = math.dist(q[0], q[3])
    return w, h


def mostly_vertical(quads: list[Quad]) -> bool:
    """Most text boxes are taller than wide: the page lies on its side."""
    tall = wide = 0
    for q in quads:
        w, h = _size(q)
        if h > 1.5 * w:
            tall += 1
        elif w > 1.5 * h:
            wide += 1
    return tall >= 3 and tall > 2 * wide


def _rot180(q: Quad, w: int, h: int) -> Quad:
    p = [(w - x, h - y) for x, y in q]
    return (p[2], p[3], p[0], p[1])


def measure_skew(quads: list[Quad]) -> float:
    """Median angle, in degrees, of the top edges of long line boxes (positive = clockwise)."""
    angles = []
    for q in quads:
        w, h = _size(q)
        if w > 4 * h:
            angles.append(math.degrees(math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0])))
    return statistics.median(angles) if len(angles) >= 3 else 0.0


def _deskew(q: Quad, degrees: float, cx: float, cy: float) -> Quad:
    a = math.radians(-degrees)
    c, s = math.cos(a), math.sin(a)
    p = [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in q]
    return (p[0], p[1], p[2], p[3])


def _upside_down(engine: OcrEngine, crops: list[Array], read: list[tuple[str, float]]) -> bool:
    order = sorted(range(len(crops)), key=lambda i: -crops[i].shape[1])
    sample = [i for i in order if crops[i].shape[1] > 2 * crops[i].shape[0]][:SAMPLE]
    if not sample:
        return False
    upright = statistics.mean(read[i][1] for i in sample)
    if upright >= CHECK_BELOW:
        return False
    flipped = engine.read_crops([np.ascontiguousarray(np.rot90(crops[i], 2)) for i in sample])
    return statistics.mean(s for _, s in flipped) > upright + MARGIN


def _orient(engine: OcrEngine, rgb: Array) -> tuple[Array, list[Quad], int]:
    quads = engine.detect(rgb)
    if mostly_vertical(quads):
        turned = np.ascontiguousarray(np.rot90(rgb, k=-1))
        turned_quads = engine.detect(turned)
        if not mostly_vertical(turned_quads) and len(turned_quads) >= len(quads) // 2:
            return turned, turned_quads, 90
    return rgb, quads, 0


def texture(text: str, crop: Array, score: float, page_height: int) -> bool:
    """A short, unsure read from a huge box: see ``TEXTURE_CHARS``."""
    return (len(text.replace(" ", "")) <= TEXTURE_CHARS and score < TEXTURE_CONFIDENCE
            and crop.shape[0] > TEXTURE_HEIGHT * page_height)


def read_page(image: ImageLike, engine: OcrEngine, min_score: float = 0.5) -> PageOcr:
    """OCR a page image of any orientation; see the module docstring."""
    rgb, quads, angle = _orient(engine, to_rgb_array(image))
    crops = [crop_quad(rgb, q) for q in quads]
    read = engine.read_crops(crops)
    h, w = rgb.shape[:2]
    if _upside_down(engine, crops, read):
        rgb = np.ascontiguousarray(np.rot90(rgb, 2))
        quads = [_rot180(q, w, h) for q in quads]
        crops = [np.ascontiguousarray(np.rot90(c, 2)) for c in crops]
        read = engine.read_crops(crops)
        angle = (angle + 180) % 360
    skew = measure_skew(quads)
    if abs(skew) >= 0.3:
        quads = [_deskew(q, skew, w / 2, h / 2) for q in quads]
    lines = [
        OcrLine(text.strip(), q, score, ink_height(crop))
        for q, (text, score), crop in zip(quads, read, crops, strict=True)
        if text.strip() and score >= min_score and not texture(text.strip(), crop, score, h)
    ]
    lines.sort(key=lambda ln: (ln.bbox.y0, ln.bbox.x0))
    release_freed_memory()
    return PageOcr(lines, angle, round(skew, 2), w, h, rgb)
