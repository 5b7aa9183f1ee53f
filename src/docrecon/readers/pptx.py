"""PPTX reader (python-pptx): one page per slide.

Shapes (group members included) are read in reading order by position: top to bottom in bands,
left to right within a band. Title placeholders become titles; text frames give paragraphs and
list items (bullets and numbering from the paragraph or the placeholder's inherited bullets);
tables keep merged cells; pictures are extracted; charts give their title and data table;
shapes python-pptx does not read (``p:contentPart``, SmartArt and other unknown graphic frames,
``mc:AlternateContent`` without a known shape) keep their text, with a warning per slide;
speaker notes follow each slide as a marked quote (``ParseOptions.include_notes``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from docrecon.errors import CorruptDocument
from docrecon.model import AssetStore, BBox, BlockType, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder, md_escape
from docrecon.readers.office_pptx_comments import CommentAuthors, slide_comments
from docrecon.readers.office_pptx_shapes import ShapeWriter, UnknownShape, element_kind, element_paragraphs
from docrecon.readers.source import Source
from docrecon.readers.zipguard import check_package

EMU_PER_PT = 12700
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
#: the shape elements of a shape tree (python-pptx reads all but ``contentPart``)
SHAPE_TAGS = frozenset(f"{P_NS}{t}" for t in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart"))
GROUP_PROPS = frozenset(f"{P_NS}{t}" for t in ("nvGrpSpPr", "grpSpPr", "extLst"))


@dataclass
class Placed:
    shape: Any
    box: BBox


def _box(shape: Any, scale: tuple[float, float, float, float]) -> BBox:
    ox, oy, sx, sy = scale
    left, top = shape.left or 0, shape.top or 0
    width, height = shape.width or 0, shape.height or 0
    x0 = (ox + left * sx) / EMU_PER_PT
    y0 = (oy + top * sy) / EMU_PER_PT
    return BBox(x0, y0, x0 + width * sx / EMU_PER_PT, y0 + height * sy / EMU_PER_PT)


def _group_scale(shape: Any, scale: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    xfrm = shape._element.grpSpPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm")
    if xfrm is None or xfrm.find("{*}chExt") is None:
        return scale
    off, ext = xfrm.find("{*}off"), xfrm.find("{*}ext")
    choff, chext = xfrm.find("{*}chOff"), xfrm.find("{*}chExt")
    cx, cy = int(chext.get("cx")) or 1, int(chext.get("cy")) or 1
    sx = scale[2] * int(ext.get("cx")) / cx
    sy = scale[3] * int(ext.get("cy")) / cy
    ox = scale[0] + scale[2] * int(off.get("x")) - sx * int(choff.get("x"))
    oy = scale[1] + scale[3] * int(off.get("y")) - sy * int(choff.get("y"))
    return (ox, oy, sx, sy)


def _elm_box(elm: Any, scale: tuple[float, float, float, float]) -> BBox:
    """The box of a raw element from its first ``xfrm`` (zero at the origin without one)."""
    off, ext = elm.find(".//{*}xfrm/{*}off"), elm.find(".//{*}xfrm/{*}ext")

    def num(node: Any, key: str) -> int:
        try:
            return int(node.get(key)) if node is not None else 0
        except (TypeError, ValueError):
            return 0

    ox, oy, sx, sy = scale
    x0, y0 = (ox + num(off, "x") * sx) / EMU_PER_PT, (oy + num(off, "y") * sy) / EMU_PER_PT
    return BBox(x0, y0, x0 + num(ext, "cx") * sx / EMU_PER_PT, y0 + num(ext, "cy") * sy / EMU_PER_PT)


def _branch(alternate: Any) -> list[Any]:
    """The shapes of an ``mc:AlternateContent``: its first ``mc:Choice`` holding shape elements,
    else its ``mc:Fallback``; with none, the branch that holds text, as one element."""
    branches = [*alternate.findall(f"{MC}Choice"), *alternate.findall(f"{MC}Fallback")]
    for branch in branches:
        shapes = [c for c in branch if c.tag in SHAPE_TAGS or c.tag == f"{MC}AlternateContent"]
        if shapes:
            return shapes
    return [next((b for b in branches if b.find(f".//{A_NS}t") is not None), alternate)]


def _members(shapes: Any, part: Any) -> Iterator[tuple[Any, Any]]:
    """``(proxy, element)`` for each shape of a shape tree or group, in document order:
    python-pptx's proxy where it reads the shape, else an :class:`UnknownShape` with the
    element's text (``mc:AlternateContent`` is resolved to its shapes first)."""
    from pptx.oxml.shapes.shared import BaseShapeElement
    from pptx.shapes.base import BaseShape
    from pptx.shapes.graphfrm import GraphicFrame

    todo = list(shapes._spTree.iterchildren())
    todo.reverse()
    while todo:
        elm = todo.pop()
        if elm.tag == f"{MC}AlternateContent":
            todo.extend(reversed(_branch(elm)))
            continue
        if elm.tag not in SHAPE_TAGS:
            if elm.tag in GROUP_PROPS or elm.find(f".//{A_NS}t") is None:
                continue  # group properties, extensions: nothing to read
            yield UnknownShape(element_kind(elm), element_paragraphs(elm, part)), elm
            continue
        if not isinstance(elm, BaseShapeElement):  # p:contentPart: python-pptx has no element class
            yield UnknownShape(element_kind(elm), element_paragraphs(elm, part)), elm
            continue
        proxy = shapes._shape_factory(elm)
        unread_frame = isinstance(proxy, GraphicFrame) and not (proxy.has_chart or proxy.has_table) \
            and proxy.shape_type is None
        if type(proxy) is BaseShape or unread_frame:
            yield UnknownShape(element_kind(elm), element_paragraphs(elm, part)), elm
        else:
            yield proxy, elm


