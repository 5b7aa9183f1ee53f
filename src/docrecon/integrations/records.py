"""Framework-neutral records (text, metadata, id) that the loaders turn into their documents.

Metadata keys of a chunk record: ``source`` (the path given), ``file_name``, ``source_sha256``,
``chunk_id``, ``kind``, ``page`` (first page, 1-based), ``pages``, ``bbox`` (``[x0, y0, x1, y1]``
of the first block, in page points, top-left origin), ``bboxes`` (``{"page", "bbox"}`` per block),
``heading_path`` (``"Title > Section"``), ``headings`` (the path as a list), ``block_ids``,
``block_types`` and ``tokens``. A page record has ``source``, ``file_name``, ``source_sha256``,
``page``, ``pages``, ``bbox`` (the whole page), ``heading_path`` and ``headings`` (the path in
force where the page starts) and ``block_ids``; a page's text is its Markdown, pictures given as
their recognised text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from docrecon.batch import discover
from docrecon.errors import InvalidOption, NotFound
from docrecon.model import BlockType, Document
from docrecon.options import ParseOptions
from docrecon.pipeline import parse
from docrecon.renderers import ImageMode, RenderOptions, render_page
from docrecon.renderers.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP, Chunk, Tokenizer, body_items, chunk

Mode = Literal["chunk", "page"]
PathLike = str | os.PathLike[str]
#: page mode: Markdown with pictures as their recognised text (a loader has no image folder)
PAGE_RENDER = RenderOptions(images=ImageMode.TEXT)
#: metadata that is provenance, not meaning: loaders keep it out of the embedded text
BULKY_KEYS = ("bboxes", "bbox", "block_ids", "block_types", "source_sha256", "chunk_id", "tokens")


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    text: str
    metadata: dict[str, Any]


def _box(values: tuple[float, float, float, float]) -> list[float]:
    return [round(v, 1) for v in values]


def chunk_metadata(c: Chunk, source: str) -> dict[str, Any]:
    return {
        "source": source,
        "file_name": c.source,
        "source_sha256": c.source_sha256,
        "chunk_id": c.id,
        "kind": c.kind,
        "page": c.pages[0] if c.pages else 0,
        "pages": list(c.pages),
        "bbox": _box(c.bboxes[0][1].as_tuple()) if c.bboxes else [],
        "bboxes": [{"page": p, "bbox": _box(b.as_tuple())} for p, b in c.bboxes],
        "heading_path": " > ".join(c.heading_path),
        "headings": list(c.heading_path),
        "block_ids": list(c.block_ids),
        "block_types": [t.value for t in c.block_types],
        "tokens": c.tokens,
    }


def _page_paths(doc: Document) -> dict[int, tuple[str, ...]]:
    """The heading path in force where each page starts."""
    out: dict[int, tuple[str, ...]] = {}
    path: list[tuple[int, str]] = []
    for page, b in body_items(doc):
        out.setdefault(page, tuple(t for _, t in path))
        if b.type in (BlockType.TITLE, BlockType.HEADING):
            level = 0 if b.type is BlockType.TITLE else max(1, b.level)
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, " ".join(b.text.split())))
    return out


def page_records(doc: Document, source: str, opts: RenderOptions | None = None) -> Iterator[Record]:
    paths = _page_paths(doc)
    last: tuple[str, ...] = ()
    for page in doc.pages:
        last = paths.get(page.number, last)
        text = render_page(page, opts or PAGE_RENDER)
        if page.failed or not text.strip():
            continue
        meta = {
            "source": source,
            "file_name": doc.source.name,
            "source_sha256": doc.source.sha256,
            "page": page.number,
            "pages": [page.number],
            "bbox": [0.0, 0.0, round(page.width, 1), round(page.height, 1)],
            "heading_path": " > ".join(last),
            "headings": list(last),
            "block_ids": [b.id for b in page.body()],
        }
        yield Record(f"{doc.source.sha256[:20]}-p{page.number}", text, meta)


def _files(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    found, missing, _ = discover([Path(p) for p in items])
    if missing:
        raise NotFound(f"no such file or folder: {missing[0]}")
    return [f.path for f in found]


@dataclass(frozen=True, slots=True)
class LoadSettings:
    mode: Mode = "chunk"
    max_tokens: int = DEFAULT_MAX_TOKENS
    overlap: int = DEFAULT_OVERLAP
    tokenizer: Tokenizer | None = None
    options: ParseOptions | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("chunk", "page"):
            raise InvalidOption(f"mode must be 'chunk' or 'page', not {self.mode!r}")


def document_records(doc: Document, source: str, settings: LoadSettings) -> Iterator[Record]:
    if settings.mode == "page":
        yield from page_records(doc, source)
        return
    for c in chunk(doc, settings.max_tokens, settings.overlap, settings.tokenizer):
        yield Record(c.id, c.text, chunk_metadata(c, source))


def load_records(paths: PathLike | Sequence[PathLike], settings: LoadSettings) -> Iterator[Record]:
    """Parse each file (folders are searched) in turn and yield its records lazily."""
    for path in _files(paths):
        yield from document_records(parse(path, settings.options), str(path), settings)


def records_of(docs: Iterable[tuple[Document, str]], settings: LoadSettings) -> Iterator[Record]:
    for doc, source in docs:
        yield from document_records(doc, source, settings)
