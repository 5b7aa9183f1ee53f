"""Document <-> JSON-ready dicts, with the schema version checked on load."""

from __future__ import annotations

from typing import Any

from docrecon.model.document import (
    SCHEMA_VERSION,
    Block,
    Cell,
    Document,
    FailedPage,
    Page,
    SourceInfo,
    Table,
)
from docrecon.model.types import BBox, BlockType, ImageRef, Layer, Origin

JsonDict = dict[str, Any]


def _r(v: float) -> float:
    return round(v, 2)


def block_to_dict(b: Block) -> JsonDict:
    d: JsonDict = {
        "id": b.id,
        "type": b.type.value,
        "text": b.text,
        "bbox": [_r(v) for v in b.bbox.as_tuple()],
        "order": b.order,
        "layer": b.layer.value,
        "level": b.level,
        "origin": b.origin.value,
        "confidence": round(b.confidence, 4),
    }
    if b.rich is not None:
        d["rich"] = b.rich
    if b.table is not None:
        d["table"] = {
            "n_rows": b.table.n_rows,
            "n_cols": b.table.n_cols,
            "cells": [
                {
                    "row": c.row,
                    "col": c.col,
                    "row_span": c.row_span,
                    "col_span": c.col_span,
                    "text": c.text,
                    "header": c.header,
                }
                for c in b.table.cells
            ],
        }
    if b.image is not None:
        d["image"] = {"key": b.image.key, "mime": b.image.mime, "width": b.image.width, "height": b.image.height}
    if b.caption_of:
        d["caption_of"] = b.caption_of
    if b.list_id:
        d["list_id"] = b.list_id
        d["ordered"] = b.ordered
        if b.marker:
            d["marker"] = b.marker
    return d


def block_from_dict(d: JsonDict) -> Block:
    table = None
    if "table" in d:
        t = d["table"]
        table = Table(t["n_rows"], t["n_cols"], [Cell(**c) for c in t["cells"]])
    image = ImageRef(**d["image"]) if "image" in d else None
    return Block(
        id=d["id"],
        type=BlockType(d["type"]),
        text=d.get("text", ""),
        bbox=BBox(*d["bbox"]),
        order=d.get("order", -1),
        layer=Layer(d.get("layer", "body")),
        level=d.get("level", 0),
        origin=Origin(d.get("origin", "native")),
        confidence=d.get("confidence", 1.0),
        rich=d.get("rich"),
        table=table,
        image=image,
        caption_of=d.get("caption_of"),
        list_id=d.get("list_id"),
        ordered=d.get("ordered", False),
        marker=d.get("marker", ""),
    )


def document_to_dict(doc: Document) -> JsonDict:
    return {
        "schema_version": doc.schema_version,
        "id": doc.id,
        "source": {
            "name": doc.source.name,
            "mime": doc.source.mime,
            "sha256": doc.source.sha256,
            "size": doc.source.size,
            "format": doc.source.format,
        },
        "page_count": doc.page_count,
        "metadata": dict(doc.metadata),
        "failed_pages": [{"number": f.number, "error": f.error} for f in doc.failed_pages],
        **({"warnings": list(doc.warnings)} if doc.warnings else {}),
        "pages": [
            {
                "number": p.number,
                "width": _r(p.width),
                "height": _r(p.height),
                "ocr": p.ocr,
                "angle": p.angle,
                "blocks": [block_to_dict(b) for b in p.ordered()],
            }
            for p in doc.pages
        ],
    }


def document_from_dict(d: JsonDict) -> Document:
    version = str(d.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported document schema version {version!r} (this build reads {SCHEMA_VERSION})")
    src = d["source"]
    doc = Document(
        id=d["id"],
        source=SourceInfo(src["name"], src["mime"], src["sha256"], src["size"], src.get("format", "")),
        page_count=d.get("page_count", len(d["pages"])),
        metadata=dict(d.get("metadata", {})),
        failed_pages=[FailedPage(f["number"], f["error"]) for f in d.get("failed_pages", [])],
        warnings=[str(w) for w in d.get("warnings", [])],
        schema_version=version,
    )
    for p in d["pages"]:
        page = Page(p["number"], p["width"], p["height"], ocr=p.get("ocr", False), angle=p.get("angle", 0))
        page.blocks = [block_from_dict(b) for b in p["blocks"]]
        doc.pages.append(page)
    return doc
