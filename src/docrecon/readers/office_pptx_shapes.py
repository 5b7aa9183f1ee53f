"""Slide shapes (python-pptx) into blocks: text frames, tables, pictures, charts, and the text
of shapes python-pptx does not know (:class:`UnknownShape`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from docrecon.model import AssetStore, BBox, BlockType, Cell, Table
from docrecon.readers.office_build import PageBuilder
from docrecon.readers.office_charts import drawingml_chart, emit_chart
from docrecon.readers.office_docx_inline import Fmt, render_rich

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
#: placeholder types whose paragraphs inherit bullets from the slide master (BODY, OBJECT)
BULLETED_PLACEHOLDERS = (2, 7)


def _segments(p: Any) -> list[tuple[str, Fmt]]:
    segs: list[tuple[str, Fmt]] = []
    for child in p._p:
        tag = child.tag
        if tag == f"{A}r" or tag == f"{A}fld":
            t = child.find(f"{A}t")
            rpr = child.find(f"{A}rPr")
            text = (t.text or "") if t is not None else ""
            link = None
            if rpr is not None and rpr.find(f"{A}hlinkClick") is not None:
                rid = rpr.find(f"{A}hlinkClick").get(
                    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
                )
                link = _target(p, rid)
            bold = rpr is not None and rpr.get("b") in ("1", "true")
            italic = rpr is not None and rpr.get("i") in ("1", "true")
            strike = rpr is not None and rpr.get("strike") not in (None, "noStrike")
            segs.append((text.replace("\v", "\n"), Fmt(bold, italic, strike, link)))
        elif tag == f"{A}br":
            segs.append(("\n", Fmt()))
    return segs


def _target(p: Any, rid: str | None) -> str | None:
    if not rid:
        return None
    try:
        part = p.part
        rel = part.rels[rid]
        return str(rel.target_ref)
    except (KeyError, AttributeError):
        return None


def _bullet(p: Any, shape: Any) -> str:
    """'bullet', 'number' or '' for a paragraph."""
    ppr = p._p.pPr
    if ppr is not None:
        if ppr.find(f"{A}buNone") is not None:
            return ""
        if ppr.find(f"{A}buAutoNum") is not None:
            return "number"
        if ppr.find(f"{A}buChar") is not None or ppr.find(f"{A}buBlip") is not None:
            return "bullet"
    if shape.is_placeholder:
        try:
            if int(shape.placeholder_format.type) in BULLETED_PLACEHOLDERS:
                return "bullet"
        except ValueError:
            return ""
    return ""


@dataclass
class UnknownShape:
    """A slide element python-pptx cannot read: a ``p:contentPart`` (its proxy's ``shape_type``
    raises ``NotImplementedError``, its element has no python-pptx class), a ``p:graphicFrame``
    whose ``a:graphicData`` URI is not a table, chart or OLE object (SmartArt, ...), an element of
    an ``mc:AlternateContent`` branch that is no shape. Only its text is kept."""

    kind: str
    paragraphs: list[str]
    is_placeholder: bool = False


def element_kind(elm: Any) -> str:
    """``contentPart``, ``AlternateContent``, ``graphicFrame (…/diagram)``: for the warning."""
    name = str(elm.tag).rsplit("}", 1)[-1]
    uri = elm.xpath("string(.//*[local-name()='graphicData']/@uri)")
    return f"{name} ({uri})" if uri else name


def element_paragraphs(elm: Any, part: Any) -> list[str]:
    """The text of ``elm``: each ``a:p`` (or lone ``a:t``) under it, and for SmartArt the
    ``a:t`` of its data part (``dgm:relIds r:dm``)."""
    roots = [elm]
    for rid in elm.xpath(".//*[local-name()='relIds']/@*[local-name()='dm']"):
        try:
            roots.append(_parse(part.related_part(str(rid)).blob))
        except (KeyError, AttributeError, ValueError, etree.XMLSyntaxError):
            continue  # a missing or unreadable data part: the frame's own text only
    out: list[str] = []
    for root in roots:
        paras = list(root.iter(f"{A}p"))
        runs = [p.iter(f"{A}t") for p in paras] if paras else [[t] for t in root.iter(f"{A}t")]
        for ts in runs:
            text = " ".join("".join(t.text or "" for t in ts).split())
            if text:
                out.append(text)
    return out


def _parse(blob: bytes) -> Any:
    from pptx.oxml import parse_xml

    return parse_xml(blob)


class ShapeWriter:
    def __init__(self, page: PageBuilder, assets: AssetStore, images: bool) -> None:
        self.page = page
        self.assets = assets
        self.images = images
        self.n_images = 0
        self.n_lists = 0

    def write(self, shape: Any, box: BBox, title: bool = False) -> None:
        if isinstance(shape, UnknownShape):
            self.unknown(shape, box)
        elif getattr(shape, "has_table", False):
            self.table(shape, box)
        elif getattr(shape, "has_chart", False):
            self.chart(shape, box)
        elif _has_image(shape):
            self.picture(shape, box)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            if title:
                text = " ".join(shape.text_frame.text.split())
                if text:
                    self.page.add(BlockType.TITLE, text, bbox=box)
            else:
                self.text(shape, box)

    def unknown(self, shape: UnknownShape, box: BBox) -> None:
        step = box.height / max(1, len(shape.paragraphs))
        for i, text in enumerate(shape.paragraphs):
            band = BBox(box.x0, box.y0 + i * step, box.x1, box.y0 + (i + 1) * step)
            self.page.add(BlockType.PARAGRAPH, text, bbox=band)

    def text(self, shape: Any, box: BBox) -> None:
        paras = [p for p in shape.text_frame.paragraphs if "".join(t for t, _ in _segments(p)).strip()]
        self.n_lists += 1
        step = box.height / max(1, len(paras))
        for i, p in enumerate(paras):
            segs = _segments(p)
            text = "".join(t for t, _ in segs).strip()
            rich = render_rich(segs).strip()
            band = BBox(box.x0, box.y0 + i * step, box.x1, box.y0 + (i + 1) * step)
            kind = _bullet(p, shape)
            extra: dict[str, Any] = {"bbox": band, "rich": rich if rich != text else None}
            if kind:
                self.page.add(
                    BlockType.LIST_ITEM, text, level=p.level, list_id=f"s{self.page.number}_{self.n_lists}",
                    ordered=kind == "number", **extra,
                )
            else:
                self.page.add(BlockType.PARAGRAPH, text, **extra)

    def table(self, shape: Any, box: BBox) -> None:
        tbl = shape.table
        cells: list[Cell] = []
        n_rows, n_cols = len(tbl.rows), len(tbl.columns)
        for r in range(n_rows):
            for c in range(n_cols):
                cell = tbl.cell(r, c)
                if cell.is_spanned:
                    continue
                rs, cs = (cell.span_height, cell.span_width) if cell.is_merge_origin else (1, 1)
                text = " ".join(cell.text.split())
                cells.append(Cell(r, c, text, rs, cs, header=r == 0))
        if n_rows and n_cols:
            block = self.page.add_table(Table(n_rows, n_cols, cells))
            block.bbox = box

    def picture(self, shape: Any, box: BBox) -> None:
        alt = shape._element.xpath("./*[1]/*[local-name()='cNvPr']/@descr")
        text = str(alt[0]) if alt else ""
        ref = None
        if self.images:
            image = shape.image
            self.n_images += 1
            ext = (image.ext or "bin").lower()
            name = f"p{self.page.number}_img{self.n_images}.{ext}"
            ref = self.assets.put(name, image.blob, image.content_type, int(box.width * 96 / 72),
                                  int(box.height * 96 / 72))
        self.page.add(BlockType.FIGURE, text, image=ref, bbox=box)

    def chart(self, shape: Any, box: BBox) -> None:
        emit_chart(self.page, drawingml_chart(shape.chart), box)


def _has_image(shape: Any) -> bool:
    try:
        return shape.image is not None
    except (AttributeError, ValueError, KeyError):
        return False
