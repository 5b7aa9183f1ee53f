"""Retrieval chunks (the ``.jsonl`` of the result zip) that follow the document's structure.

Each chunk is a run of blocks inside one section: paragraphs are packed up to ``max_chars``,
a table or a list is never split across chunks. ``page_content`` is the chunk's own text (pictures
as ``[image]``) prefixed by its heading path; ``org_data`` is the smallest section holding it;
``big_data`` the top-level section holding it (both capped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docrecon.model import BBox, Block, BlockType, Document, Layer
from docrecon.renderers.markdown import render_blocks
from docrecon.renderers.options import ImageMode, RenderOptions

HEADINGS = (BlockType.TITLE, BlockType.HEADING)


@dataclass
class Chunk:
    blocks: list[tuple[int, Block]] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    section: int = 0
    top: int = 0

    @property
    def pages(self) -> list[int]:
        return sorted({p for p, _ in self.blocks})


def _level(b: Block) -> int:
    return 0 if b.type is BlockType.TITLE else max(1, b.level)


def _size(b: Block) -> int:
    return len(b.text) + (sum(len(c.text) for c in b.table.cells) if b.table else 0)


def _walk(doc: Document) -> list[tuple[int, Block]]:
    return [(p.number, b) for p in doc.pages for b in p.body() if b.layer is Layer.BODY]


def build_chunks(doc: Document, max_chars: int = 1200) -> tuple[list[Chunk], list[list[tuple[int, Block]]]]:
    """Chunks plus the sections (lists of blocks) they index into by ``section``/``top``."""
    items = _walk(doc)
    sections: list[list[tuple[int, Block]]] = [[]]
    tops: list[int] = [0]
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    current = Chunk()
    section_of_top = 0

    def flush() -> None:
        nonlocal current
        if current.blocks:
            chunks.append(current)
        current = Chunk(path=[t for _, t in path], section=len(sections) - 1, top=section_of_top)

    for page, b in items:
        if b.type in HEADINGS:
            if any(x.type not in HEADINGS for _, x in current.blocks):
                flush()
            lvl = _level(b)
            while path and path[-1][0] >= lvl:
                path.pop()
            path.append((lvl, " ".join(b.text.split())))
            sections.append([])
            if lvl <= 1:
                section_of_top = len(sections) - 1
            tops.append(section_of_top)
            if not current.blocks:
                current = Chunk(path=[t for _, t in path[:-1]], section=len(sections) - 1, top=section_of_top)
            current.blocks.append((page, b))
            sections[-1].append((page, b))
            continue
        sections[-1].append((page, b))
        in_list = b.type is BlockType.LIST_ITEM and current.blocks and current.blocks[-1][1].type is BlockType.LIST_ITEM
        size = sum(_size(x) for _, x in current.blocks)
        whole = b.type is BlockType.TABLE
        if current.blocks and not in_list and (size + _size(b) > max_chars or whole):
            has_body = any(x.type not in HEADINGS for _, x in current.blocks)
            if has_body:
                flush()
        if not any(x.type not in HEADINGS for _, x in current.blocks):
            current.section = len(sections) - 1  # the smallest section holding the chunk's body
        current.blocks.append((page, b))
        if whole:
            flush()
    flush()
    for c in chunks:
        c.top = tops[c.section] if c.section < len(tops) else 0
    return chunks, sections


def _bbox(blocks: list[tuple[int, Block]]) -> list[dict[str, Any]]:
    by_page: dict[int, list[BBox]] = {}
    for p, b in blocks:
        by_page.setdefault(p, []).append(b.bbox)
    return [{"page": p, "bbox": [round(v, 1) for v in BBox.enclosing(bs).as_tuple()]} for p, bs in by_page.items()]


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def chunk_records(doc: Document, opts: RenderOptions | None = None, max_chars: int = 1200) -> list[dict[str, Any]]:
    opts = opts or RenderOptions()
    embed_opts = RenderOptions(tables=opts.tables, images=ImageMode.TEXT, image_dir=opts.image_dir)
    chunks, sections = build_chunks(doc, max_chars)
    records = []
    # a section is rendered once, however many chunks it holds (a long section would be quadratic)
    org_cache: dict[int, str] = {}
    big_cache: dict[int, str] = {}
    for c in chunks:
        blocks = [b for _, b in c.blocks]
        own = render_blocks([_placeholder(b) for b in blocks], embed_opts)
        if not own.strip():
            continue
        prefix = " > ".join(c.path)
        page_content = f"{prefix}\n{own}" if prefix else own
        if c.section not in org_cache:
            org_cache[c.section] = _render_capped(sections[c.section], opts, ORG_LIMIT)
        if c.top not in big_cache:
            big_cache[c.top] = _render_capped(_top_section(sections, c), opts, BIG_LIMIT)
        records.append(
            {
                "page_content": page_content,
                "org_data": org_cache[c.section],
                "big_data": big_cache[c.top],
                "pages": c.pages,
                "boxes": _bbox(c.blocks),
            }
        )
    return records


ORG_LIMIT = 8000
BIG_LIMIT = 20000


def _render_capped(blocks: list[tuple[int, Block]], opts: RenderOptions, limit: int) -> str:
    """The Markdown of ``blocks`` cut at ``limit`` characters; blocks far past it are not rendered."""
    taken, total = [], 0
    for _, b in blocks:
        if total > 2 * limit:
            break
        taken.append(b)
        total += _size(b) + 2
    return _cap(render_blocks(taken, opts), limit)


def _top_section(sections: list[list[tuple[int, Block]]], c: Chunk) -> list[tuple[int, Block]]:
    out: list[tuple[int, Block]] = []
    for i in range(c.top, len(sections)):
        sec = sections[i]
        if i > c.top and sec and sec[0][1].type in HEADINGS and _level(sec[0][1]) <= 1:
            break
        out.extend(sec)
    return out


def _placeholder(b: Block) -> Block:
    if b.type is BlockType.FIGURE:
        return Block(id=b.id, type=BlockType.PARAGRAPH, text="[image]" + (f" {b.text}" if b.text else ""))
    return b
