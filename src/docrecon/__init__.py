"""docrecon: faithful Markdown, JSONL and JSON from documents, on a plain CPU.

The front door is :func:`parse`::

    import docrecon
    doc = docrecon.parse("report.pdf", docrecon.ParseOptions(page_start=2, page_end=5))
    print(docrecon.render_markdown(doc))
    for c in docrecon.chunk(doc, max_tokens=256):  # retrieval chunks with provenance
        print(c.heading_path, c.pages, c.text)

:func:`parse` runs in the calling process and is **unguarded**: a hostile file can crash the
interpreter (a native abort), hang it or exhaust its memory. For untrusted input use
:func:`parse_guarded` (one document) or :func:`parse_many` (many, in parallel): they parse in
supervised child processes with memory, CPU and wall-clock :class:`Limits`, and turn a crash,
hang or blow-up into an error of the tree.
"""

from docrecon.errors import (
    Busy,
    CorruptDocument,
    DocreconError,
    EncryptedDocument,
    FormatMismatch,
    InputError,
    InvalidOption,
    NotFound,
    OcrUnavailable,
    ParseFailed,
    ParseTimeout,
    StorageError,
    TooLarge,
    TooManyPages,
    UnsupportedFormat,
)
from docrecon.model import Block, BlockType, Document, Page, Table
from docrecon.options import OcrMode, ParseOptions
from docrecon.pipeline import ProgressEvent, parse
from docrecon.renderers import RenderOptions, ResultType, TableMode
from docrecon.renderers import render_document as render_markdown
from docrecon.renderers.chunking import Chunk, chunk, count_tokens
from docrecon.supervise import Limits, parse_guarded, parse_many

__version__ = "0.1.0"

__all__ = [
    "Block",
    "BlockType",
    "Busy",
    "Chunk",
    "CorruptDocument",
    "DocreconError",
    "Document",
    "EncryptedDocument",
    "FormatMismatch",
    "InputError",
    "InvalidOption",
    "Limits",
    "NotFound",
    "OcrMode",
    "OcrUnavailable",
    "Page",
    "ParseFailed",
    "ParseOptions",
    "ParseTimeout",
    "ProgressEvent",
    "RenderOptions",
    "ResultType",
    "StorageError",
    "Table",
    "TableMode",
    "TooLarge",
    "TooManyPages",
    "UnsupportedFormat",
    "__version__",
    "chunk",
    "count_tokens",
    "parse",
    "parse_guarded",
    "parse_many",
    "render_markdown",
]
