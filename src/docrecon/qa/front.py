"""Heading-path and front-matter answers: "which section covers X", the title, the author, the date.

- A section question is answered by the heading path of the chunk that covers it (the heading
  itself is matched, and the chunk's text counts for less), or by a short block inside the chunk
  that reads as a heading of the blocks after it (a heading the parser left a plain block: "相关研究"
  over a list of reports), cited where that block is. A heading found in a chunk that continues
  its section is cited at the section's first chunk (:func:`section_starts` adds those to the
  hits; :func:`section_start` picks the one to cite).
- Title, author and date questions about a document also look at its front matter, the first
  chunks of the document (:func:`front_chunks` adds them to the retrieved hits): the first
  headings (one that breaks off mid-phrase runs on into the next), author lines (``Prepared by``,
  ``Author:``, ``编写：``, a list of personal names under the title) and date lines.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docrecon.qa.chunks import Chunk
from docrecon.qa.index import Hit, QaIndex
from docrecon.qa.question import AnswerType, Question, has_type
from docrecon.qa.spans import Span

#: a block at most this long (characters; a third of it for Latin words) that ends without a mark
#: may be a heading inside a chunk
BLOCK_HEADING = 16
#: the text after a block heading that counts as its section (characters)
BLOCK_BODY = 600
_ITEM = re.compile(r"^\s*([-*•●○■□▪◆◇·]|\(?\d{1,3}[.)、](?!\d)|[A-Za-z][.)]\s|\||#)")
_HEADING_END = re.compile(r"[.!?;:,，。！？；：、…)）\]」』”\"'%]$|[:：]")
#: chunks at the start of a document that count as its front matter
FRONT_CHUNKS = 4
AUTHOR_LABEL = re.compile(
    r"(prepared|written|authored|compiled|edited|presented|submitted)\s+by|authors?|编写人?|作者|撰写人?|编制人?|"
    r"起草人?|报告人|编者|分析师",
    re.IGNORECASE,
)
#: an author line: "Prepared by X" at the start of a line, or "Author: X" / "编写：X" anywhere
_AUTHOR_LINE = re.compile(
    r"^((?:prepared|written|authored|compiled|edited|presented|submitted)\s+by)\s*[:：]?\s*([^，,;；。\n]{2,60})|"
    r"((?:authors?|编写人?|作者|撰写人?|编制人?|起草人?|报告人|编者))\s*[:：]\s*([^，,;；。\n]{2,60})",
    re.IGNORECASE,
)
_PERSON = re.compile(r"^(?:[A-Z]\.\s*)+[A-Z][\w'’\-]+\*?$|^[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’\-]+\*?$")
#: content words of a question that only ask about the document itself ("when was it published")
DOC_WORDS = frozenset(
    """published publish issued released dated written created document report paper article file this
    发布 出版 发表 印发 撰写 编写 报告 文档 文件 本文 这份 这篇""".split()
)
#: a front-matter line this short that holds a date is a date line ("Received 9 October 2006; revised …")
DATE_LINE = 80
_END = re.compile(r"[.!?;:。！？；：]$")


def about_document(question: Question) -> bool:
    """Whether ``question`` asks about a document itself (its title, author, date), not its content."""
    if question.type in (AnswerType.TITLE, AnswerType.AUTHOR):
        return True
    return question.type in (AnswerType.DATE, AnswerType.NAME) and all(t in DOC_WORDS for t in question.terms)


def front_chunks(index: QaIndex, question: Question, hits: list[Hit], doc_ids: list[str]) -> list[Hit]:
    """``hits`` plus up to :data:`FRONT_CHUNKS` front-matter chunks (best-ranked documents first),
    for questions about a document itself."""
    if not about_document(question):
        return hits
    seen = {h.chunk.chunk_id for h in hits}
    docs = list(dict.fromkeys([h.chunk.doc_id for h in hits] + list(doc_ids)))
    extra = [c for c in index.first_chunks(docs, FRONT_CHUNKS) if c.chunk_id not in seen][:FRONT_CHUNKS]
    n = len(hits)
    return hits + [Hit(c, 0.0, n + i + 1) for i, c in enumerate(extra)]


#: a section's first chunk is looked for at most this many chunks back
SECTION_LOOKBACK = 200


def _path(c: Chunk) -> tuple[str, ...]:
    """The chunk's heading path, with its own heading when it is a heading-only chunk."""
    if c.kind == "heading" and c.text:
        return (*c.heading_path, c.text.split("\n")[-1])
    return c.heading_path


