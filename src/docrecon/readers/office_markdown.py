"""A line-based Markdown block parser into typed blocks (for the MD reader).

Inline markup is kept verbatim in ``Block.rich`` (links, emphasis, images, code spans) and stripped
for ``Block.text``. HTML blocks are converted: tables become tables (with spans), lists become
list items, other elements become paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docrecon.model import BlockType
from docrecon.readers.office_build import PageBuilder, table_from_rows
from docrecon.readers.office_html import html_to_blocks

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|$)")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_HTML = re.compile(r"^ {0,3}<(/?[A-Za-z][A-Za-z0-9-]*|!--)")
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")

# Inline patterns are bounded: no span is searched further than these many characters, so
# stripping inline markup is linear in the text (an unclosed ``*a *a *a ...`` or ``[[[[...``
# line made the unbounded patterns quadratic). Longer spans keep their markup in the plain text.
MAX_EMPHASIS_SPAN = 200
MAX_LINK_TEXT = 500
MAX_LINK_TARGET = 1000
MAX_TAG = 2000
_IMG = re.compile(rf"!\[([^\]]{{0,{MAX_LINK_TEXT}}})\]\([^)]{{0,{MAX_LINK_TARGET}}}\)")
_LINK = re.compile(rf"\[([^\]]{{0,{MAX_LINK_TEXT}}})\]\([^)]{{0,{MAX_LINK_TARGET}}}\)")
_EMPH = re.compile(rf"(\*{{1,3}}|_{{1,3}}|~~)(?=\S)(.{{1,{MAX_EMPHASIS_SPAN}}}?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")
#: a tag start that meets another ``<`` or the end before its ``>`` (within MAX_TAG characters)
_UNCLOSED_TAG = re.compile(rf"<[A-Za-z/!][^<>]{{0,{MAX_TAG}}}(?:<|\Z)")
#: an HTML block ends after this many lines even if its elements are still open
MAX_HTML_LINES = 2000
_TAG = re.compile(rf"</?[A-Za-z][^<>]{{0,{MAX_TAG}}}>")
_ESC = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def plain(md: str) -> str:
    """Inline Markdown to plain text."""
    s = _CODE.sub(r"\1", md)
    s = _IMG.sub(r"\1", s)
    s = _LINK.sub(r"\1", s)
    for _ in range(3):
        s = _EMPH.sub(r"\2", s)
    s = _TAG.sub("", s)
    return _ESC.sub(r"\1", s)


def _indent(ws: str) -> int:
    return len(ws.replace("\t", "    "))


def _is_table_start(lines: list[str], i: int) -> bool:
    return "|" in lines[i] and i + 1 < len(lines) and "-" in lines[i + 1] and bool(
        _TABLE_DELIM.match(lines[i + 1])
    ) and "|" in lines[i + 1] + lines[i]


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [plain(c.strip().replace("\\|", "|")) for c in cells]


@dataclass
class _Lists:
    """Nesting of list items by indentation; a new list id after anything that is not a list."""

    stack: list[int] = field(default_factory=list)
    count: int = 0
    active: bool = False
    top_ordered: bool = False

    def level(self, indent: int, ordered: bool) -> int:
        if self.active and ordered != self.top_ordered and (not self.stack or indent <= self.stack[0]):
            self.active = False  # "- a" then "1. b" at the top: a new list
        if not self.active:
            self.top_ordered = ordered
            self.count += 1
            self.active = True
            self.stack = []
        while self.stack and self.stack[-1] > indent:
            self.stack.pop()
        if not self.stack or indent > self.stack[-1]:
            self.stack.append(indent)
        return len(self.stack) - 1

    def close(self) -> None:
        self.active = False


class MarkdownParser:
    def __init__(self, text: str, page: PageBuilder) -> None:
        self.lines = text.split("\n")
        self.page = page
        self.lists = _Lists()

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            i = self.step(i)

    def step(self, i: int) -> int:
        line = self.lines[i]
        if not line.strip():
            return i + 1
        if _ITEM.match(line) and not _HR.match(line):
            return self.list_item(i)
        self.lists.close()
        for test, handler in (
            (_FENCE.match(line), self.fence),
            (_ATX.match(line), self.atx),
            (_HR.match(line), lambda j: j + 1),
            (_is_table_start(self.lines, i), self.table),
            (_QUOTE.match(line), self.quote),
            (_HTML.match(line), self.html),
        ):
            if test:
                return handler(i)
        return self.paragraph(i)

    def fence(self, i: int) -> int:
        m = _FENCE.match(self.lines[i])
        assert m is not None
        marker, body, j = m.group(1), [], i + 1
        while j < len(self.lines) and not self.lines[j].strip().startswith(marker):
            body.append(self.lines[j])
            j += 1
        self.page.add(BlockType.CODE, "\n".join(body))
        return j + 1

    def atx(self, i: int) -> int:
        m = _ATX.match(self.lines[i])
        assert m is not None
        self.heading(len(m.group(1)), (m.group(2) or "").strip())
        return i + 1

    def heading(self, level: int, md: str) -> None:
        if not md:
            return
        if level == 1:
            self.page.add(BlockType.TITLE, plain(md), rich=md)
        else:
            self.page.add(BlockType.HEADING, plain(md), rich=md, level=level - 1)

    def table(self, i: int) -> int:
        rows = [split_row(self.lines[i])]
        j = i + 2
        while j < len(self.lines) and self.lines[j].strip() and "|" in self.lines[j]:
            rows.append(split_row(self.lines[j]))
            j += 1
        width = len(rows[0])
        self.page.add_table(table_from_rows([(r + [""] * width)[:width] for r in rows]))
        return j

    def quote(self, i: int) -> int:
        body, j = [], i
        while j < len(self.lines) and (m := _QUOTE.match(self.lines[j])):
            body.append(m.group(1))
            j += 1
        text = "\n".join(body).strip()
        if text:
            rich = "\n".join("> " + b for b in body)
            self.page.add(BlockType.PARAGRAPH, plain(text), rich=rich)
        return j

    def html(self, i: int) -> int:
        """An HTML block: to the comment's end, or to a blank line once its block elements are
        closed, at most ``MAX_HTML_LINES`` lines. A block with a tag that never closes (``<a <a
        <a ...``, quadratic in Python's HTML parser) is kept as a plain paragraph."""
        j = i
        opener = self.lines[i].strip()
        closer = "-->" if opener.startswith("<!--") else None
        end = min(len(self.lines), i + MAX_HTML_LINES)
        while j < end:
            j += 1
            if closer is not None:
                if closer in self.lines[j - 1]:
                    break
            elif j < len(self.lines) and not self.lines[j].strip() and _balanced("\n".join(self.lines[i:j])):
                break
        body = "\n".join(self.lines[i:j])
        if _UNCLOSED_TAG.search(body):
            self.page.add(BlockType.PARAGRAPH, " ".join(body.split()))
        else:
            html_to_blocks(body, self.page)
        return j

    def list_item(self, i: int) -> int:
        m = _ITEM.match(self.lines[i])
        assert m is not None
        indent, marker = _indent(m.group(1)), m.group(2)
        body = [(m.group(3) or "").strip()]
        j = i + 1
        while j < len(self.lines):
            nxt = self.lines[j]
            if not nxt.strip() or _ITEM.match(nxt) or _FENCE.match(nxt) or _ATX.match(nxt):
                break
            body.append(nxt.strip())
            j += 1
        level = self.lists.level(indent, marker[0].isdigit())
        md = " ".join(b for b in body if b)
        self.page.add(
            BlockType.LIST_ITEM, plain(md), rich=md, level=level,
            list_id=f"md{self.lists.count}", ordered=marker[0].isdigit(),
        )
        return j

    def paragraph(self, i: int) -> int:
        body, j = [self.lines[i].strip()], i + 1
        while j < len(self.lines):
            nxt = self.lines[j]
            if _SETEXT.match(nxt) and body:
                self.heading(1 if nxt.strip()[0] == "=" else 2, " ".join(body))
                return j + 1
            if not nxt.strip() or any(
                p.match(nxt) for p in (_FENCE, _ATX, _QUOTE, _HR)
            ) or _is_table_start(self.lines, j) or (_ITEM.match(nxt) and not nxt.startswith("    ")):
                break
            body.append(nxt.strip())
            j += 1
        md = "\n".join(body)
        self.page.add(BlockType.PARAGRAPH, plain(md), rich=md)
        return j


def _balanced(html: str) -> bool:
    """Whether every block element opened in ``html`` was closed."""
    lowered = html.lower()
    for tag in ("table", "ul", "ol", "div", "pre"):
        if lowered.count(f"<{tag}") > lowered.count(f"</{tag}"):
            return False
    return True


def parse_markdown(text: str, page: PageBuilder) -> None:
    MarkdownParser(text, page).run()
