"""The per-page JSON of the result zip (spec §2.8, ``DocumentRecognizeInfo`` shape)."""

from __future__ import annotations

from typing import Any

from docrecon.model import BBox, Block, BlockType, Document, Page
from docrecon.renderers.options import RenderOptions, TableMode
from docrecon.renderers.tables import table_to_html, table_to_pipe

JsonDict = dict[str, Any]

_TYPES: dict[BlockType, str] = {
    BlockType.TITLE: "title",
    BlockType.HEADING: "title",
    BlockType.PARAGRAPH: "paragraph",
    BlockType.LIST_ITEM: "paragraph",
    BlockType.CODE: "paragraph",
    BlockType.FOOTNOTE: "paragraph",
    BlockType.CAPTION: "figure_text",
    BlockType.TABLE: "table",
    BlockType.FIGURE: "figure",
    BlockType.FORMULA: "formula",
    BlockType.PAGE_HEADER: "header",
    BlockType.PAGE_FOOTER: "footer",
    BlockType.PAGE_NUMBER: "footer",
}


def _polygon(bbox: BBox, scale: float) -> JsonDict:
    x0, y0, x1, y1 = (round(v * scale) for v in bbox.as_tuple())
    return {
        "LeftTop": {"X": x0, "Y": y0},
        "RightTop": {"X": x1, "Y": y0},
        "RightBottom": {"X": x1, "Y": y1},
        "LeftBottom": {"X": x0, "Y": y1},
    }


def _element(index: int, b: Block, page: Page, opts: RenderOptions) -> JsonDict:
    kind = _TYPES[b.type]
    if b.type is BlockType.PAGE_NUMBER and b.bbox.cy < page.height / 2:
        kind = "header"
    text = b.text
    inset = ""
    if b.table is not None:
        text = table_to_html(b.table) if opts.tables is TableMode.HTML or b.table.has_spans else table_to_pipe(b.table)
    formula_text = b.type is BlockType.FORMULA and bool(b.text)
    if b.image is not None and b.type in (BlockType.FIGURE, BlockType.FORMULA) and not formula_text:
        inset = b.image.key
        text = f"{opts.image_dir}/{b.image.key}"
    nested: list[JsonDict] = []
    if b.type is BlockType.FIGURE and b.text.strip():
        nested.append(
            {"Index": 0, "Type": "paragraph", "Level": 0, "Text": b.text.strip(), "Polygon": None,
             "InsetImageName": "", "Elements": []}
        )
    level = 1 if b.type is BlockType.TITLE else (b.level + 1 if b.type is BlockType.HEADING else 0)
    return {
        "Index": index,
        "Type": kind,
        "Level": level,
        "Text": text,
        "Polygon": _polygon(b.bbox, page.px_per_unit),
        "InsetImageName": inset,
        "Elements": nested,
    }


def page_to_json(page: Page, opts: RenderOptions | None = None) -> JsonDict:
    opts = opts or RenderOptions()
    w, h = round(page.width * page.px_per_unit), round(page.height * page.px_per_unit)
    return {
        "PageNumber": page.number,
        "Angle": page.angle,
        "RotatedAngle": float(page.angle),
        "Width": w,
        "Height": h,
        "OriginWidth": w,
        "OriginHeight": h,
        "Elements": [_element(i, b, page, opts) for i, b in enumerate(page.ordered())],
    }


def document_to_pages_json(doc: Document, opts: RenderOptions | None = None) -> list[JsonDict]:
    return [page_to_json(p, opts) for p in doc.pages if not p.failed]
