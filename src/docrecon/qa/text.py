"""Tokens and sentences for Chinese and Latin text: one tokenizer for the index and the query.

CJK runs are cut by jieba in search mode (words plus their shorter parts, so ``营业收入`` also
matches ``收入``); Latin and digits become lower-cased words. jieba loads its dictionary (shipped in
its wheel) once, lazily, on the first CJK text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
#: sentence ends: CJK marks (no space after), Latin marks before white space, and line breaks
_SENTENCE_END = re.compile(r"[。！？；!?]+[”」』)）]?|(?<=[.])\s+(?=\S)|\n+")

#: query words that carry no meaning of their own (the index keeps them)
STOPWORDS = frozenset(
    """a an and are as at be by can do does did for from has have how i in is it its me my of on or
    that the their there these this those to was were what when where which who whom whose why will
    with would you your about tell give show list please much many
    的 了 是 在 和 与 及 或 吗 呢 吧 啊 么 什么 哪些 哪个 哪 多少 怎么 怎样 如何 为什么 请 请问 一下 有 有没有
    是否 谁 几 个 中 对 为 被 把 将 从 这 那 这个 那个 这些 那些 其 之 也 都 就 并 等""".split()
)

_lock = threading.Lock()
_cut: Callable[[str], Iterator[str]] | None = None
_tag: Callable[[str], Iterator[tuple[str, str]]] | None = None


def _jieba() -> Callable[[str], Iterator[str]]:
    global _cut
    if _cut is None:
        with _lock:
            if _cut is None:
                import logging

                try:
                    import jieba
                except ImportError:  # the "qa" extra is not installed: characters and their pairs
                    _cut = _ngrams
                else:
                    jieba.setLogLevel(logging.WARNING)
                    jieba.initialize()
                    _cut = jieba.cut_for_search
    return _cut


def _no_tags(run: str) -> Iterator[tuple[str, str]]:
    return iter(())


def _tagger() -> Callable[[str], Iterator[tuple[str, str]]]:
    global _tag
    if _tag is None:
        _jieba()
        with _lock:
            if _tag is None:
                try:
                    import jieba.posseg
                except ImportError:  # no jieba: no nouns are known
                    _tag = _no_tags
                else:
                    _tag = lambda run: ((p.word, p.flag) for p in jieba.posseg.cut(run))  # noqa: E731
    return _tag


def cjk_nouns(text: str) -> list[str]:
    """The CJK nouns of ``text`` (jieba's part-of-speech tags ``n...``), two characters or more."""
    out: list[str] = []
    for m in _RUN.finditer(unicodedata.normalize("NFKC", text)):
        if m.group(1) and len(m.group(1)) >= 2:
            out.extend(w for w, flag in _tagger()(m.group(1)) if flag.startswith("n") and len(w) >= 2)
    return out


def _ngrams(run: str) -> Iterator[str]:
    yield from run
    yield from (run[i : i + 2] for i in range(len(run) - 1))


def tokenize(text: str) -> list[str]:
    """Lower-cased words (NFKC: full-width letters and digits fold): jieba for CJK runs, word characters else."""
    out: list[str] = []
    for m in _RUN.finditer(unicodedata.normalize("NFKC", text)):
        cjk, word = m.group(1), m.group(2)
        if word:
            out.append(word.lower())
        elif len(cjk) == 1:
            out.append(cjk)
        else:
            out.extend(t for t in _jieba()(cjk) if t.strip())
    return out


def latin_words(text: str) -> list[str]:
    """The lower-cased non-CJK words of ``text`` (as :func:`tokenize` has them, without jieba)."""
    return [m.group(2).lower() for m in _RUN.finditer(unicodedata.normalize("NFKC", text)) if m.group(2)]


#: label words and the abbreviations forms write for them ("No. 07-1315" for a docket number)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "number": ("no", "nr"), "quantity": ("qty",), "amount": ("amt",), "telephone": ("tel",), "phone": ("tel",),
    "reference": ("ref",), "account": ("acct",), "address": ("addr",), "department": ("dept",),
    "description": ("desc",),
}


def with_abbreviations(terms: list[str]) -> list[str]:
    """``terms`` and the abbreviations of the label words among them (for retrieval)."""
    extra = [a for t in terms for a in ABBREVIATIONS.get(t, ()) if a not in terms]
    return terms + list(dict.fromkeys(extra))


def query_terms(text: str) -> list[str]:
    """The distinct meaningful tokens of a question, in order (stop words dropped unless nothing is left)."""
    tokens = list(dict.fromkeys(tokenize(text)))
    kept = [t for t in tokens if t not in STOPWORDS]
    return kept or tokens


#: a period after these is not a sentence end ("M. Walley", "Mr. Smith", "No. 07-1315", "e.g. this")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|St|No|Nos|Fig|Figs|vs|etc|e\.g|i\.e|Inc|Ltd|Co|Jr|Sr|Esq|ESQ|U\.S)\.$"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text`` (ends on 。！？； . ! ? and line breaks;
    not on the period of an initial or a common abbreviation, nor on a Latin semicolon)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().strip() == "" and "\n" not in m.group() and _ABBREVIATION.search(text[start : m.start()]):
            continue
        end = m.end() if m.group().strip() else m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(c.isalnum() for c in text[start:end]):
        spans.append((start, end))
