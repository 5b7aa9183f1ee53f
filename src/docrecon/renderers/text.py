"""Plain text: the body in reading order, no markup.

Headings and paragraphs are lines separated by a blank line; list items keep their marker and
indent; a table is one line per row, cells separated by tabs (a spanning cell's text in every
slot it covers); a picture gives its recognised text; formulas keep their LaTeX. With page
markers on, each page ends with its filled ``page_format`` line.
"""

from __future__ import annotations

from collections.abc import Iterable

from docrecon.model import Block, BlockType, Document, Layer, Table
from docrecon.renderers.markdown import page_marker
from docrecon.renderers.options import RenderOptions

MEDIA_TYPE = "text/plain; charset=utf-8"


def _line(text: str) -> str:
    return " ".join(text.split())


def table_to_text(table: Table) -> str:
    rows = [[_line(c.text) if c else "" for c in row] for row in table.grid()]
    return "\n".join("\t".join(r).rstrip("\t") for r in rows if any(r))


def _block(b: Block) -> str:
    if b.type is BlockType.TABLE:
        return table_to_text(b.table) if b.table is not None else b.text.strip()
    if b.type in (BlockType.CODE, BlockType.FORMULA):
        return b.text.strip("\n")
    return _line(b.text)


def _list_item(b: Block, n: int) -> str:
    marker = b.marker.strip() or (f"{n}." if b.ordered else "-")
    return f"{'  ' * max(0, b.level)}{marker} {_line(b.text)}"


def render_text_blocks(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    counters: dict[int, int] = {}
    current: str | None = None
    for b in blocks:
        if b.layer is Layer.FURNITURE:
            continue
        if b.type is BlockType.LIST_ITEM:
            if b.list_id != current or not out:
                counters, current = {}, b.list_id
                out.append("")
            level = max(0, b.level)
            counters = {k: v for k, v in counters.items() if k <= level}
            counters[level] = counters.get(level, 0) + 1
            line = _list_item(b, counters[level])
            out[-1] = f"{out[-1]}\n{line}" if out[-1] else line
            continue
        current = None
        text = _block(b)
        if text:
            out.append(text)
    return "\n\n".join(x for x in out if x)


def render_text(doc: Document, opts: RenderOptions | None = None) -> str:
    """The document as plain text (see the module docstring)."""
    opts = opts or RenderOptions()
    if not opts.page_markers:
        text = render_text_blocks(b for p in doc.pages for b in p.body())
        return text + "\n" if text else ""
    pages = []
    for page in doc.pages:
        text = render_text_blocks(page.body())
        pages.append(f"{text}\n\n{page_marker(page, opts)}" if text else page_marker(page, opts))
    return "\n\n".join(pages) + "\n"