def flatten(
    shapes: Any, scale: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0), max_depth: int = 16,
    part: Any = None, unknown: list[str] | None = None,
) -> list[Placed]:
    """Shapes with page boxes in points; group members mapped through the group transform.
    Iterative (no recursion limit); groups nested deeper than ``max_depth`` keep their members
    but map them with the transform reached at that depth. Shapes python-pptx does not read
    become :class:`UnknownShape` (their kinds appended to ``unknown``)."""
    from pptx.shapes.group import GroupShape

    out: list[Placed] = []
    stack: list[tuple[Iterator[tuple[Any, Any]], tuple[float, float, float, float], int]] = [
        (_members(shapes, part), scale, 0)
    ]
    while stack:
        it, current, depth = stack[-1]
        shape, elm = next(it, (None, None))
        if shape is None:
            stack.pop()
        elif isinstance(shape, GroupShape):
            inner = _group_scale(shape, current) if depth < max_depth else current
            stack.append((_members(shape.shapes, part), inner, depth + 1))
        elif isinstance(shape, UnknownShape):
            if unknown is not None:
                unknown.append(shape.kind)
            out.append(Placed(shape, _elm_box(elm, current)))
        else:
            out.append(Placed(shape, _box(shape, current)))
    return out


def reading_order(placed: list[Placed], page_height: float) -> list[Placed]:
    """Titles first, then bands of shapes whose tops are close, each band left to right."""
    titles = [p for p in placed if _is_title(p.shape)]
    rest = sorted((p for p in placed if not _is_title(p.shape)), key=lambda p: (p.box.y0, p.box.x0))
    tolerance = page_height * 0.04
    ordered: list[Placed] = []
    band: list[Placed] = []
    for p in rest:
        if band and p.box.y0 - band[0].box.y0 > tolerance:
            ordered.extend(sorted(band, key=lambda q: q.box.x0))
            band = []
        band.append(p)
    ordered.extend(sorted(band, key=lambda q: q.box.x0))
    return sorted(titles, key=lambda p: p.box.y0) + ordered


def _is_title(shape: Any) -> bool:
    if not shape.is_placeholder:
        return False
    try:
        return int(shape.placeholder_format.type) in (1, 3)  # TITLE, CENTER_TITLE
    except ValueError:
        return False


class PptxReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PPTX})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        from pptx import Presentation
        from pptx.exc import PackageNotFoundError

        check_package(src, opts)
        try:
            with src.open() as fh:
                prs = Presentation(fh)
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise CorruptDocument(f"unreadable presentation: {exc}") from exc
        width = (prs.slide_width or 9144000) / EMU_PER_PT
        height = (prs.slide_height or 6858000) / EMU_PER_PT
        authors = CommentAuthors(prs)
        size = (width, height)
        warnings: list[str] = []
        pages = [self._slide(slide, i, size, opts, assets, authors, warnings)
                 for i, slide in enumerate(prs.slides, 1)]
        props = prs.core_properties
        metadata = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
        return ListDocument(pages, opts, metadata, warnings)

    def _slide(
        self, slide: Any, number: int, size: tuple[float, float], opts: ParseOptions, assets: AssetStore,
        authors: CommentAuthors, warnings: list[str],
    ) -> Page:
        width, height = size
        page = PageBuilder(number, width, height, keep_boxes=True)
        wanted = (opts.page_start or 1) <= number <= (opts.page_end or number)
        writer = ShapeWriter(page, assets, opts.extract_images and wanted)
        unknown: list[str] = []
        placed_shapes = flatten(slide.shapes, max_depth=opts.max_nesting_depth, part=slide.part, unknown=unknown)
        for placed in reading_order(placed_shapes, height):
            writer.write(placed.shape, placed.box, title=_is_title(placed.shape))
        if unknown:
            kinds = ", ".join(sorted(set(unknown)))
            warnings.append(f"slide {number}: {len(unknown)} shape(s) python-pptx does not read ({kinds})"
                            " skipped; their text is kept")
        if opts.include_notes and slide.has_notes_slide:
            self._notes(slide.notes_slide, page)
        if opts.include_notes:
            self._comments(slide_comments(slide, authors), page)
        return page.finish()

    @staticmethod
    def _comments(comments: list[tuple[str, str, str]], page: PageBuilder) -> None:
        for who, when, text in comments:
            head = ", ".join(x for x in (who, when) if x)
            label = f"Comment ({head})" if head else "Comment"
            rich = f"> **{md_escape(label)}:** {md_escape(text)}"
            page.add(BlockType.PARAGRAPH, f"{label}: {text}", rich=rich)

    @staticmethod
    def _notes(notes_slide: Any, page: PageBuilder) -> None:
        frame = notes_slide.notes_text_frame
        lines = [p.text.strip() for p in frame.paragraphs] if frame is not None else []
        lines = [line for line in lines if line]
        if not lines:
            return
        rich = "> **Speaker notes:**\n" + "\n".join(f"> {md_escape(line)}  " for line in lines)
        page.add(BlockType.PARAGRAPH, "Speaker notes: " + "\n".join(lines), rich=rich.rstrip())
