"""Chunking speed: ``docrecon.chunk`` and the zip's JSONL records over a 1,000-page document.

    .venv/bin/python bench/bench_chunk.py [--pages 1000] [--from FILE] [--json out.json]

Without ``--from`` the document is generated (per page: a heading, four paragraphs, a five-item
list, a 12-row table, a figure with caption, a running header). With ``--from FILE`` (say a dev
PDF) that file is parsed once and its pages are repeated up to ``--pages``; the sizes of that file's
JSONL (the result zip's) are printed too. Parsing is not timed.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import time
from pathlib import Path
from typing import Any

import docrecon
from docrecon.model import BBox, Block, BlockType, Cell, Document, Layer, Page, Table
from docrecon.model.document import SourceInfo
from docrecon.renderers import chunk_records

WORDS = ("parser", "layout", "table", "reading", "order", "heading", "chunk", "retrieval", "index", "page")


def _para(n: int) -> str:
    return " ".join(WORDS[(n * 7 + i) % len(WORDS)] + ("." if i % 13 == 12 else "") for i in range(70))


def _page(n: int) -> Page:
    y = iter(range(40, 100000, 24))

    def blk(i: int, kind: BlockType, text: str = "", **kw: Any) -> Block:
        top = float(next(y))
        b = Block(id=f"p{n}/b{i}", type=kind, text=text, bbox=BBox(50.0, top, 550.0, top + 20), order=i)
        for k, v in kw.items():
            setattr(b, k, v)
        return b

    rows = [["Item", "Count", "Note"]] + [[f"r{r}", str(r * n), _para(r)[:40]] for r in range(12)]
    cells = [Cell(r, c, t, header=r == 0) for r, row in enumerate(rows) for c, t in enumerate(row)]
    blocks = [
        blk(0, BlockType.PAGE_HEADER, "Benchmark report", layer=Layer.FURNITURE),
        blk(1, BlockType.HEADING, f"Section {n}", level=1 + n % 2),
        *[blk(2 + i, BlockType.PARAGRAPH, _para(n + i)) for i in range(4)],
        *[blk(6 + i, BlockType.LIST_ITEM, _para(i)[:60], list_id=f"L{n}", marker="-") for i in range(5)],
        blk(11, BlockType.TABLE, table=Table(len(rows), 3, cells)),
        blk(12, BlockType.FIGURE, "chart text"),
        blk(13, BlockType.CAPTION, f"Figure {n}: a chart", caption_of=f"p{n}/b12"),
    ]
    return Page(number=n, width=612, height=792, blocks=blocks)


def synthetic(pages: int) -> Document:
    src = SourceInfo(name="bench.pdf", mime="application/pdf", sha256="0" * 64, size=1, format="pdf")
    doc = Document(id="bench", source=src, page_count=pages)
    doc.pages = [_page(n) for n in range(1, pages + 1)]
    doc.pages[0].blocks.insert(0, Block(id="p1/t", type=BlockType.TITLE, text="Benchmark", order=-2))
    return doc


def sizes(doc: Document) -> dict[str, Any]:
    """Bytes of the zip's JSONL (and of its big_data) against the Markdown, for one document."""
    records = chunk_records(doc)
    jsonl = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    return {
        "pages": len(doc.pages),
        "markdown_kb": round(len(docrecon.render_markdown(doc).encode()) / 1024, 1),
        "jsonl_kb": round(len(jsonl.encode()) / 1024, 1),
        "big_data_kb": round(sum(len(r["big_data"].encode()) for r in records) / 1024, 1),
        "lines": len(records),
        "longest_line_kb": round(max((len(x.encode()) for x in jsonl.splitlines()), default=0) / 1024, 1),
    }


def tiled(base: Document, pages: int) -> Document:
    doc = copy.copy(base)
    doc.pages = []
    while len(doc.pages) < pages:
        for p in base.pages:
            if len(doc.pages) == pages:
                break
            page = copy.deepcopy(p)
            page.number = len(doc.pages) + 1
            for b in page.blocks:  # ids stay unique: p3/b2 becomes p21/b2 on the 21st page
                b.id = f"p{page.number}/{b.id.split('/', 1)[-1]}"
                if b.caption_of:
                    b.caption_of = f"p{page.number}/{b.caption_of.split('/', 1)[-1]}"
            doc.pages.append(page)
    return doc


def _time(fn: Any, repeat: int) -> dict[str, float]:
    """Median wall and CPU seconds (CPU time is the fairer number on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"wall_s": round(statistics.median(wall), 3), "cpu_s": round(statistics.median(cpu), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--from", dest="source", type=Path, help="repeat this document's pages")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    base = docrecon.parse(args.source) if args.source else None
    doc = tiled(base, args.pages) if base is not None else synthetic(args.pages)
    chunks = docrecon.chunk(doc)
    result: dict[str, Any] = {"source_jsonl": sizes(base)} if base is not None else {}
    result |= {
        "document": str(args.source) if args.source else "synthetic",
        "pages": len(doc.pages),
        "blocks": sum(len(p.blocks) for p in doc.pages),
        "chunks": len(chunks),
        "chunk": _time(lambda: docrecon.chunk(doc), args.repeat),
        "chunk_no_overlap": _time(lambda: docrecon.chunk(doc, overlap=0), args.repeat),
        "jsonl_records": _time(lambda: chunk_records(doc), args.repeat),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
