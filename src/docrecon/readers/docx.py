"""DOCX reader: WordprocessingML body -> typed blocks on pages.

Pages: a Word file stores no layout, so docrecon uses the pagination Word itself recorded when it
last saved the file (``w:lastRenderedPageBreak``) together with explicit page breaks, "page break
before" paragraphs and section breaks. Consecutive breaks with no content between them count once.
A file that never went through Word (e.g. generated) and has no explicit breaks is one page.
See docs/formats.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lxml import etree

from docrecon.errors import CorruptDocument
from docrecon.model import AssetStore, Block, BlockType, ImageRef, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import LETTER, PageBuilder, md_escape
from docrecon.readers.office_charts import emit_chart
from docrecon.readers.office_docx_context import DocxContext
from docrecon.readers.office_docx_inline import MC, Inline, InlineReader
from docrecon.readers.office_docx_styles import StyleInfo, _num_pr, _outline, on, w, wval
from docrecon.readers.office_docx_table import build_table
from docrecon.readers.office_meta import core_properties
from docrecon.readers.source import Source
from docrecon.readers.zipguard import SafeZip

_SINGLE = re.compile(r"^[^%]*%(\d)[^%]*$")
_CONTAINERS = (w("customXml"), w("ins"))


def _page_size(sect: etree._Element | None) -> tuple[float, float]:
    size = sect.find(w("pgSz")) if sect is not None else None
    try:
        if size is not None:
            return int(size.get(w("w"), "0")) / 20 or LETTER[0], int(size.get(w("h"), "0")) / 20 or LETTER[1]
    except ValueError:
        pass
    return LETTER


class DocxWalker:
    def __init__(self, ctx: DocxContext, sect: etree._Element | None) -> None:
        self.ctx = ctx
        self.size = _page_size(sect)
        self.pages: list[Page] = []
        self.furniture = self._furniture(sect)
        self.cur = self._start(1)
        self.pending_break = False
        self.last_kind = ""

    # ---------------------------------------------------------------- pages
    def _start(self, number: int) -> PageBuilder:
        self.ctx.page = number
        page = PageBuilder(number, *self.size)
        for text in self.furniture[0]:
            page.add(BlockType.PAGE_HEADER, text)
        return page

    def _close(self) -> None:
        for text in self.furniture[1]:
            self.cur.add(BlockType.PAGE_FOOTER, text)
        self.pages.append(self.cur.finish())

    def content(self) -> None:
        """Content is about to be emitted: honour a pending page break first."""
        if self.pending_break:
            self.pending_break = False
            self._close()
            self.cur = self._start(self.cur.number + 1)

    def finish(self) -> list[Page]:
        self.notes()
        self._close()
        return self.pages

    def _furniture(self, sect: etree._Element | None) -> tuple[list[str], list[str]]:
        out: tuple[list[str], list[str]] = ([], [])
        if sect is None:
            return out
        for i, kind in enumerate(("headerReference", "footerReference")):
            for ref in sect.iter(w(kind)):
                if ref.get(w("type"), "default") != "default":
                    continue
                text = self._part_text(ref.get(f"{{{_R}}}id", ""))
                if text:
                    out[i].append(text)
        return out

    def _part_text(self, rid: str) -> str:
        found = self.ctx.part_xml(rid)
        if found is None:
            return ""
        root, rels = found
        reader = InlineReader(self.ctx)
        saved, self.ctx.rels, self.ctx.images_on = self.ctx.rels, rels, False
        try:
            lines = [reader.read(p).text.strip() for p in root.iter(w("p"))]
        finally:
            self.ctx.rels, self.ctx.images_on = saved, True
        return "\n".join(line for line in lines if line)

    # ---------------------------------------------------------------- body
    def body(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child)
            elif tag == w("tbl"):
                self.table(child)
            elif tag == w("sdt"):
                inner = child.find(w("sdtContent"))
                if inner is not None:
                    self.body(inner)
            elif tag in _CONTAINERS:
                self.body(child)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self.body(choice)

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(w("pPr"))
        inl = InlineReader(self.ctx).read(p)
        if inl.break_before or on(ppr, "pageBreakBefore"):
            self.pending_break = True
        if inl.has_text() or inl.images or inl.display_math or inl.textboxes or inl.charts:
            self.content()
        self.emit(ppr, inl)
        for ref, alt in inl.images:
            self.figure(ref, alt)
        for rid in inl.charts:
            self.chart(rid)
        for latex in inl.display_math:
            self.cur.add(BlockType.FORMULA, latex)
            self.last_kind = "formula"
        for box in inl.textboxes:
            self.body(box)
        if inl.break_after or (ppr is not None and ppr.find(w("sectPr")) is not None):
            self.pending_break = True

    def chart(self, rid: str) -> None:
        data = self.ctx.chart(rid)
        if data is not None:
            emit_chart(self.cur, data)
            self.last_kind = "table"

    def figure(self, ref: ImageRef, alt: str = "") -> None:
        self.cur.add(BlockType.FIGURE, alt, image=ref)
        self.last_kind = "figure"

    def emit(self, ppr: etree._Element | None, inl: Inline) -> None:
        text = inl.text.strip()
        info = self.ctx.styles.info(wval(ppr, "pStyle"))
        num = _num_pr(ppr) or info.num
        if num is not None and num[0] == "0":
            num = None
        outline = _outline(ppr)
        heading = outline + 1 if outline is not None else info.heading
        if not text:
            return
        rich = inl.rich()
        if heading is not None:
            label = self.ctx.numbering.advance(*num) if num else ""
            title = f"{label} {text}".strip() if label else text
            btype = BlockType.TITLE if heading == 0 else BlockType.HEADING
            self.add(btype, title, None, level=max(heading, 1) if heading else 0)
        elif info.kind == "caption":
            self.caption(text, rich)
        elif info.kind == "code":
            self.code(inl.text.rstrip())
        elif num is not None:
            self.list_item(num, text, rich, info)
        else:
            self.add(BlockType.PARAGRAPH, text, rich)

    def add(self, btype: BlockType, text: str, rich: str | None, **kw: object) -> Block:
        block = self.cur.add(btype, text, rich=rich, **kw)
        self.last_kind = btype.value
        return block

    def caption(self, text: str, rich: str | None) -> None:
        prev = self.cur.blocks[-1] if self.cur.blocks else None
        target = prev.id if prev is not None and prev.type in (BlockType.FIGURE, BlockType.TABLE) else None
        self.add(BlockType.CAPTION, text, rich, caption_of=target)

    def code(self, text: str) -> None:
        prev = self.cur.blocks[-1] if self.cur.blocks else None
        if prev is not None and prev.type is BlockType.CODE and self.last_kind == "code":
            prev.text += "\n" + text
        else:
            self.add(BlockType.CODE, text, None)

    def list_item(self, num: tuple[str, int], text: str, rich: str | None, info: StyleInfo) -> None:
        lvl = self.ctx.numbering.level(*num)
        label = self.ctx.numbering.advance(*num)
        if lvl is None or lvl.fmt == "none" or not lvl.text:
            self.add(BlockType.PARAGRAPH, f"{label} {text}".strip(), rich)
            return
        single = _SINGLE.match(lvl.text)
        ordered = lvl.fmt != "bullet"
        simple = single is not None and int(single.group(1)) == num[1] + 1
        if ordered and not (simple and lvl.fmt in ("decimal", "decimalZero")):
            text = f"{label} {text}"
            rich = f"{md_escape(label)} {rich}" if rich else None
            ordered = False
        level, list_id = num[1], f"n{num[0]}"
        if info.list_family and level == 0:  # "List Bullet 2": the style gives the nesting
            level, list_id = info.list_level, f"style-{info.list_family}"
        self.add(BlockType.LIST_ITEM, text, rich, level=level, list_id=list_id, ordered=ordered)

    def table(self, tbl: etree._Element) -> None:
        self.content()
        images: list[tuple[ImageRef, str]] = []
        table = build_table(tbl, lambda tc: self.cell_text(tc, images))
        if table.n_rows and table.n_cols:
            self.cur.add_table(table)
            self.last_kind = "table"
        for ref, alt in images:
            self.figure(ref, alt)
        if any(True for _ in tbl.iter(w("lastRenderedPageBreak"))) or any(
            br.get(w("type")) == "page" for br in tbl.iter(w("br"))
        ):
            self.pending_break = True

    def cell_text(self, tc: etree._Element, images: list[tuple[ImageRef, str]], depth: int = 1) -> str:
        """The text of a table cell; a nested table is read once, by the cell that holds it
        (linear in the document), and beyond ``max_nesting_depth`` only its words are kept."""
        parts: list[str] = []
        for child in _cell_content(tc):
            if child.tag == w("tbl"):
                if depth >= self.ctx.opts.max_nesting_depth:
                    words = " ".join(t.text or "" for t in child.iter(w("t")))
                    parts.append(" ".join(words.split()))
                    continue
                nested = build_table(child, lambda inner: self.cell_text(inner, images, depth + 1))
                parts.append(" ".join(c.text for c in nested.cells if c.text))
                continue
            inl = InlineReader(self.ctx).read(child)
            images.extend(inl.images)
            text = " ".join(inl.text.split())
            ppr = child.find(w("pPr"))
            num = _num_pr(ppr) or self.ctx.styles.info(wval(ppr, "pStyle")).num
            if text and num is not None and num[0] != "0":
                lvl = self.ctx.numbering.level(*num)
                label = self.ctx.numbering.advance(*num)
                text = f"{'-' if lvl is None or lvl.fmt == 'bullet' else label} {text}"
            if text:
                parts.append(text)
        return " ".join(parts)

    # ---------------------------------------------------------------- notes
    def notes(self) -> None:
        ctx = self.ctx
        saved = ctx.rels
        for label, kind, note_id in list(ctx.notes):
            reader = InlineReader(ctx)
            ctx.images_on, ctx.rels = False, ctx.note_rels.get(kind, {})
            texts, riches = [], []
            for p in ctx.note(kind, note_id).iter(w("p")):
                inl = reader.read(p)
                if inl.has_text():
                    texts.append(inl.text.strip())
                    riches.append((inl.rich() or md_escape(inl.text)).strip())
            ctx.images_on, ctx.rels = True, saved
            if texts:
                self.cur.add(BlockType.FOOTNOTE, " ".join(texts), rich=f"[^{label}]: " + " ".join(riches))


def _cell_content(el: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs and tables of a cell in document order, not looking inside the tables."""
    for child in el:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif isinstance(child.tag, str):
            yield from _cell_content(child)


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class DocxReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.DOCX})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        pkg = SafeZip(src, opts)
        try:
            ctx = DocxContext.load(pkg, opts, assets)
            body = pkg.xml(ctx.part).find(w("body"))
            if body is None:
                raise CorruptDocument("the document part has no body")
            walker = DocxWalker(ctx, body.find(w("sectPr")))
            walker.body(body)
            pages = walker.finish()
            metadata = core_properties(pkg)
        finally:
            pkg.close()
        return ListDocument(pages, opts, metadata, ctx.warnings)
