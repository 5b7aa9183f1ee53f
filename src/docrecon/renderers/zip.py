"""The result zip (spec §2.8): members chosen by the API's ResultType."""

from __future__ import annotations

import json
import zipfile
from enum import StrEnum
from typing import BinaryIO

from docrecon.model import BlockType, Document
from docrecon.renderers.chunks import chunk_records
from docrecon.renderers.html import render_html
from docrecon.renderers.markdown import render_document, render_page
from docrecon.renderers.mllm import mllm_records
from docrecon.renderers.options import ImageMode, RenderOptions
from docrecon.renderers.pages_json import document_to_pages_json
from docrecon.renderers.text import render_text


class ResultType(StrEnum):
    FULL_MD = "0"
    PAGE_JSON = "1"
    PAGE_MD = "2"
    FULL_MD_PAGE_JSON = "3"
    FULL_MD_PAGE_MD = "4"
    ALL = "5"

    @property
    def full_md(self) -> bool:
        return self.value in "0345"

    @property
    def page_json(self) -> bool:
        return self.value in "135"

    @property
    def page_md(self) -> bool:
        return self.value in "245"


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":"))


def referenced_images(doc: Document) -> list[str]:
    keys: list[str] = []
    for page in doc.pages:
        for b in page.blocks:
            if b.image is not None and b.type in (BlockType.FIGURE, BlockType.FORMULA):
                keys.append(b.image.key)
    return list(dict.fromkeys(keys))


def write_zip(
    doc: Document,
    out: BinaryIO,
    stem: str,
    opts: RenderOptions | None = None,
    result_type: ResultType = ResultType.FULL_MD_PAGE_JSON,
) -> list[str]:
    """Write the result zip to ``out``; returns the member names."""
    opts = opts or RenderOptions()
    names: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def add(name: str, text: str) -> None:
            zf.writestr(name, text.encode("utf-8"))
            names.append(name)

        if result_type.full_md:
            add(f"{stem}.md", render_document(doc, opts))
        if result_type.page_json:
            add(f"{stem}.json", _dumps(document_to_pages_json(doc, opts)))
        if result_type.page_md:
            for page in doc.pages:
                if not page.failed:
                    add(f"{stem}_page_{page.number}.md", render_page(page, opts))
        add(f"{stem}.jsonl", "".join(_dumps(r) + "\n" for r in chunk_records(doc, opts)))
        # beyond the spec's members (clients ignore them): served by the native API's ?format=
        add(f"{stem}.html", render_html(doc, opts))
        add(f"{stem}.txt", render_text(doc, opts))
        add(f"{stem}_mllm.json", _dumps(mllm_records(doc, opts.image_dir)))
        if opts.images is ImageMode.LINK:
            for key in referenced_images(doc):
                zf.writestr(f"{opts.image_dir}/{key}", doc.assets.get(key))
                names.append(f"{opts.image_dir}/{key}")
    return names
