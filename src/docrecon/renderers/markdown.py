"""Markdown: the whole document or one page, built from swappable per-type parts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from docrecon.model import Block, BlockType, Document, Layer, Page
from docrecon.renderers.options import ImageMode, RenderOptions, TableMode
from docrecon.renderers.tables import table_to_html, table_to_pipe

Part = Callable[[Block, RenderOptions], str]
log = logging.getLogger(__name__)


def _text(b: Block) -> str:
    return b.rich if b.rich is not None else b.text


#: what would make a line of plain text a Markdown heading, quote, list item, rule or fence
_BLOCK_MARK = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}(?=[.)](?:\s|$))|={3,}\s*$|-{3,}\s*$|`{3}|~{3})",
                         re.M)


def escape_block_marks(text: str) -> str:
    """Plain text that starts a line with "#", ">", "- ", "1. ", "===" ... stays text: the mark
    is escaped ("# On and from ..." is a footnote, not a heading)."""
    def esc(m: re.Match[str]) -> str:
        mark = m.group(2)
        if mark[0].isdigit():
            return m.group(1) + mark + "\\"
        return m.group(1) + "\\" + mark
    return _BLOCK_MARK.sub(esc, text)


def heading_prefix(b: Block) -> str:
    if b.type is BlockType.TITLE:
        return "#"
    return "#" * min(6, max(1, b.level) + 1)


def render_heading(b: Block, o: RenderOptions) -> str:
    return f"{heading_prefix(b)} {' '.join(_text(b).split())}"


def render_paragraph(b: Block, o: RenderOptions) -> str:
    if b.rich is not None:  # Markdown the reader wrote (inline styles, a notes quote)
        return b.rich.strip()
    return escape_block_marks(b.text.strip())


def render_table(b: Block, o: RenderOptions) -> str:
    if b.table is None:
        return b.text
    if o.tables is TableMode.HTML or (o.tables is TableMode.AUTO and b.table.has_spans):
        return table_to_html(b.table)
    return table_to_pipe(b.table)


def render_figure(b: Block, o: RenderOptions) -> str:
    if o.images is ImageMode.TEXT:
        return b.text.strip()
    if b.image is None:
        return b.text.strip()
    return f"![{alt_text(b.text)}]({o.image_dir}/{b.image.key})"


def alt_text(text: str) -> str:
    """A picture's text (its description, or the words set inside it) as one line of image alt
    text: brackets and backslashes escaped so the link stays a link."""
    line = " ".join(text.split())
    return re.sub(r"([\\\[\]])", r"\\\1", line)


def render_formula(b: Block, o: RenderOptions) -> str:
    if not b.text.strip() and b.image is not None:
        return render_figure(b, o)
    return f"$$\n{b.text.strip()}\n$$"


def render_code(b: Block, o: RenderOptions) -> str:
    return f"```\n{b.text.rstrip()}\n```"


PARTS: dict[BlockType, Part] = {
    BlockType.TITLE: render_heading,
    BlockType.HEADING: render_heading,
    BlockType.PARAGRAPH: render_paragraph,
    BlockType.CAPTION: render_paragraph,
    BlockType.FOOTNOTE: render_paragraph,
    BlockType.TABLE: render_table,
    BlockType.FIGURE: render_figure,
    BlockType.FORMULA: render_formula,
    BlockType.CODE: render_code,
}


class _ListState:
    """Numbers ordered items per (list, level) and indents nested items."""

    def __init__(self) -> None:
        self.counters: dict[tuple[str | None, int], int] = {}
        self.current: str | None = None

    def item(self, b: Block) -> str:
        if b.list_id != self.current:
            self.counters.clear()
            self.current = b.list_id
        level = max(0, b.level)
        for key in [k for k in self.counters if k[1] > level]:
            del self.counters[key]
        indent = "    " * level
        if b.ordered:
            n = self.counters.get((b.list_id, level), 0) + 1
            self.counters[(b.list_id, level)] = n
            printed = b.marker.strip("()（）.)")  # noqa: B005 - a set of bracket characters
            if printed.isascii() and printed.isdigit() and len(printed) <= 9:
                marker = f"{int(printed)}."  # keep the document's own numbering
            elif b.marker.strip():
                # ①, a), (iv), 一、, 第3条: Markdown has no such lists; keep the printed marker
                marker = f"- {b.marker.strip()}"
            else:
                marker = f"{n}."
        else:
            marker = "-"
        body = " ".join(_text(b).split())
        return f"{indent}{marker} {body}"

    def reset(self) -> None:
        self.counters.clear()
        self.current = None


def render_blocks(blocks: Iterable[Block], opts: RenderOptions, parts: dict[BlockType, Part] | None = None) -> str:
    parts = parts or PARTS
    out: list[str] = []
    lists = _ListState()
    prev_list = False
    for b in blocks:
        if b.layer is Layer.FURNITURE:
            continue
        if b.type is BlockType.LIST_ITEM:
            same = prev_list and b.list_id == lists.current
            line = lists.item(b)
            if same and out:
                out[-1] += "\n" + line
            else:
                out.append(line)
            prev_list = True
            continue
        prev_list = False
        lists.reset()
        part = parts.get(b.type)
        if part is None:
            continue
        try:
            text = part(b, opts)
        except Exception:  # noqa: BLE001 - a block the renderer cannot shape keeps its plain text
            log.exception("block %s (%s) rendered as plain text", b.id, b.type.value)
            text = b.text.strip()
        if text:
            out.append(text)
    return "\n\n".join(out)


def page_marker(page: Page, opts: RenderOptions) -> str:
    return opts.page_format.replace("{{p}}", str(page.number))


def render_page(page: Page, opts: RenderOptions | None = None) -> str:
    opts = opts or RenderOptions()
    text = render_blocks(page.body(), opts)
    if opts.page_markers:
        text = f"{text}\n\n{page_marker(page, opts)}" if text else page_marker(page, opts)
    return text + "\n" if text else ""


def render_document(doc: Document, opts: RenderOptions | None = None) -> str:
    opts = opts or RenderOptions()
    if not opts.page_markers:
        blocks = [b for p in doc.pages for b in p.body()]
        text = render_blocks(blocks, opts)
        return text + "\n" if text else ""
    chunks = [render_page(p, opts).rstrip("\n") for p in doc.pages]
    return "\n\n".join(c for c in chunks if c) + "\n"
