"""Retrieval chunks (the ``.jsonl`` of the result zip, spec §2.8), one JSON object per line.

The chunks are :func:`docrecon.chunk`'s at its defaults (one chunker for the library, the zip and
the CLI), with pictures as ``[image]``. Each line keeps the three documented keys and adds
provenance:

- ``page_content``: the chunk's text (heading path line, then its own text), for embedding;
- ``org_data``: the smallest section holding the chunk (its heading and the blocks up to the next
  heading), as Markdown;
- ``big_data``: the largest enclosing section that fits in :data:`BIG_LIMIT` characters (walking
  up from the smallest one to the top-level section), as Markdown;
- ``id``, ``heading_path``, ``pages`` and ``boxes`` (the union box of the chunk's blocks per page).

Lean by choice **[CHOICE]**: a section longer than its limit (:data:`ORG_LIMIT`,
:data:`BIG_LIMIT`) is not repeated whole on every line; the line gets a window of whole blocks of
it around the chunk, headed by the section's heading. Before this, ``big_data`` repeated up to
20 KB per line (an 18-page PDF: 848 KB of JSONL for 31 KB of Markdown).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from docrecon.model import BBox, Block, BlockType, Document
from docrecon.renderers.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP, Chunk, body_items, build, count_tokens
from docrecon.renderers.markdown import render_blocks
from docrecon.renderers.options import RenderOptions

HEADINGS = (BlockType.TITLE, BlockType.HEADING)
#: characters of ``org_data`` and ``big_data`` at most (a longer section gives a window)
ORG_LIMIT = 2000
BIG_LIMIT = 4000
IMAGE_PLACEHOLDER = "[image]"


@dataclass(frozen=True, slots=True)
class _Section:
    """A heading's section: ``items[start:end]``; ``own_end`` stops at the first sub-heading."""

    start: int
    end: int
    own_end: int
    parent: int  # index into the section list, -1 for none


def _level(b: Block) -> int:
    return 0 if b.type is BlockType.TITLE else max(1, b.level)


def _size(b: Block) -> int:
    return len(b.text) + (sum(len(c.text) + 3 for c in b.table.cells) if b.table else 0) + 2


def _sections(items: list[tuple[int, Block]]) -> tuple[list[_Section], list[int]]:
    """Sections, and for every item the innermost section holding it (-1: before any heading)."""
    heads = [i for i, (_, b) in enumerate(items) if b.type in HEADINGS]
    levels = [_level(items[i][1]) for i in heads]
    ends = [len(items)] * len(heads)
    parents = [-1] * len(heads)
    stack: list[int] = []  # the open headings (indices into ``heads``)
    for n, i in enumerate(heads):
        while stack and levels[stack[-1]] >= levels[n]:
            ends[stack.pop()] = i
        parents[n] = stack[-1] if stack else -1
        stack.append(n)
    sections = [
        _Section(i, ends[n], heads[n + 1] if n + 1 < len(heads) else len(items), parents[n])
        for n, i in enumerate(heads)
    ]
    owner = [-1] * len(items)
    for n, sec in enumerate(sections):
        owner[sec.start : sec.own_end] = [n] * (sec.own_end - sec.start)
    return sections, owner


@dataclass(slots=True)
class _Context:
    items: list[tuple[int, Block]]
    sizes: list[int]
    opts: RenderOptions
    #: ``prefix[i]`` = sum of ``sizes[:i]``
    prefix: list[int]

    def span(self, start: int, end: int) -> int:
        return self.prefix[end] - self.prefix[start]

    def window(self, start: int, end: int, a: int, b: int, limit: int) -> str:
        """Markdown of ``items[start:end]`` when it fits in ``limit``; else whole blocks around
        ``items[a:b]`` (the chunk) grown both ways, after the section's heading."""
        if self.span(start, end) <= limit:
            return self._render(range(start, end), limit)
        a, b = max(a, start), min(max(b, a + 1), end)
        total = self.span(a, b)
        head = [start] if start < a and self.items[start][1].type in HEADINGS else []
        total += self.sizes[start] if head else 0
        lo, hi = a, b
        grew = True
        while grew:
            grew = False
            if hi < end and total + self.sizes[hi] <= limit:
                total += self.sizes[hi]
                hi += 1
                grew = True
            if lo - 1 > (start if head else start - 1) and total + self.sizes[lo - 1] <= limit:
                lo -= 1
                total += self.sizes[lo]
                grew = True
        return self._render([*head, *range(lo, hi)], limit)

    def _render(self, indices: range | list[int], limit: int) -> str:
        text = render_blocks([self.items[i][1] for i in indices], self.opts)
        return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _boxes(c: Chunk) -> list[dict[str, Any]]:
    by_page: dict[int, list[BBox]] = {}
    for p, b in c.bboxes:
        by_page.setdefault(p, []).append(b)
    return [{"page": p, "bbox": [round(v, 1) for v in BBox.enclosing(bs).as_tuple()]} for p, bs in by_page.items()]


def chunk_records(doc: Document, opts: RenderOptions | None = None) -> list[dict[str, Any]]:
    """The JSONL lines of ``doc`` (see the module docstring)."""
    opts = opts or RenderOptions()
    items = body_items(doc)
    position = {b.id: i for i, (_, b) in enumerate(items)}
    sections, owner = _sections(items)
    sizes = [_size(b) for _, b in items]
    ctx = _Context(items, sizes, opts, [0, *itertools.accumulate(sizes)])
    records = []
    for c in build(doc, DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP, count_tokens, IMAGE_PLACEHOLDER):
        where = sorted(position[i] for i in c.block_ids if i in position)
        a, b = (where[0], where[-1] + 1) if where else (0, 0)
        body = [k for k in where if items[k][1].type not in HEADINGS] or where or [0]
        n = owner[body[0]] if items else -1
        if n < 0:
            org_range = (0, sections[0].start if sections else len(items))
            big_range = org_range
        else:
            org_range = (sections[n].start, sections[n].own_end)
            big_range = (sections[n].start, sections[n].end)
            while sections[n].parent >= 0:
                parent = sections[sections[n].parent]
                if ctx.span(parent.start, parent.end) > BIG_LIMIT:
                    break
                n = sections[n].parent
                big_range = (parent.start, parent.end)
        records.append(
            {
                "page_content": c.text,
                "org_data": ctx.window(*org_range, a, b, ORG_LIMIT),
                "big_data": ctx.window(*big_range, a, b, BIG_LIMIT),
                "id": c.id,
                "heading_path": list(c.heading_path),
                "pages": list(c.pages),
                "boxes": _boxes(c),
            }
        )
    return records
