"""OCR lines to text lines in page units, with type sizes measured from their ink (shared by
page OCR and the reading of words inside pictures)."""

from __future__ import annotations

import statistics

from docrecon.model import BBox, Origin, TextLine
from docrecon.ocr import PageOcr

#: OCR line box height / font size (the detector pads its boxes) ...
BOX_TO_SIZE = 1.35
#: ... and ink height (ascenders to descenders) / font size, the steadier measure
INK_TO_SIZE = 1.0
#: the ink of a Latin-script line spans ascenders to descenders only when its letters have
#: both: share of that full span a line covers with ascenders only (capitals, digits, b d f h
#: k l t), descenders only (g j p q y) or neither (a c e m n o r s u v w x z)
ASCENDERS_ONLY = 0.77
DESCENDERS_ONLY = 0.74
X_HEIGHT_ONLY = 0.52
_ASCENDER = frozenset("bdfhiklt0123456789!?%&#@$/\\'\"")
_DESCENDER = frozenset("gjpqy")
_FULL_SPAN = frozenset("()[]{}|")
#: OCR line sizes closer than this (relative) are one size
SIZE_TOLERANCE = 0.15

def snap_sizes(sizes: list[float]) -> list[float]:
    """OCR box heights are noisy: sizes within ``SIZE_TOLERANCE`` of their neighbours share the
    median of their group, so only real size changes (headings) stay visible to the layout."""
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    out = list(sizes)
    group: list[int] = []
    for i in [*order, -1]:
        if i >= 0 and (not group or sizes[i] <= sizes[group[0]] * (1 + SIZE_TOLERANCE)):
            group.append(i)
            continue
        if group:
            mid = statistics.median(sizes[j] for j in group)
            for j in group:
                out[j] = round(mid, 1)
        group = [i]
    return out


def ink_span(text: str) -> float:
    """The share of a font size's full ascender-to-descender span that the ink of ``text``
    covers: "Singapore 138588" and "9 North Buona Vista Drive" in one font differ in ink height
    by a third, only because one has descenders. Scripts without ascender or descender
    letters (CJK, and any letter not in the Latin sets) count as full."""
    asc = desc = False
    for ch in text:
        if ch in _FULL_SPAN:
            return 1.0
        if ch in _DESCENDER or ch == "\u00e7":
            desc = True
        elif ch in _ASCENDER or ch.isupper() or "\u00e0" <= ch <= "\u00ff":  # accents reach up
            asc = True
        elif ch.isalpha() and not ("a" <= ch <= "z" or "\u00df" <= ch <= "\u00ff"):
            return 1.0  # CJK, or a letter whose shape is not known here
    if asc and desc:
        return 1.0
    if asc:
        return ASCENDERS_ONLY
    if desc:
        return DESCENDERS_ONLY
    return X_HEIGHT_ONLY if any(ch.isalpha() for ch in text) else 1.0


def to_lines(result: PageOcr, scale: float) -> list[TextLine]:
    """OCR lines in page units (``scale`` page units per pixel), with type sizes from their ink."""
    lines = []
    for ln in result.lines:
        b = ln.bbox
        box = BBox(b.x0 * scale, b.y0 * scale, b.x1 * scale, b.y1 * scale)
        if ln.ink_height:
            size = ln.ink_height * scale / (INK_TO_SIZE * ink_span(ln.text))
        else:
            size = box.height / BOX_TO_SIZE
        lines.append(TextLine(
            text=ln.text, bbox=box, size=size,
            confidence=round(ln.confidence, 4), origin=Origin.OCR, word_boxes=[box],
        ))
    for line, size in zip(lines, snap_sizes([t.size for t in lines]), strict=True):
        line.size = size
    lines.sort(key=lambda t: (round(t.bbox.y0), t.bbox.x0))
    return lines
