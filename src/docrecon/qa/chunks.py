"""Retrieval chunks for Q&A that follow the document's structure.

A chunk is one of: a section's paragraphs packed up to a size budget (a paragraph longer than the
budget is cut between sentences), a list group (kept whole unless it is far too long, then cut
between items), a table as Markdown pipe text (a long one cut between rows, the header row
repeated in every piece), or a figure with its caption. Captions travel with their table or
figure. Every chunk's text starts with its heading path ("Title > Section"). Furniture (running
headers, footers, page numbers) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docrecon.model import BBox, Block, BlockType, Document, Layer
from docrecon.model.types import FURNITURE_TYPES
from docrecon.qa.text import sentences
from docrecon.renderers.tables import table_to_pipe

HEADINGS = (BlockType.TITLE, BlockType.HEADING)
#: a paragraph chunk is closed once it would pass this many characters
MAX_CHARS = 1100
#: a list group or a paragraph is cut only when it is longer than this
HARD_MAX_CHARS = 1800


@dataclass(frozen=True, slots=True)
class Chunk:
    chunk_id: str
    doc_id: str
    name: str
    #: heading path line (when there is one), then the chunk's own text
    text: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    #: ``(page, bbox)`` of every block, aligned with ``block_ids``
    boxes: tuple[tuple[int, BBox], ...]
    block_ids: tuple[str, ...]
    #: "text", "list", "table", "figure" or "heading" (a heading without content of its own)
    kind: str
    #: ``(start, end)`` of each block's text inside ``text``, aligned with ``block_ids``
    spans: tuple[tuple[int, int], ...] = ()

    def block_at(self, offset: int) -> int:
        """Index (into ``block_ids``/``boxes``) of the block holding character ``offset``."""
        for i, (start, end) in enumerate(self.spans):
            if start <= offset < end:
                return i
        best = 0
        for i, (start, _) in enumerate(self.spans):
            if start <= offset:
                best = i
        return best


@dataclass(slots=True)
class _Piece:
    """One block's (part of its) text inside a chunk being built."""

    page: int
    block: Block
    text: str


@dataclass(slots=True)
class _Builder:
    doc_id: str
    name: str
    chunks: list[Chunk] = field(default_factory=list)

    def emit(self, path: tuple[str, ...], pieces: list[_Piece], kind: str, sep: str = "\n\n") -> None:
        pieces = [p for p in pieces if p.text.strip()]
        if not pieces:
            return
        head = " > ".join(path)
        text = f"{head}\n" if head else ""
        spans: list[tuple[int, int]] = []
        for i, p in enumerate(pieces):
            if i:
                text += sep
            spans.append((len(text), len(text) + len(p.text)))
            text += p.text
        self.chunks.append(
            Chunk(
                chunk_id=f"{self.doc_id}#{len(self.chunks)}",
                doc_id=self.doc_id,
                name=self.name,
                text=text,
                heading_path=path,
                pages=tuple(sorted({p.page for p in pieces})),
                boxes=tuple((p.page, p.block.bbox) for p in pieces),
                block_ids=tuple(p.block.id for p in pieces),
                kind=kind,
                spans=tuple(spans),
            )
        )


def _clean(text: str) -> str:
    return " ".join(text.split())


def _block_text(b: Block) -> str:
    if b.type is BlockType.CODE:
        return b.text.rstrip()
    return _clean(b.text)


def _split_sentences(text: str, limit: int) -> list[str]:
    """Cut ``text`` between sentences into parts of at most ``limit`` characters (when possible)."""
    parts: list[str] = []
    current = ""
    for start, end in sentences(text):
        s = text[start:end]
        if current and len(current) + 1 + len(s) > limit:
            parts.append(current)
            current = ""
        current = f"{current} {s}" if current and not _cjk_join(current, s) else current + s
    if current:
        parts.append(current)
    return parts or [text]


def _cjk_join(left: str, right: str) -> bool:
    return left[-1] > "\u2e80" or right[0] > "\u2e80"


def _table_parts(table_text: str, limit: int) -> list[str]:
    """The table's pipe text, cut between rows with the header and separator rows repeated."""
    lines = table_text.split("\n")
    if len(table_text) <= limit or len(lines) <= 3:
        return [table_text]
    header, rows = lines[:2], lines[2:]
    head_size = sum(len(x) + 1 for x in header)
    out: list[str] = []
    current: list[str] = []
    size = head_size
    for row in rows:
        if current and size + len(row) + 1 > limit:
            out.append("\n".join(header + current))
            current, size = [], head_size
        current.append(row)
        size += len(row) + 1
    if current:
        out.append("\n".join(header + current))
    return out


