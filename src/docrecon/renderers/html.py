"""Semantic HTML: one UTF-8 page with headings, paragraphs, nested lists, tables with their
``rowspan``/``colspan``, figures with captions, formulas and code. All text is escaped; each
element's ``id`` is its block id (``p3/b7``), so a chunk's ``block_ids`` point into the page.

Pictures link to ``<image_dir>/<key>`` (``ImageMode.LINK``), show their recognised text
(``ImageMode.TEXT``), or are embedded as ``data:`` URIs (``embed_images=True``).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

from docrecon.model import Block, BlockType, Document, Layer, Page
from docrecon.renderers.markdown import page_marker
from docrecon.renderers.options import ImageMode, RenderOptions
from docrecon.renderers.tables import table_to_html

MEDIA_TYPE = "text/html; charset=utf-8"


def _e(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=True)


def _id(b: Block) -> str:
    return f' id="{html.escape(b.id, quote=True)}"' if b.id else ""


class _Html:
    """Builds the body: open lists are tracked, captions are placed with their table or figure."""

    def __init__(self, doc: Document, opts: RenderOptions, embed_images: bool) -> None:
        self.doc, self.opts, self.embed = doc, opts, embed_images
        self.out: list[str] = []
        self.lists: list[str] = []  # open list tags, innermost last
        self.list_id: str | None = None
        body = [b for p in doc.pages for b in p.body()]
        ids = {b.id for b in body if b.type in (BlockType.TABLE, BlockType.FIGURE)}
        self.captions: dict[str, list[Block]] = {}
        for b in body:
            if b.type is BlockType.CAPTION and b.caption_of in ids and b.caption_of is not None:
                self.captions.setdefault(b.caption_of, []).append(b)

    def close_lists(self, depth: int = 0) -> None:
        while len(self.lists) > depth:
            self.out.append(f"</li></{self.lists.pop()}>")

    def list_item(self, b: Block) -> None:
        if b.list_id != self.list_id:
            self.close_lists()
            self.list_id = b.list_id
        depth = max(0, b.level) + 1
        tag = "ol" if b.ordered else "ul"
        if len(self.lists) >= depth:
            self.close_lists(depth)
            self.out.append("</li>")
        while len(self.lists) < depth:
            self.lists.append(tag)
            self.out.append(f"<{tag}>")
        marker = f' data-marker="{_e(b.marker)}"' if b.marker.strip() and b.ordered else ""
        self.out.append(f"<li{_id(b)}{marker}>{_e(b.text)}")

    def image(self, b: Block) -> str:
        assert b.image is not None
        alt = f' alt="{_e(b.text)}"' if b.text.strip() else ' alt=""'
        if self.embed:
            data = base64.b64encode(self.doc.assets.get(b.image.key)).decode("ascii")
            src = f"data:{b.image.mime};base64,{data}"
        else:
            src = html.escape(f"{self.opts.image_dir}/{b.image.key}", quote=True)
        return f'<img src="{src}"{alt}>'

    def figure(self, b: Block) -> str:
        caps = "".join(f"<figcaption{_id(c)}>{_e(c.text)}</figcaption>" for c in self.captions.get(b.id, []))
        if self.opts.images is ImageMode.TEXT or b.image is None:
            inner = f"<p>{_e(b.text)}</p>" if b.text.strip() else ""
        else:
            inner = self.image(b)
        return f"<figure{_id(b)}>{inner}{caps}</figure>" if inner or caps else ""

    def table(self, b: Block) -> str:
        table = table_to_html(b.table) if b.table is not None else f"<table><tr><td>{_e(b.text)}</td></tr></table>"
        caps = "".join(f"<caption>{_e(c.text)}</caption>" for c in self.captions.get(b.id, [])[:1])
        return f"<table{_id(b)}>{caps}{table.removeprefix('<table>')}"

    def block(self, b: Block) -> str:
        t = b.type
        if t in (BlockType.TITLE, BlockType.HEADING):
            n = 1 if t is BlockType.TITLE else min(6, max(1, b.level) + 1)
            return f"<h{n}{_id(b)}>{_e(b.text)}</h{n}>"
        if t is BlockType.TABLE:
            return self.table(b)
        if t is BlockType.FIGURE:
            return self.figure(b)
        if t is BlockType.CAPTION:
            return "" if b.caption_of in self.captions else f'<p{_id(b)} class="caption">{_e(b.text)}</p>'
        if t is BlockType.FORMULA:
            if not b.text.strip() and b.image is not None:
                return f'<figure{_id(b)} class="formula">{self.image(b)}</figure>'
            return f'<div{_id(b)} class="math">\\[{html.escape(b.text.strip())}\\]</div>'
        if t is BlockType.CODE:
            return f"<pre{_id(b)}><code>{html.escape(b.text.rstrip())}</code></pre>"
        if t is BlockType.FOOTNOTE:
            return f'<aside{_id(b)} class="footnote"><p>{_e(b.text)}</p></aside>'
        if t is BlockType.PARAGRAPH:
            return f"<p{_id(b)}>{_e(b.text)}</p>" if b.text.strip() else ""
        return ""

    def blocks(self, blocks: Iterable[Block]) -> None:
        for b in blocks:
            if b.layer is Layer.FURNITURE:
                continue
            if b.type is BlockType.LIST_ITEM:
                self.list_item(b)
                continue
            self.close_lists()
            self.list_id = None
            text = self.block(b)
            if text:
                self.out.append(text)

    def page_end(self, page: Page) -> None:
        self.close_lists()
        self.list_id = None
        self.out.append(f'<p class="page-marker">{_e(page_marker(page, self.opts))}</p>')


def render_html(doc: Document, opts: RenderOptions | None = None, embed_images: bool = False) -> str:
    """The document as one HTML page (see the module docstring)."""
    opts = opts or RenderOptions()
    builder = _Html(doc, opts, embed_images)
    for page in doc.pages:
        builder.blocks(page.body())
        if opts.page_markers:
            builder.page_end(page)
    builder.close_lists()
    body = "\n".join(builder.out)
    title = _e(doc.metadata.get("title") or doc.source.name)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
