"""Retrieval chunks with provenance: :func:`chunk` (``docrecon.chunk``) and :class:`Chunk`.

A chunk is one of: a section's paragraphs packed up to ``max_tokens`` (a paragraph longer than
that is cut between sentences, a sentence longer than that between words), a list group (packed
item by item; an item is never cut), a table as pipe text (a long one cut between rows, its header
rows repeated in every piece; a row is never cut), a figure with its caption, or a heading that
has no content of its own. Captions travel with their table or figure. Every chunk's text starts
with its heading path line ("Title > Section"); the path is also the ``heading_path`` field.
Furniture (running headers, footers, page numbers) is skipped.

Tokens are counted by :func:`count_tokens` (words plus CJK characters, no download) unless a
``tokenizers.Tokenizer``, any object with ``encode`` (tiktoken, transformers) or a callable
(``str -> int`` or ``str -> sequence``) is passed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sized
from dataclasses import dataclass, field
from typing import Any, Protocol

from docrecon.errors import InvalidOption
from docrecon.model import BBox, Block, BlockType, Document, Layer
from docrecon.model.types import FURNITURE_TYPES
from docrecon.renderers.tables import table_to_pipe

HEADINGS = (BlockType.TITLE, BlockType.HEADING)
DEFAULT_MAX_TOKENS = 256
DEFAULT_OVERLAP = 32

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”」』)）]?|(?<=[.])\s+(?=\S)|\n+")


class _Encoder(Protocol):
    """``tokenizers.Tokenizer``, tiktoken's ``Encoding``, a transformers tokenizer: ``encode`` gives
    something with a length (an ``Encoding``, a list of ids)."""

    def encode(self, text: str) -> Sized: ...


TokenCounter = Callable[[str], int]
Tokenizer = _Encoder | Callable[[str], int] | Callable[[str], Sized]


def count_tokens(text: str) -> int:
    """Words (runs of non-space characters) plus CJK characters (each counts as one)."""
    if text.isascii():
        return len(text.split())
    return len(_TOKEN.findall(text))


def token_counter(tokenizer: Tokenizer | None) -> TokenCounter:
    """A ``str -> int`` counter for ``tokenizer`` (None: :func:`count_tokens`)."""
    if tokenizer is None:
        return count_tokens
    encode = getattr(tokenizer, "encode", None)
    if callable(encode):
        return lambda text: len(encode(text))
    if not callable(tokenizer):
        raise TypeError(f"tokenizer must have encode() or be callable, not {type(tokenizer).__name__}")
    fn = tokenizer

    def counter(text: str) -> int:
        n = fn(text)
        return n if isinstance(n, int) else len(n)

    return counter


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrieval chunk and where it came from."""

    #: stable: the same document parsed the same way gives the same ids
    id: str
    #: heading path line (when there is one), then the chunk's own text
    text: str
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    #: ``(page, bbox)`` of every block, aligned with ``block_ids`` (page points, top-left origin)
    bboxes: tuple[tuple[int, BBox], ...]
    block_ids: tuple[str, ...]
    #: the type of every block, aligned with ``block_ids``
    block_types: tuple[BlockType, ...]
    #: "text", "list", "table", "figure" or "heading" (a heading without content of its own)
    kind: str
    #: the source document: its file name and content hash
    source: str
    source_sha256: str
    tokens: int
    #: ``(start, end)`` of each block's text inside ``text``, aligned with ``block_ids``
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def body(self) -> str:
        """``text`` without the heading path line."""
        start = self.spans[0][0] if self.spans else 0
        return self.text[start:]

    def block_at(self, offset: int) -> int:
        """Index (into ``block_ids``/``bboxes``) of the block holding character ``offset`` of ``text``."""
        best = 0
        for i, (start, end) in enumerate(self.spans):
            if start <= offset < end:
                return i
            if start <= offset:
                best = i
        return best

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready metadata and text (bboxes as ``{"page", "bbox": [x0, y0, x1, y1]}``)."""
        return {
            "id": self.id,
            "text": self.text,
            "heading_path": list(self.heading_path),
            "pages": list(self.pages),
            "bboxes": [{"page": p, "bbox": [round(v, 1) for v in b.as_tuple()]} for p, b in self.bboxes],
            "block_ids": list(self.block_ids),
            "block_types": [t.value for t in self.block_types],
            "kind": self.kind,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "tokens": self.tokens,
        }


@dataclass(slots=True)
class _Piece:
    """One block's (part of its) text inside a chunk being built."""

    page: int
    block: Block
    text: str
    tokens: int


