"""Key–value fields in running text: ``Label: value`` (forms, receipts, slides, cover pages).

Lines of forms are often merged into one block ("Report ID: X-1 Warehouse: East"), so a text is
split at every colon (ASCII or full-width): the words just before a colon are its label, the
text after it up to the next label is its value. A label is at most :data:`MAX_LABEL_WORDS`
words (Latin) or the run of CJK characters before the colon; the last word before the next
colon (with the capitalised words before it) is taken to be the next label, not the value.

:func:`label_value` reads a short line without a colon ("证券分析师倪正洋", "Departure 10:30
Gate B") as a field when it starts with words the question names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LABEL_WORDS = 4
MAX_VALUE = 160
_COLON = re.compile(r"\s*[:：]\s*")
_CJK_TAIL = re.compile(r"[\u3400-\u9fff（）()A-Za-z%/]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CAPITAL = re.compile(r"^([A-Z][a-z]+|[A-Z]{1,3}|#)$")
#: a colon inside a time (10:30), a URL (https://) or a ratio is not a field separator
_NOT_FIELD = re.compile(r"\d$|https?$|ftp$")


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str
    #: offset of the label inside the text
    start: int


def _cjk_tail(seg: str) -> re.Match[str] | None:
    m = _CJK_TAIL.search(seg)
    return m if m and _CJK.search(m.group()) else None


def _split_tail(segment: str) -> tuple[str, str]:
    """``(value, label)``: a middle segment is the previous value, then the next field's label.

    The label is the last word, with the capitalised words before it when the value ends in
    something else ("$4,287.50 Critical Items"); CJK: the run of CJK characters before the colon.
    """
    seg = segment.rstrip()
    m = _cjk_tail(seg)
    if m:
        return (seg[: m.start()].rstrip(), seg[m.start() :]) if m.start() > 0 else ("", seg)
    words = seg.split()
    if len(words) <= 1:
        return "", seg
    n = 1
    while n < min(MAX_LABEL_WORDS, len(words) - 1) and _CAPITAL.match(words[-n - 1]):
        n += 1
    if n > 1 and _CAPITAL.match(words[-n - 1]):
        n = 1  # the value is capitalised words too: only the last word is the label
    return " ".join(words[:-n]), " ".join(words[-n:])


def _label(segment: str) -> str:
    seg = segment.rstrip()
    m = _cjk_tail(seg)
    if m:
        return m.group()
    return " ".join(seg.split()[-MAX_LABEL_WORDS:])


def fields(text: str) -> list[Field]:
    """The ``label: value`` fields of ``text`` (empty values are left out)."""
    pieces: list[tuple[int, int]] = []  # (start, end) of each colon
    for m in _COLON.finditer(text):
        if _NOT_FIELD.search(text[: m.start()]) and m.end() < len(text) and text[m.end()].isdigit():
            continue
        if text[m.end() : m.end() + 2] == "//":
            continue
        pieces.append((m.start(), m.end()))
    out: list[Field] = []
    prev_end = 0
    for i, (c0, c1) in enumerate(pieces):
        label = _label(text[prev_end:c0]) if i == 0 else _split_tail(text[prev_end:c0])[1]
        nxt = pieces[i + 1][0] if i + 1 < len(pieces) else len(text)
        value = text[c1:nxt]
        if i + 1 < len(pieces):
            value = _split_tail(value)[0]
        value = re.split(r"[。；;]|\s{2,}", value.strip(), maxsplit=1)[0].strip()[:MAX_VALUE].rstrip("，,、 ")
        if label.strip() and value:
            out.append(Field(label.strip(), value, max(0, c0 - len(label))))
        prev_end = c1
    return out


_FIELD_COLON = re.compile(r"(?<!\d)[:：]|[:：](?!\d)")
#: a "label value" line without a colon is at most this long
MAX_LINE = 40


def label_value(text: str, terms: Sequence[str]) -> Field | None:
    """``text`` as a field when it is a short line (not a sentence: no end mark) that starts with
    some of ``terms`` (lower-cased, NFKC) and goes on with a value: the longest such start is the label."""
    line = unicodedata.normalize("NFKC", text).strip()
    if not line or len(line) > MAX_LINE or _FIELD_COLON.search(line) or line[-1] in ".。!?！？":
        return None
    low = line.lower()
    pos = 0
    ordered = sorted(set(terms), key=len, reverse=True)
    while pos < len(low):
        while pos < len(low) and low[pos] in " -–/":
            pos += 1
        step = next((len(t) for t in ordered if t and low.startswith(t, pos) and _boundary(low, pos + len(t), t)), 0)
        if not step:
            break
        pos += step
    value = line[pos:].strip(" -–:").lstrip(",，、 ")
    if pos == 0 or not value:
        return None
    return Field(line[:pos].strip(), value, 0)


def _boundary(text: str, end: int, term: str) -> bool:
    """A Latin term must end at a word boundary; a CJK one may run into the value."""
    return bool(_CJK.search(term)) or end >= len(text) or not text[end].isalnum()
