"""Answer candidates (spans) of a retrieved chunk, and the sentences that follow across breaks.

A :class:`Span` is a piece of text that can answer: a sentence, a table cell, a "label: value"
field, a heading or a front-matter line. It keeps the block it is cited from and its *context*,
the text its question terms are looked up in (a cell's row and column headers, a field's label,
a section's heading path). :func:`sentence_spans` cuts a chunk's blocks into sentences; a
sentence that stops without an end mark (a line or block break inside it, as in an OCR'd or
column-wrapped paragraph) runs on into the next block, and a line that stops so inside a block that
keeps its line breaks (a line-numbered transcript) runs on into the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docrecon.qa.index import Hit
from docrecon.qa.text import sentences

#: marks that end a sentence or a clause a reader would stop at
_END = re.compile(r"[.!?;:。！？；：…)）\]」』”\"'%]$")
#: a block that starts a new item rather than continuing the previous one
_ITEM = re.compile(r"^\s*([-*•●○■□▪◆◇·]|\(?\d{1,3}[.)、](?!\d)|[A-Z][.)]\s|\||#)")
_COLON = re.compile(r"[:：]")
#: a span may run on over at most this many characters
MAX_RUN_ON = 400


@dataclass(frozen=True, slots=True)
class Span:
    hit: Hit
    #: index into the chunk's blocks (the cited block)
    block: int
    #: the answer text shown
    text: str
    #: the text the question's terms are matched against ("" = ``text``)
    context: str = ""
    #: "sentence", "cell", "row", "field", "heading" or "front"
    kind: str = "sentence"
    #: offset inside the chunk (document order)
    start: int = 0
    #: the value part that must carry the expected answer type ("" = ``text``)
    value: str = ""
    score: float = 0.0
    #: the text around a field (its block and the one before), which names what it belongs to
    near: str = ""

    def scored(self, score: float) -> Span:
        return Span(self.hit, self.block, self.text, self.context, self.kind, self.start, self.value, score, self.near)


def _runs_on(text: str) -> bool:
    """Whether a sentence stopped mid-way (no end mark) and is prose, not a label or a row."""
    t = text.rstrip()
    if not t or _END.search(t) or t.startswith("|") or _is_field(t):
        return False
    cjk = sum(c > "\u2e80" for c in t)
    return cjk >= 12 or len(t.split()) >= 4


def _continues(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and not _ITEM.match(t) and not _is_field(t)


def _is_field(text: str) -> bool:
    """A "label: value" line: a colon followed by a short value."""
    parts = _COLON.split(text)
    return len(parts) > 1 and len(parts[-1].strip()) < 24


_WRAP = re.compile(r"\s*\n\s*")


def _unwrap(text: str) -> str:
    """Line breaks inside a sentence as spaces (none between CJK characters)."""
    if "\n" not in text:
        return text
    return _WRAP.sub(lambda m: "" if text[m.start() - 1] > "\u2e80" and text[m.end()] > "\u2e80" else " ", text)


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of one block, a line that stops mid-sentence joined with the line that goes on
    with it (a block that keeps its line breaks: preformatted or line-numbered text such as a
    transcript; :data:`MAX_RUN_ON` at most)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            gap = text[pb:a]
            if (gap.count("\n") == 1 and not gap.strip() and b - pa <= MAX_RUN_ON
                    and _runs_on(text[pa:pb]) and _continues(text[a:b])):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def sentence_spans(hit: Hit) -> list[Span]:
    """The sentences of the chunk's blocks; one left open at a block's end runs on into the next."""
    c = hit.chunk
    out: list[Span] = []
    per_block = [_joined(c.text, [(s0 + a, s0 + b) for a, b in sentences(c.text[s0:s1])]) for s0, s1 in c.spans]
    skip_first: set[int] = set()
    for bi, spans in enumerate(per_block):
        for si, (start, end) in enumerate(spans):
            if si == 0 and bi in skip_first:
                continue
            text = _unwrap(c.text[start:end])
            if si == len(spans) - 1 and c.kind in ("text", "list", "heading") and _runs_on(text):
                nb = bi + 1
                while nb < len(per_block) and per_block[nb] and len(text) < MAX_RUN_ON:
                    a, b = per_block[nb][0]
                    nxt = _unwrap(c.text[a:b])
                    if not _continues(nxt):
                        break
                    text = text + ("" if text[-1] > "\u2e80" or nxt[0] > "\u2e80" else " ") + nxt
                    skip_first.add(nb)
                    if len(per_block[nb]) > 1 or not _runs_on(nxt):
                        break
                    nb += 1
            out.append(Span(hit, bi, text, kind="sentence", start=start))
    return out