def section_starts(index: QaIndex, question: Question, hits: list[Hit]) -> list[Hit]:
    """``hits`` plus, for a section question, the first chunk of each section a hit's heading
    path names (when the hit continues a section begun in an earlier chunk)."""
    if question.type is not AnswerType.SECTION:
        return hits
    want: dict[str, int] = {}
    for h in hits:
        n = _chunk_no(h)
        if 0 < n < SECTION_LOOKBACK and h.chunk.heading_path:
            want[h.chunk.doc_id] = max(want.get(h.chunk.doc_id, 0), n)
    if not want:
        return hits
    chunks = index.first_chunks(list(want), max(want.values()) + 1)
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    seen = {h.chunk.chunk_id for h in hits}
    extra: list[Chunk] = []
    for h in hits:
        doc = by_doc.get(h.chunk.doc_id, [])
        n = _chunk_no(h)
        path = _path(h.chunk)
        for depth in range(1, len(path) + 1):
            start = None
            for c in reversed(doc[:n]):
                if _path(c)[:depth] != path[:depth]:
                    break
                start = c
            if start is not None and start.chunk_id not in seen:
                seen.add(start.chunk_id)
                extra.append(start)
    n = len(hits)
    return hits + [Hit(c, 0.0, n + i + 1) for i, c in enumerate(extra)]


def section_start(s: Span, passages: list[Hit]) -> Span:
    """A heading span cited at the first chunk of its section among ``passages`` (its first block)."""
    path = _path(s.hit.chunk)
    if s.kind != "heading" or s.start != 0 or s.context not in path:
        return s
    depth = path.index(s.context) + 1
    first = s.hit
    for h in passages:
        if (h.chunk.doc_id == first.chunk.doc_id and _path(h.chunk)[:depth] == path[:depth]
                and _chunk_no(h) < _chunk_no(first)):
            first = h
    return s if first is s.hit else replace(s, hit=first, block=0)


def _chunk_no(hit: Hit | Chunk) -> int:
    c = hit.chunk if isinstance(hit, Hit) else hit
    tail = c.chunk_id.rsplit("#", 1)[-1]
    return int(tail) if tail.isdigit() else 1 << 20


def is_front(hit: Hit) -> bool:
    return _chunk_no(hit) < FRONT_CHUNKS


def section_spans(hit: Hit) -> list[Span]:
    """One span per heading of the chunk's path (the heading matched, shown with its parent), for
    "which section" questions; the chunk's text counts for the deepest heading only."""
    c = hit.chunk
    path = list(c.heading_path)
    if c.kind == "heading" and c.text:
        path.append(c.text.split("\n")[-1])
    body = c.text.split("\n", 1)[1] if c.heading_path and "\n" in c.text else ""
    out: list[Span] = []
    for i in range(len(path) - 1, -1, -1):
        text = " > ".join(path[max(0, i - 1) : i + 1])
        out.append(Span(hit, 0, text, context=path[i], kind="heading", value=body[:600] if i == len(path) - 1 else ""))
    return out + block_headings(hit)


def _heading_like(text: str) -> bool:
    t = text.strip()
    if not t or "\n" in t or _ITEM.match(t) or _HEADING_END.search(t):
        return False
    cjk = sum(ch > "\u2e80" for ch in t)
    letters = sum(ch.isalpha() for ch in t)
    if cjk:
        return 2 <= len(t) <= BLOCK_HEADING and cjk * 2 >= len(t)
    return len(t) <= 3 * BLOCK_HEADING and len(t.split()) <= 6 and letters * 2 >= len(t) and t[0].isupper()


