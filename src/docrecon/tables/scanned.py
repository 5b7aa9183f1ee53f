"""Tables of OCR'd pages: rules found in the page image, OCR lines as cell text; tables with
only horizontal rules or none (a table screenshot) from the alignment of the OCR lines."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from docrecon.model import BBox, Page, Table, TextLine
from docrecon.tables.borderless import anchored_tables
from docrecon.tables.image import image_rules, line_chars
from docrecon.tables.ruled import ruled_tables
from docrecon.tables.segments import Seg, split_rules


@dataclass(slots=True)
class OcrTable:
    table: Table
    bbox: BBox
    #: indexes of the OCR lines the table took
    used: set[int]


def _as_frags(lines: list[TextLine], idx: list[int], sizes: list[float]) -> list[TextLine]:
    chars = line_chars([lines[i] for i in idx])
    return [
        TextLine(lines[i].text, lines[i].bbox, size=sizes[i], chars=[ch], origin=lines[i].origin)
        for i, ch in zip(idx, chars, strict=True)
    ]


def _whole(frags: list[TextLine]) -> list[Seg]:
    """Two virtual rules around all the text: the whole page is a table candidate."""
    box = BBox.enclosing([f.bbox for f in frags])
    return [Seg(box.y0 - 1, box.x0 - 1, box.x1 + 1), Seg(box.y1 + 1, box.x0 - 1, box.x1 + 1)]


def ocr_tables(page: Page, lines: list[TextLine]) -> list[OcrTable]:
    raw = page.raw
    if raw is None or raw.render is None or not lines:
        return []
    image = raw.render(72.0 * page.px_per_unit)
    scale = image.width / page.width if page.width else 1.0
    h, v = split_rules(image_rules(image, scale))
    sizes = [max(1.0, 0.8 * ln.bbox.height) for ln in lines]
    size = statistics.median(sizes)
    chars = line_chars(lines)
    found, loose = ruled_tables(chars, h, v, [], page.width * page.height, size)
    out = [OcrTable(f.table, f.bbox, set(f.used)) for f in found]
    taken = {i for t in out for i in t.used}
    rest = [i for i in range(len(lines)) if i not in taken]
    frags = _as_frags(lines, rest, sizes)
    index = {id(f.chars[0]): i for f, i in zip(frags, rest, strict=True)}
    anchored = anchored_tables(frags, loose, size)
    if not out and not anchored and len(frags) >= 6:
        anchored = anchored_tables(frags, _whole(frags), size)
    for b in anchored:
        out.append(OcrTable(b.table, b.bbox, {index[id(c)] for c in b.chars}))
    return out
