"""The ``_mllm.json`` member: one record per picture (spec §2.8).

docrecon has no image describer model; the description is the text recognised inside the
picture plus its caption, which is what a multimodal model would be grounded on.
"""

from __future__ import annotations

from typing import Any

from docrecon.model import BlockType, Document


def mllm_records(doc: Document, image_dir: str = "images") -> list[dict[str, Any]]:
    captions = {
        b.caption_of: b.text for p in doc.pages for b in p.blocks if b.type is BlockType.CAPTION and b.caption_of
    }
    out: list[dict[str, Any]] = []
    for page in doc.pages:
        for b in page.ordered():
            if b.type is BlockType.FIGURE and b.image is not None:
                parts = [t for t in (captions.get(b.id, ""), b.text) if t.strip()]
                out.append(
                    {"image": f"{image_dir}/{b.image.key}", "page": page.number, "description": "\n".join(parts)}
                )
    return out