def block_headings(hit: Hit) -> list[Span]:
    """Short blocks inside the chunk that read as headings of the blocks after them: no end mark,
    no colon, not a list item, and followed by at least one block of the chunk that is longer."""
    c = hit.chunk
    out: list[Span] = []
    for i, (a, b) in enumerate(c.spans[:-1]):
        text = c.text[a:b].strip()
        if not _heading_like(text):
            continue
        na, nb = c.spans[i + 1]
        if nb - na <= len(text):
            continue
        out.append(Span(hit, i, text, context=text, kind="heading", start=a, value=c.text[na : na + BLOCK_BODY]))
    return out


def _breaks_off(text: str, following: str) -> bool:
    """A CJK heading cut mid-phrase (no end mark) that the next CJK heading continues."""
    return not _END.search(text) and text[-1] > "\u2e80" and following[:1] > "\u2e80"


def title_spans(hits: list[Hit]) -> list[Span]:
    """Each document's title: its first heading, run on into the next one when it breaks off."""
    out: list[Span] = []
    by_doc: dict[str, list[Hit]] = {}
    for h in hits:
        if is_front(h):
            by_doc.setdefault(h.chunk.doc_id, []).append(h)
    for doc_hits in by_doc.values():
        doc_hits.sort(key=_chunk_no)
        heads: list[tuple[str, Hit]] = []
        for h in doc_hits:
            for t in h.chunk.heading_path:
                if all(t != x for x, _ in heads):
                    heads.append((t, h))
            if h.chunk.kind == "heading":
                t = h.chunk.text.split("\n")[-1]
                if all(t != x for x, _ in heads):
                    heads.append((t, h))
        if not heads:
            continue
        titles: list[tuple[str, Hit]] = []
        i = 0
        while i < len(heads):
            text, h = heads[i]
            while i + 1 < len(heads) and _breaks_off(text, heads[i + 1][0]):
                i += 1
                text += heads[i][0]
            titles.append((text, h))
            i += 1
        text, h = max(titles[:3], key=lambda t: len(t[0]))
        out.append(Span(h, 0, text, context=text, kind="front"))
    return out


def _blocks(hit: Hit) -> list[Span]:
    """The chunk's blocks whole (a name list "M. Walley, G. Sigthorsson" is not cut at "M.")."""
    c = hit.chunk
    return [Span(hit, i, c.text[a:b], start=a) for i, (a, b) in enumerate(c.spans) if c.text[a:b].strip()]


def author_spans(hit: Hit) -> list[Span]:
    """Author lines: a labelled one anywhere; a list of personal names in the front matter."""
    out: list[Span] = []
    for s in _blocks(hit):
        for m in _AUTHOR_LINE.finditer(s.text.strip()):
            label, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            out.append(Span(hit, s.block, m.group(0).strip(), context=label, kind="front", start=s.start,
                            value=value))
        if is_front(hit):
            parts = [p.strip() for p in re.split(r",|;| and ", s.text) if p.strip()]
            if len(parts) >= 1 and sum(bool(_PERSON.match(p)) for p in parts) >= max(1, 0.6 * len(parts)):
                # the title above a list of names says whose they are ("who wrote the AutoGen paper")
                above = hit.chunk.text[: s.start]
                out.append(Span(hit, s.block, s.text, context="author", kind="front", start=s.start, near=above))
    return out


def date_spans(hit: Hit) -> list[Span]:
    """Short lines of the front matter that are (mostly) a date."""
    if not is_front(hit):
        return []
    return [
        Span(hit, s.block, s.text, context="date", kind="front", start=s.start)
        for s in _blocks(hit)
        if len(s.text) <= DATE_LINE and has_type(s.text, AnswerType.DATE) and sum(ch.isdigit() for ch in s.text) >= 4
    ]
