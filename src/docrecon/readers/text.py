"""Plain text and Markdown readers: one page each.

TXT: paragraphs at blank lines, line breaks kept, nothing promoted to a heading.
MD: parsed into typed blocks (headings, lists, tables, code, quotes, pictures) by
:mod:`docrecon.readers.office_markdown`, so that the renderers write normalized Markdown.
"""

from __future__ import annotations

import re
from typing import ClassVar

from docrecon.model import AssetStore, BlockType
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder
from docrecon.readers.office_encoding import decode_text
from docrecon.readers.office_markdown import parse_markdown
from docrecon.readers.source import Source

_BLANK = re.compile(r"\n[ \t]*\n+")
#: at the start of a line these would turn plain text into a heading or a setext underline
_LEAD = re.compile(r"^([ \t]*)(#{1,6}(?=\s|$)|={3,}\s*$|<)", re.MULTILINE)


def _txt_rich(text: str) -> str | None:
    escaped = _LEAD.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return escaped if escaped != text else None


class TextReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.TXT})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        text = decode_text(src.read()).replace("\f", "\n\n")
        page = PageBuilder(1)
        for para in _BLANK.split(text):
            para = para.strip("\n").rstrip()
            if para.strip():
                page.add(BlockType.PARAGRAPH, para, rich=_txt_rich(para))
        return ListDocument([page.finish()], opts, {"format": "txt"})


class MarkdownReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.MD})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        page = PageBuilder(1)
        parse_markdown(decode_text(src.read()), page)
        return ListDocument([page.finish()], opts, {"format": "md"})
