"""PPTX reader (python-pptx): one page per slide.

Shapes (group members included) are read in reading order by position: top to bottom in bands,
left to right within a band. Title placeholders become titles; text frames give paragraphs and
list items (bullets and numbering from the paragraph or the placeholder's inherited bullets);
tables keep merged cells; pictures are extracted; charts give their title and data table;
speaker notes follow each slide as a marked quote (``ParseOptions.include_notes``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any, ClassVar

from docrecon.errors import CorruptDocument
from docrecon.model import AssetStore, BBox, BlockType, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder, md_escape
from docrecon.readers.office_pptx_comments import CommentAuthors, slide_comments
from docrecon.readers.office_pptx_shapes import ShapeWriter
from docrecon.readers.source import Source
from docrecon.readers.zipguard import check_package

EMU_PER_PT = 12700


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


def flatten(
    shapes: Any, scale: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0), max_depth: int = 16
) -> list[Placed]:
    """Shapes with page boxes in points; group members mapped through the group transform.
    Iterative (no recursion limit); groups nested deeper than ``max_depth`` keep their members
    but map them with the transform reached at that depth."""
    out: list[Placed] = []
    stack: list[tuple[Any, tuple[float, float, float, float], int]] = [(iter(shapes), scale, 0)]
    while stack:
        it, current, depth = stack[-1]
        shape = next(it, None)
        if shape is None:
            stack.pop()
            continue
        if shape.shape_type is not None and int(shape.shape_type) == 6:  # MSO_SHAPE_TYPE.GROUP
            inner = _group_scale(shape, current) if depth < max_depth else current
            stack.append((iter(shape.shapes), inner, depth + 1))
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
        pages = [self._slide(slide, i, size, opts, assets, authors) for i, slide in enumerate(prs.slides, 1)]
        props = prs.core_properties
        metadata = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
        return ListDocument(pages, opts, metadata)

    def _slide(
        self, slide: Any, number: int, size: tuple[float, float], opts: ParseOptions, assets: AssetStore,
        authors: CommentAuthors,
    ) -> Page:
        width, height = size
        page = PageBuilder(number, width, height, keep_boxes=True)
        wanted = (opts.page_start or 1) <= number <= (opts.page_end or number)
        writer = ShapeWriter(page, assets, opts.extract_images and wanted)
        for placed in reading_order(flatten(slide.shapes, max_depth=opts.max_nesting_depth), height):
            writer.write(placed.shape, placed.box, title=_is_title(placed.shape))
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
