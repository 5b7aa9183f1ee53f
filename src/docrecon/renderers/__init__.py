"""Renderers: Markdown (document and page), HTML, plain text, per-page JSON, retrieval chunks
(``docrecon.chunk`` and the JSONL lines), mllm JSON, result zip."""

from docrecon.renderers.chunks import chunk_records
from docrecon.renderers.html import render_html
from docrecon.renderers.markdown import PARTS, render_blocks, render_document, render_page
from docrecon.renderers.mllm import mllm_records
from docrecon.renderers.options import DEFAULT_PAGE_FORMAT, ImageMode, RenderOptions, TableMode
from docrecon.renderers.pages_json import document_to_pages_json, page_to_json
from docrecon.renderers.tables import table_to_html, table_to_pipe
from docrecon.renderers.text import render_text
from docrecon.renderers.zip import ResultType, referenced_images, write_zip

__all__ = [
    "DEFAULT_PAGE_FORMAT",
    "PARTS",
    "ImageMode",
    "RenderOptions",
    "ResultType",
    "TableMode",
    "chunk_records",
    "document_to_pages_json",
    "mllm_records",
    "page_to_json",
    "referenced_images",
    "render_blocks",
    "render_document",
    "render_html",
    "render_page",
    "render_text",
    "table_to_html",
    "table_to_pipe",
    "write_zip",
]