def _list_text(items: list[tuple[int, Block]]) -> list[_Piece]:
    pieces = []
    for page, b in items:
        marker = b.marker.strip() or ("-" if not b.ordered else "")
        indent = "  " * max(0, b.level)
        body = _clean(b.text)
        pieces.append(_Piece(page, b, f"{indent}{marker} {body}".rstrip() if marker else f"{indent}{body}"))
    return pieces


def chunk_document(doc: Document, doc_id: str, name: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Structure-aware chunks of ``doc`` (see the module docstring)."""
    items = [
        (p.number, b)
        for p in doc.pages
        for b in p.body()
        if b.layer is Layer.BODY and b.type not in FURNITURE_TYPES
    ]
    ids = {b.id for _, b in items}
    captions: dict[str, list[tuple[int, Block]]] = {}
    for page, b in items:
        if b.type is BlockType.CAPTION and b.caption_of and b.caption_of in ids:
            captions.setdefault(b.caption_of, []).append((page, b))
    out = _Builder(doc_id, name)
    #: (level, text, its piece, chunks emitted before it): a heading left without content becomes a chunk
    path: list[tuple[int, str, _Piece, int]] = []
    pending: list[_Piece] = []

    def current_path() -> tuple[str, ...]:
        return tuple(t for _, t, _, _ in path)

    def pop_heading() -> None:
        _, _, piece, before = path.pop()
        if before == len(out.chunks):
            out.emit(current_path(), [piece], "heading")

    def flush() -> None:
        nonlocal pending
        if pending:
            kind = "list" if all(p.block.type is BlockType.LIST_ITEM for p in pending) else "text"
            out.emit(current_path(), pending, kind, sep="\n" if kind == "list" else "\n\n")
        pending = []

    def size() -> int:
        return sum(len(p.text) + 2 for p in pending)

    i = 0
    while i < len(items):
        page, b = items[i]
        i += 1
        if b.type in HEADINGS:
            flush()
            level = 0 if b.type is BlockType.TITLE else max(1, b.level)
            while path and path[-1][0] >= level:
                pop_heading()
            text = _clean(b.text)
            if text:
                path.append((level, text, _Piece(page, b, text), len(out.chunks)))
            continue
        if b.type is BlockType.CAPTION and b.caption_of and b.caption_of in ids:
            continue  # emitted with its table or figure
        if b.type is BlockType.TABLE:
            flush()
            caps = [_Piece(cp, cb, _clean(cb.text)) for cp, cb in captions.get(b.id, [])]
            cap_size = sum(len(c.text) + 1 for c in caps)
            table_text = table_to_pipe(b.table) if b.table is not None else b.text.strip()
            for table_part in _table_parts(table_text, max(200, max_chars - cap_size)):
                out.emit(current_path(), [*caps, _Piece(page, b, table_part)], "table", sep="\n")
            continue
        if b.type is BlockType.FIGURE:
            fig = _Piece(page, b, _clean(b.text))
            cap_pieces = [_Piece(cp, cb, _clean(cb.text)) for cp, cb in captions.get(b.id, [])]
            if not fig.text and not cap_pieces:
                continue
            flush()
            out.emit(current_path(), [fig, *cap_pieces], "figure", sep="\n")
            continue
        if b.type is BlockType.LIST_ITEM:
            group = [(page, b)]
            while i < len(items) and items[i][1].type is BlockType.LIST_ITEM and items[i][1].list_id == b.list_id:
                group.append(items[i])
                i += 1
            pieces = _list_text(group)
            total = sum(len(p.text) + 1 for p in pieces)
            if total > HARD_MAX_CHARS:
                flush()
                run: list[_Piece] = []
                for piece in pieces:
                    if run and sum(len(x.text) + 1 for x in run) + len(piece.text) > max_chars:
                        out.emit(current_path(), run, "list", sep="\n")
                        run = []
                    run.append(piece)
                out.emit(current_path(), run, "list", sep="\n")
                continue
            if pending and size() + total > max_chars:
                flush()
            pending.extend(pieces)
            continue
        text = _block_text(b)
        if not text:
            continue
        if len(text) > HARD_MAX_CHARS:
            flush()
            for part_text in _split_sentences(text, max_chars):
                out.emit(current_path(), [_Piece(page, b, part_text)], "text")
            continue
        if pending and size() + len(text) > max_chars:
            flush()
        pending.append(_Piece(page, b, text))
    flush()
    while path:
        pop_heading()
    return out.chunks