@dataclass(slots=True)
class _Builder:
    doc: Document
    count: TokenCounter
    placeholder: str | None
    chunks: list[Chunk] = field(default_factory=list)

    #: ids given so far (a repeated id gets ``-2``, ``-3``… appended)
    seen: dict[str, int] = field(default_factory=dict)

    def emit(self, path: tuple[str, ...], pieces: list[_Piece], kind: str, sep: str = "\n\n") -> None:
        pieces = [p for p in pieces if p.text.strip()]
        if not pieces:
            return
        head = " > ".join(path)
        parts = [f"{head}\n"] if head else []
        spans: list[tuple[int, int]] = []
        at = len(parts[0]) if parts else 0
        for i, p in enumerate(pieces):
            if i:
                parts.append(sep)
                at += len(sep)
            spans.append((at, at + len(p.text)))
            parts.append(p.text)
            at += len(p.text)
        text = "".join(parts)
        src = self.doc.source
        ids = tuple(p.block.id for p in pieces)
        # content-addressed: an edit elsewhere in the document leaves this chunk's id alone
        key = f"{src.sha256}\x00{' '.join(ids)}\x00{text}".encode()
        cid = hashlib.blake2b(key, digest_size=10).hexdigest()
        n = self.seen[cid] = self.seen.get(cid, 0) + 1
        if self.count is count_tokens:  # additive: the parts are counted already
            tokens = (count_tokens(head) if head else 0) + sum(p.tokens for p in pieces)
        else:
            tokens = self.count(text)
        self.chunks.append(
            Chunk(
                id=cid if n == 1 else f"{cid}-{n}",
                text=text,
                heading_path=path,
                pages=tuple(sorted({p.page for p in pieces})),
                bboxes=tuple((p.page, p.block.bbox) for p in pieces),
                block_ids=ids,
                block_types=tuple(p.block.type for p in pieces),
                kind=kind,
                source=src.name,
                source_sha256=src.sha256,
                tokens=tokens,
                spans=tuple(spans),
            )
        )

    def piece(self, page: int, block: Block, text: str) -> _Piece:
        return _Piece(page, block, text, self.count(text))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _block_text(b: Block) -> str:
    if b.type is BlockType.CODE:
        return b.text.rstrip()
    return _clean(b.text)


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        if text[start:end].strip():
            out.append(text[start:end].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out or [text]


def _join(left: str, right: str) -> str:
    if not left:
        return right
    cjk = left[-1] > "\u2e80" or right[0] > "\u2e80"
    return left + right if cjk else f"{left} {right}"


def _split_words(text: str, limit: int, count: TokenCounter) -> list[str]:
    """Cut a sentence longer than ``limit`` tokens between words (CJK: between characters)."""
    parts: list[str] = []
    current, size = "", 0
    for w in _TOKEN.findall(text):
        n = count(w)
        if current and size + n > limit:
            parts.append(current)
            current, size = "", 0
        current, size = _join(current, w), size + n
    if current:
        parts.append(current)
    return parts


def split_text(text: str, limit: int, count: TokenCounter) -> list[str]:
    """Cut ``text`` between sentences (then words) into parts of at most ``limit`` tokens.

    Token counts of sentences are added up (exact for the default count, close for subword
    tokenizers)."""
    parts: list[str] = []
    current, size = "", 0
    for s in _sentences(text):
        n = count(s)
        if n > limit:
            if current:
                parts.append(current)
                current, size = "", 0
            parts.extend(_split_words(s, limit, count))
            continue
        if current and size + n > limit:
            parts.append(current)
            current, size = "", 0
        current, size = _join(current, s), size + n
    if current:
        parts.append(current)
    return parts or [text]


def _table_lines(b: Block) -> tuple[list[str], list[str]]:
    """Header lines (with the separator) and body rows of a table's pipe text."""
    if b.table is None:
        lines = [x for x in b.text.strip().split("\n") if x.strip()]
        return [], lines
    lines = table_to_pipe(b.table).split("\n")
    if len(lines) < 2:
        return [], [x for x in lines if x.strip()]
    return lines[:2], lines[2:]


def _list_pieces(items: list[tuple[int, Block]], out: _Builder) -> list[_Piece]:
    pieces = []
    for page, b in items:
        marker = b.marker.strip() or ("-" if not b.ordered else "")
        indent = "  " * max(0, b.level)
        body = _clean(b.text)
        pieces.append(out.piece(page, b, f"{indent}{marker} {body}".rstrip() if marker else f"{indent}{body}"))
    return pieces


def _tail(pieces: list[_Piece], overlap: int, out: _Builder) -> list[_Piece]:
    """The last sentences of ``pieces`` worth at most ``overlap`` tokens (the next chunk's start)."""
    if overlap <= 0 or not pieces:
        return []
    last = pieces[-1]
    kept = ""
    for s in reversed(_sentences(last.text)):
        candidate = s if not kept else _join(s, kept)
        if out.count(candidate) > overlap:
            break
        kept = candidate
    return [out.piece(last.page, last.block, kept)] if kept else []


@dataclass(slots=True)
class _Walk:
    """State of one pass over the body blocks."""

    out: _Builder
    max_tokens: int
    overlap: int
    path: list[tuple[int, str, _Piece, int]] = field(default_factory=list)
    pending: list[_Piece] = field(default_factory=list)
    #: pending pieces that are only overlap carried from the previous chunk
    carried: int = 0

    #: the heading path and the tokens left for content once its line is counted (kept current)
    _path: tuple[str, ...] = ()
    _budget: int = 0

    def __post_init__(self) -> None:
        self._path_changed()

    def _path_changed(self) -> None:
        self._path = tuple(t for _, t, _, _ in self.path)
        head = " > ".join(self._path)
        used = self.out.count(head) if head else 0
        self._budget = max(self.max_tokens - used, min(self.max_tokens, max(16, self.max_tokens // 4)))

    def current_path(self) -> tuple[str, ...]:
        return self._path

    def budget(self) -> int:
        return self._budget

    def size(self) -> int:
        return sum(p.tokens for p in self.pending)

    def flush(self, carry: bool = False) -> None:
        if len(self.pending) > self.carried:
            kind = "list" if all(p.block.type is BlockType.LIST_ITEM for p in self.pending) else "text"
            self.out.emit(self.current_path(), self.pending, kind, sep="\n" if kind == "list" else "\n\n")
            tail = _tail(self.pending, self.overlap, self.out) if carry and kind == "text" else []
        else:
            tail = []
        self.pending = tail
        self.carried = len(tail)

    def add_text(self, piece: _Piece) -> None:
        if self.pending and self.size() + piece.tokens > self.budget():
            self.flush(carry=True)
            if self.pending and self.size() + piece.tokens > self.budget():
                self.pending, self.carried = [], 0  # no room for the overlap
        self.pending.append(piece)

    def heading(self, page: int, b: Block) -> None:
        self.flush()
        level = 0 if b.type is BlockType.TITLE else max(1, b.level)
        while self.path and self.path[-1][0] >= level:
            self.pop_heading()
        text = _clean(b.text)
        if text:
            self.path.append((level, text, self.out.piece(page, b, text), len(self.out.chunks)))
            self._path_changed()

    def pop_heading(self) -> None:
        _, _, piece, before = self.path.pop()
        self._path_changed()
        if before == len(self.out.chunks):
            self.out.emit(self.current_path(), [piece], "heading")

    def table(self, page: int, b: Block, caps: list[_Piece]) -> None:
        self.flush()
        header, rows = _table_lines(b)
        limit = self.budget() - sum(c.tokens for c in caps)
        head_text = "\n".join(header)
        head_tokens = self.out.count(head_text) if header else 0
        run: list[str] = []
        size = head_tokens

        def emit() -> None:
            self.out.emit(self.current_path(), [*caps, self.out.piece(page, b, "\n".join(header + run))], "table", "\n")

        for row in rows:
            t = self.out.count(row)
            if run and size + t > limit:
                emit()
                run, size = [], head_tokens
            run.append(row)
            size += t
        if run or header:
            emit()

    def list_group(self, pieces: list[_Piece]) -> None:
        total = sum(p.tokens for p in pieces)
        if self.pending and self.size() + total > self.budget():
            self.flush()
        if total <= self.budget():
            self.pending.extend(pieces)
            return
        self.flush()
        run: list[_Piece] = []
        for piece in pieces:
            if run and sum(x.tokens for x in run) + piece.tokens > self.budget():
                self.out.emit(self.current_path(), run, "list", sep="\n")
                run = []
            run.append(piece)
        self.pending = run

    def paragraph(self, page: int, b: Block, text: str) -> None:
        piece = self.out.piece(page, b, text)
        if piece.tokens <= self.budget():
            self.add_text(piece)
            return
        limit = self.budget()
        room = limit - self.overlap if limit - self.overlap >= limit // 2 else limit  # leave room for the overlap
        for part in split_text(text, room, self.out.count):
            self.add_text(self.out.piece(page, b, part))


def body_items(doc: Document) -> list[tuple[int, Block]]:
    """``(page number, block)`` of the body blocks that chunks are made of, in reading order."""
    return [
        (p.number, b)
        for p in doc.pages
        if not p.failed
        for b in p.body()
        if b.layer is Layer.BODY and b.type not in FURNITURE_TYPES
    ]


def build(
    doc: Document, max_tokens: int, overlap: int, count: TokenCounter, image_placeholder: str | None = None
) -> list[Chunk]:
    """The chunks of ``doc``; ``image_placeholder`` (e.g. ``"[image]"``) starts every figure's text."""
    items = body_items(doc)
    ids = {b.id for _, b in items}
    out = _Builder(doc, count, image_placeholder)
    captions: dict[str, list[_Piece]] = {}
    for page, b in items:
        if b.type is BlockType.CAPTION and b.caption_of and b.caption_of in ids:
            captions.setdefault(b.caption_of, []).append(out.piece(page, b, _clean(b.text)))
    walk = _Walk(out, max_tokens, overlap)
    i = 0
    while i < len(items):
        page, b = items[i]
        i += 1
        if b.type in HEADINGS:
            walk.heading(page, b)
        elif b.type is BlockType.CAPTION and b.caption_of and b.caption_of in ids:
            continue  # emitted with its table or figure
        elif b.type is BlockType.TABLE:
            walk.table(page, b, captions.get(b.id, []))
        elif b.type is BlockType.FIGURE:
            text = _clean(b.text)
            if image_placeholder is not None:
                text = _join(image_placeholder, text) if text else image_placeholder
            caps = captions.get(b.id, [])
            if text or caps:
                walk.flush()
                out.emit(walk.current_path(), [out.piece(page, b, text), *caps], "figure", sep="\n")
        elif b.type is BlockType.LIST_ITEM:
            group = [(page, b)]
            while i < len(items) and items[i][1].type is BlockType.LIST_ITEM and items[i][1].list_id == b.list_id:
                group.append(items[i])
                i += 1
            walk.list_group(_list_pieces(group, out))
        elif text := _block_text(b):
            walk.paragraph(page, b, text)
    walk.flush()
    while walk.path:
        walk.pop_heading()
    return out.chunks


def chunk(
    doc: Document,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    overlap: int = DEFAULT_OVERLAP,
    tokenizer: Tokenizer | None = None,
) -> list[Chunk]:
    """Structure-aware retrieval chunks of ``doc``, in reading order (see the module docstring).

    ``max_tokens`` bounds a chunk (heading path line included), except that a table row or a list
    item is never cut; ``overlap`` repeats up to that many tokens of whole sentences from the end
    of a text chunk at the start of the next one in the same section.
    """
    if max_tokens < 1:
        raise InvalidOption("max_tokens must be at least 1")
    if overlap < 0 or overlap >= max_tokens:
        raise InvalidOption("overlap must be at least 0 and less than max_tokens")
    return build(doc, max_tokens, overlap, token_counter(tokenizer))
