"""Extractive answers: the span of the retrieved passages that answers the question, cited.

The question is typed first (:mod:`docrecon.qa.question`: a name, a date, a number, a duration,
a section, a title ...). Every hit then offers candidate spans (:mod:`docrecon.qa.spans`):
its sentences (running on across line and block breaks), its ``label: value`` fields
(:mod:`docrecon.qa.keyvalue`), its table cells with their row and column headers
(:mod:`docrecon.qa.tables`), and for section, title, author and date questions its heading
path and the document's front matter (:mod:`docrecon.qa.front`). A span scores the idf-weighted
share of the question's content terms that its context holds (CJK terms are matched as
substrings, with variant characters folded, so the question's and the text's jieba cuts need not
agree), lowered when it lacks a value of the expected type, when it is a table cell or row and the
question names an attribute or a year its table lacks (:data:`ABSENT_ATTRIBUTE`), slightly
favouring short spans and better-ranked hits. The best span (or two short sentences) makes the
answer, each followed by ``[n]`` (``citations[n-1]``). Nothing is invented; below
:data:`MIN_SCORE` the answer says so and cites nothing, unless the best span is a typed sentence
naming everything the question names (:data:`TYPED_FLOOR`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docrecon.model import BBox
from docrecon.qa import front
from docrecon.qa.chunks import Chunk
from docrecon.qa.index import Hit, QaIndex
from docrecon.qa.keyvalue import Field, fields, label_value
from docrecon.qa.question import AnswerType, Question, answers_type, classify
from docrecon.qa.spans import Span, sentence_spans
from docrecon.qa.tables import PipeTable, cells, parse_pipe, row_text
from docrecon.qa.text import ABBREVIATIONS, STOPWORDS, latin_words
from docrecon.qa.variants import fold

NO_ANSWER_EN = "No answer found in the session's documents."
NO_ANSWER_ZH = "在会话的文档中没有找到答案。"
#: the best span must score at least this (share of the question's weighted terms, after factors)
MIN_SCORE = 0.32
#: a second sentence is added when it scores this share of the best and both stay short
KEEP_RATIO = 0.9
MAX_ANSWER = 200
#: a table of at most this many rows answers a question that names only a column from each row
MAX_UNNAMED_ROWS = 3
MAX_QUOTE = 300
#: a span without a value of the asked type keeps this share of its score
UNTYPED = 0.55
#: ... a span without a duration, for a "how long" question (its content words are often all in a
#: sentence that says what is done, not how long it takes: "Please complete all sections of the form")
UNTIMED = 0.3
#: a "label: value" field whose label says time ("Estimated time", "Duration", "所需时间") answers a
#: "how long does it take" question by its label, when anything of the question is around it (its
#: block or the one before: the form's title): its term share counts from this up
TIMED_FIELD = 0.5
_TIME_LABEL = re.compile(r"\b(time|duration|length|period)\b|时间|时长|用时|期限", re.IGNORECASE)
#: ... and one without a postal code's shape, for a postal code question (the question's words are
#: only the place: "Orders shipped to Camden arrive within 3 days" holds them all)
NO_POSTAL_CODE = 0.25
#: ... a field or cell whose value is already in the question
ECHO = 0.5
#: ... and one that does not name what a "how many X" question counts
UNCOUNTED = 0.6
#: ... one that lacks a number or code the question names ("2025", "Q1", "SKU-7728")
MISSING_ID = 0.5
#: a sentence that opens with a pronoun ("She was ...", "其...") takes this share of the terms of
#: the sentence before it (which names who "she" is)
NEAR_SENTENCE = 0.7
#: a sentence that holds a value of the asked type (a date, a number) takes this share of the terms
#: of the text before it in its chunk, up to :data:`LEAD_CHARS` characters: the lines of a
#: transcript or a form that name what the value belongs to ("MICHAEL A. KNOWLES ... v. ...
#: ALEXANDRE MIRZAYANCE" three lines above "Tuesday, January 13, 2009")
LEAD = 0.5
LEAD_CHARS = 300
_PRONOUN = re.compile(r"^[\"'“‘(]*(he|she|it|they|his|her|its|their|this|these|those|such)\b|^[他她它其该此]",
                      re.IGNORECASE)
#: ... a cell or field whose column only the asked type names ("Subscription Date" for "date of
#: birth") while the question names something the span does not hold
UNNAMED_COLUMN = 0.5
#: ... a table cell or row when the question names something its document's retrieved passages
#: never mention ("name in Spanish" of a table with German, French and Italian columns; "职业" of a
#: table of names, ages and addresses), or a number or code its table does not hold ("2019" of a
#: table of 2020-2024): the table has no such column or row, so none of its cells answers
ABSENT_ATTRIBUTE = 0.35
#: a sentence below :data:`MIN_SCORE` (down to this) still answers when it holds a value of the asked
#: type, every thing the question names (:attr:`Question.named`: "Anna Pavlovna") and every number
#: or code it names: the question's other words ("scene", "reception") only restate what is asked
TYPED_FLOOR = 0.16
#: a sentence that names none of the words of a person the question names ("Jim Bainbridge"), neither in
#: itself nor in its paragraph before it (or, first in its paragraph, the text it takes terms from: the
#: sentence before a pronoun, the lines above a typed value): it is about someone else ("he worked in
#: the ITSO for nine years" in Hernando Bedoya's paragraph)
OTHER_PERSON = 0.35
#: a sentence, or a "label: value" field whose label is no author label ("Prepared by", "编写"), for a
#: who-wrote question (author lines and name lists under a title answer it)
NOT_AUTHOR = 0.6
#: a sentence that defines what a "what is X" question asks ("X is a ...", "X是...") scores x1.25
DEFINES = 1.25
_DEFINING = re.compile(r"^(?:the\s+|an?\s+)?(.+?)(?:\s+(?:is|are|was|were|refers\s+to|means)\b|\s*(?:是|指))")
#: a section answer from a short block inside a chunk (not from the chunk's heading path)
IN_BLOCK_HEADING = 0.9
_TYPE_WORDS = frozenset(
    """date dates day time year number amount total value count price cost duration 日期 时间 数量 金额 数值""".split()
)
#: spans this close to the best (share of its score) are a tie: the first in reading order wins
TIE = 0.99
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
#: marks a sentence's ``near`` text taken from before it in its chunk (see :data:`LEAD`)
_LEAD_MARK = "\x00"
#: an abbreviated label ("Desc:", "Qty:", "Dept.") that a longer question word starts with
_ABBREV = re.compile(r"\b([A-Za-z]{3,})[:：]|\b([A-Z][a-z]{2,4})\.")
#: an abbreviated label word written with a period or colon ("No. 07-1315", "Qty: 4") holds the word
_SHORT_FOR = {a: w for w, abbrevs in ABBREVIATIONS.items() for a in abbrevs}
_SHORT_LABEL = re.compile(rf"\b({'|'.join(sorted(_SHORT_FOR))})\s*[.:：]", re.IGNORECASE)
#: a table row that totals the others
_TOTAL_ROW = re.compile(r"^(totals?|sum|grand total|合计|总计|总额|小计)\b", re.IGNORECASE)
_NUM_SUFFIX = re.compile(r"(\d+)[a-z]{1,2}")
_VALUE_TYPES = (AnswerType.DATE, AnswerType.NUMBER, AnswerType.DURATION, AnswerType.NAME, AnswerType.AUTHOR)

@dataclass(frozen=True, slots=True)
class Citation:
    doc_id: str
    name: str
    #: 1-based page number
    page: int
    bbox: BBox
    block_id: str
    quote: str


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    #: ``[n]`` in ``text`` refers to ``citations[n-1]``
    citations: list[Citation] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)
    #: the spans the answer was made of (also given to an LLM as context)
    spans: list[Span] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.citations)


def no_answer_text(question: str) -> str:
    return NO_ANSWER_ZH if _HAS_CJK.search(question) else NO_ANSWER_EN


def _stem(token: str) -> str:
    """A light English stemmer: plural, -ed and -ing endings, then a final e
    ("licences" and "licence", "served" and "serves", "duties" and "duty" meet)."""
    if not token.isascii() or len(token) <= 4:
        return token
    if token.endswith("ies") and len(token) > 5:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    elif token.endswith("ed") and len(token) > 5:
        token = token[:-2]
    elif token.endswith("ing") and len(token) > 6:
        token = token[:-3]
    return token[:-1] if token.endswith("e") and len(token) > 4 else token


def _terms(text: str) -> set[str]:
    """Stemmed Latin words and numbers of ``text`` (CJK is matched as substrings: no jieba here)."""
    out = set()
    for t in latin_words(text):
        out.add(_stem(t))
        if t[0].isdigit() and t[-1].isalpha():
            m = _NUM_SUFFIX.fullmatch(t)  # "2023e" also matches "2023"
            if m:
                out.add(m.group(1))
    return out


def _norm(text: str) -> str:
    """NFKC, lower case, no white space, variant CJK characters folded (年齢 and 年龄 meet)."""
    return "".join(fold(text).lower().split())


@dataclass(slots=True)
class _Context:
    terms: set[str]
    flat: str
    #: abbreviated labels ("desc" of "Product Desc:")
    abbrevs: tuple[str, ...] = ()

    def holds(self, term: str) -> bool:
        if _HAS_CJK.search(term):
            return _fold_term(term) in self.flat
        if term in self.terms:
            return True
        if any(t in self.terms for t in _SAME.get(term, ())):
            return True
        return any(len(term) > len(a) + 1 and term.startswith(a) for a in self.abbrevs)


#: a question's verb and the words a document says it with ("when was it founded" / "established in",
#: "how much did it cost" / "price", "when does it start" / "begins"): each word of a group holds the
#: others (stemmed as :func:`_stem` has them)
SAME_MEANING: tuple[tuple[str, ...], ...] = (
    ("founded", "established", "establishment"),
    ("start", "starts", "begin", "begins", "began", "begun", "commence", "commences", "commenced"),
    ("finish", "finishes", "finished", "end", "ends", "ended"),
    ("buy", "buys", "bought", "purchase", "purchased"),
    ("cost", "costs", "price", "priced"),
    ("pay", "pays", "paid", "payment"),
    ("hire", "hired", "employ", "employed", "recruited"),
)


def _same_meaning() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for group in SAME_MEANING:
        stems = {_stem(w) for w in group}
        for t in stems:
            out.setdefault(t, set()).update(stems - {t})
    return {t: tuple(sorted(v)) for t, v in out.items()}


_SAME = _same_meaning()


@functools.lru_cache(maxsize=4096)
def _fold_term(term: str) -> str:
    return fold(term)


@functools.lru_cache(maxsize=65536)
def _ctx(text: str) -> _Context:
    abbrevs = tuple(dict.fromkeys((m.group(1) or m.group(2)).lower() for m in _ABBREV.finditer(text)))
    terms = _terms(text)
    terms.update(_stem(_SHORT_FOR[m.group(1).lower()]) for m in _SHORT_LABEL.finditer(text))
    return _Context(terms, _norm(text), abbrevs)


def search(index: QaIndex, question: str, doc_ids: Sequence[str], k: int = 5) -> list[Hit]:
    """The passages to answer ``question`` from: BM25 hits, plus front matter for title/author/date questions
    and the first chunk of a hit's section for section questions.

    ``docrecon ask`` and the chat API both retrieve through this, so both answer the same.
    """
    hits = index.search(question, doc_ids, k=k)
    q = classify(question)
    return front.section_starts(index, q, front.front_chunks(index, q, hits, list(doc_ids)))


def _holds_any(terms: Sequence[str], text: str) -> bool:
    cx = _ctx(text)
    return any(cx.holds(t) for t in terms)


def _table_spans(hit: Hit, question: Question) -> list[Span]:
    """The rows of a table chunk that ``question`` names, and their cells in the columns it names
    (all columns of a two-column, label-value table)."""
    c = hit.chunk
    table = parse_pipe(c.text)
    if table is None:
        return []
    terms = [_stem(t) for t in question.terms]
    named_cols = {i for head in table.all_headers() for i, h in enumerate(head) if h and _holds_any(terms, h)}
    named_rows = {r for r, row in enumerate(table.rows) if _holds_any(terms, " ".join(row))}
    if named_cols and not named_rows:  # only a column is named: the table's only rows, or its total
        few = len(table.rows) <= MAX_UNNAMED_ROWS
        named_rows = {r for r, row in enumerate(table.rows) if few or _TOTAL_ROW.match(row[0].strip("*_ "))}
    block = len(c.spans) - 1  # captions come first, the table block last
    grid = _grid_fields(hit, table, block)
    if grid:  # a form: its header row and columns are labels and values, not column headers
        return grid
    out: list[Span] = []
    for r, row in enumerate(table.rows):  # a row of one cell spanning the table may hold fields
        if row[0] and not any(row[1:]):
            for f in fields(row[0]):
                out.append(Span(hit, block, f"{f.label}: {f.value}", context=f"{f.label}:", kind="field", start=r,
                                value=f.value, near=table.caption))
    for r in sorted(named_rows):
        text = row_text(table, r)
        if text:
            out.append(Span(hit, block, text, context=text, kind="row", start=r))
    for r in sorted(named_rows):  # a question column ("What is ...?"): the answer is the cell after it
        row = table.rows[r]
        for i, asked in enumerate(row[:-1]):
            if asked.rstrip()[-1:] in ("?", "？") and row[i + 1] and _holds_any(terms, asked):
                head = table.head(r)[i + 1]
                out.append(Span(hit, block, f"{asked} {row[i + 1]}", context=f"{asked} {head}",
                                kind="cell", start=r, value=f"{head}\n{row[i + 1]}"))
    cols = named_cols if len(table.header) > 2 else None
    for cell in cells(table, named_rows, cols):
        context = f"{cell.row_text} {cell.header}"
        out.append(Span(hit, block, row_text(table, cell.row, cell.col), context=context, kind="cell",
                        start=cell.row, value=f"{cell.header}\n{cell.value}"))
    return out


def _grid_fields(hit: Hit, table: PipeTable, block: int) -> list[Span]:
    """A form laid out as a table ("| Cinema: | Downtown Multiplex |"): each cell that ends in a
    colon, and the value in the cell after it, is a field (when such pairs make at least a third
    of the table's filled cells)."""
    out: list[Span] = []
    for r, row in enumerate([table.header, *table.rows]):
        for i, cell in enumerate(row[:-1]):
            value = row[i + 1].strip()
            if len(cell) > 1 and cell.rstrip()[-1] in ":：" and value and value[-1] not in ":：":
                label = cell.rstrip(" :：")
                out.append(Span(hit, block, f"{label}: {value}", context=cell, kind="field", start=r, value=value,
                                near=table.caption))
    filled = sum(bool(c) for row in [table.header, *table.rows] for c in row)
    return out if len(out) >= 2 and 3 * len(out) >= filled / 2 else []


def _label_line(c: Chunk, s: Span, terms: Sequence[str]) -> Field | None:
    """A block that is only a label the question names ("研究助理", "Prepared by") with its value
    alone in the next block ("杨云逍"): a field (its offset is that of the value block)."""
    a, b = c.spans[s.block]
    if s.block + 1 >= len(c.spans) or c.text[a:b].strip() != s.text.strip():
        return None
    na, nb = c.spans[s.block + 1]
    f = label_value(f"{s.text} {c.text[na:nb]}", terms)
    if f is None or _norm(f.label) != _norm(s.text):
        return None
    return Field(f.label, f.value, na - s.start)


def candidate_spans(question: Question, hits: Sequence[Hit]) -> list[Span]:
    """Every candidate span of the hits for ``question`` (see the module docstring)."""
    out: list[Span] = []
    for hit in hits:
        c = hit.chunk
        if c.kind == "table":
            out.extend(_table_spans(hit, question))
        else:
            prev = ""
            for s in sentence_spans(hit):
                near = prev if _PRONOUN.match(s.text) else ""
                if not near and question.type in _VALUE_TYPES and answers_type(question, s.text):
                    a = c.spans[0][0] if c.spans else 0
                    near = _LEAD_MARK + c.text[max(a, s.start - LEAD_CHARS) : s.start]
                out.append(Span(hit, s.block, s.text, kind="sentence", start=s.start, near=near))
                prev = s.text
                if question.type is AnswerType.TITLE:
                    continue  # a title is a heading, not a "label: value" field
                found = fields(s.text)
                line = label_value(s.text, question.terms) if not found else None
                if not found and not line:
                    line = _label_line(c, s, question.terms)
                near = " ".join(c.text[a:b] for a, b in c.spans[max(0, s.block - 1) : s.block + 1])
                for f in [*found, *([line] if line else [])]:
                    out.append(Span(hit, s.block, f"{f.label}: {f.value}", context=f"{f.label}:", kind="field",
                                    start=s.start + f.start, value=f.value, near=near))
        for head in c.heading_path:  # a "Label: value" line taken for a heading
            for f in fields(head):
                out.append(Span(hit, 0, f"{f.label}: {f.value}", context=f.label, kind="field", value=f.value))
        if question.type is AnswerType.SECTION:
            out.extend(front.section_spans(hit))
        if question.type is AnswerType.AUTHOR or question.type is AnswerType.NAME and front.about_document(question):
            out.extend(front.author_spans(hit))
        elif question.type is AnswerType.NAME:  # a list of names under the title says who wrote it, not who did what
            out.extend(s for s in front.author_spans(hit) if s.context != "author")
        if question.type is AnswerType.DATE:
            out.extend(front.date_spans(hit))
    if question.type is AnswerType.TITLE:
        out.extend(front.title_spans(list(hits)))
    return out


def _defining(x: str, sentence: str) -> bool:
    """Whether ``sentence`` opens by saying what ``x`` is ("X is ...", "An X is ...", "X是...")."""
    m = _DEFINING.match(fold(sentence).lower().lstrip("-•*● "))
    return m is not None and _norm(m.group(1)) == _norm(x)


def _precision(question: Question, heading: str) -> float:
    """0.85-1: the share of a heading's own words that the question names ("2.2 Separation of
    duties" over "Implement roles and separation of duties" for "which section covers separation of duties")."""
    words = [_stem(w) for w in latin_words(heading) if not w.isdigit() and w not in STOPWORDS]
    if not words:
        return 1.0
    terms = {_stem(t) for t in question.terms}
    return 0.85 + 0.15 * sum(w in terms for w in words) / len(words)


def _factor(question: Question, s: Span) -> float:
    kind = question.type
    f = 1.0
    value = s.value.split("\n")[-1] if s.kind == "cell" else (s.value or s.text)
    if kind in _VALUE_TYPES and s.kind != "heading" and not answers_type(question, value):
        f *= NO_POSTAL_CODE if question.postal else UNTIMED if kind is AnswerType.DURATION else UNTYPED
    if kind is AnswerType.SECTION:
        f *= _precision(question, s.context) if s.kind == "heading" else 0.6
        if s.kind == "heading" and s.start > 0:
            f *= IN_BLOCK_HEADING  # a plain block that reads as a heading: less sure than a heading
    elif s.kind == "heading":
        f *= 0.5
    if kind is AnswerType.AUTHOR and (s.kind == "sentence" or s.kind == "field"
                                      and not front.AUTHOR_LABEL.search(s.context)):
        f *= NOT_AUTHOR  # "AutoGen: Enabling ..." is a title and "Using Orion, ..." a sentence, not who wrote it
    if question.defines and s.kind == "sentence" and _defining(question.defines, s.text):
        f *= DEFINES  # "AutoGen is an open-source framework ..." for "What is AutoGen?"
    if kind is AnswerType.TITLE and s.kind == "sentence" and s.hit.chunk.kind == "heading":
        f *= 1.15  # a title question is answered by a heading
    echo = s.kind not in ("heading", "front") and _norm(value) and _norm(value) in _norm(question.text)
    if echo:
        f *= ECHO  # it only repeats the question ("研究助理杨云逍" for "研究助理杨云逍的邮箱是什么")
    elif s.kind in ("field", "cell"):
        f *= 1.08
    elif s.kind == "row":
        f *= 0.95
    if s.kind != "cell":  # the cells of one row share its text: the leftmost asked column wins ties
        f *= 1.0 - min(0.25, len(s.text) / 1200)
    if s.kind != "front":
        # front matter added to the hits (score 0) ranks like a good hit
        f *= 0.96 if s.hit.score == 0.0 else 1.0 - 0.04 * min(10, s.hit.rank - 1)
    return f


def _front_coverage(question: Question, s: Span, cover: float) -> float:
    """Front-matter lines answer questions about the document itself (no other content words);
    of several documents' front matter, that in the question's language is preferred."""
    doc_level = all(t in front.DOC_WORDS for t in question.terms)
    if s.context == "date":
        cover = max(cover, 0.75) if doc_level else 0.8 * cover
    elif s.context == "author" or s.kind == "front" and question.type is AnswerType.TITLE:
        cover = max(cover, 0.75 if doc_level else 0.5 + 0.5 * cover)
    elif s.kind == "front" and front.AUTHOR_LABEL.search(s.context):
        cover = max(cover, 0.6 + 0.4 * cover)
    if s.kind == "front" and bool(_HAS_CJK.search(question.text)) != bool(_HAS_CJK.search(s.text)):
        cover *= 0.9
    return cover


def _surroundings(hit: Hit) -> str:
    """A chunk's heading path and, for a table, its caption lines (they count half for a cell)."""
    c = hit.chunk
    head = " ".join(c.heading_path)
    if c.kind != "table":
        return head
    lines = c.text.split("\n")[1 if c.heading_path else 0 :]
    return " ".join([head, *(x for x in lines if not x.startswith("|"))])


def _weight(term: str, n: int, df: int) -> float:
    """idf over the candidates; a lone character (a CJK particle, a digit) counts half."""
    w = math.log(1 + (n + 1) / (0.5 + df))
    return w * 0.5 if len(term) == 1 else w


def score_spans(question: Question | str, candidates: list[Span]) -> list[Span]:
    """Candidates with ``score`` set (see the module docstring), best first; zero scores dropped."""
    q = classify(question) if isinstance(question, str) else question
    terms = [_stem(t) for t in q.terms]
    if not terms or not candidates:
        return []
    contexts = [_ctx(s.context or s.text) for s in candidates]
    hits = {id(s.hit): s.hit for s in candidates}
    paths = {k: _ctx(_surroundings(h)) for k, h in hits.items()}
    with_body = {id(s.hit) for s in candidates if s.kind in ("heading", "front", "field")}
    deepest = {id(s) for s in candidates if s.kind != "heading" or s.value}
    bodies = {k: _ctx(hits[k].chunk.text) for k in with_body}
    n = len(candidates)
    weight = {t: _weight(t, n, sum(cx.holds(t) for cx in contexts)) for t in dict.fromkeys(terms)}
    total = sum(weight.values())
    focus = _stem(q.focus) if q.focus else ""
    ids = [t for t in weight if not _HAS_CJK.search(t) and any(ch.isdigit() for ch in t)]
    doc_texts: dict[str, list[_Context]] = {}
    for h in hits.values():
        doc_texts.setdefault(h.chunk.doc_id, []).append(_ctx(h.chunk.text))
    scored: list[Span] = []
    for s, cx in zip(candidates, contexts, strict=True):
        held = 0.0
        by_label = _label_held(s, weight)
        for t, w in weight.items():
            if cx.holds(t) or t in by_label:
                held += w
            elif s.kind in ("field", "cell", "row") and paths[id(s.hit)].holds(t):
                held += 0.5 * w
            elif s.near and _ctx(s.near).holds(t):
                held += (LEAD if s.near[0] == _LEAD_MARK else NEAR_SENTENCE if s.kind == "sentence" else 0.6) * w
            elif s.kind == "field" and bodies[id(s.hit)].holds(t):
                held += 0.3 * w
            elif s.kind in ("heading", "front") and id(s) in deepest and bodies[id(s.hit)].holds(t):
                held += 0.7 * w
        cover = _front_coverage(q, s, held / total)
        if cover > 0 and q.type is AnswerType.DURATION and s.kind == "field" and _TIME_LABEL.search(s.context):
            cover = TIMED_FIELD + (1 - TIMED_FIELD) * cover  # "Estimated time: 15 minutes" is what "how long" asks
        score = cover * _factor(q, s)
        if focus and not cx.holds(focus) and not paths[id(s.hit)].holds(focus):
            score *= UNCOUNTED
        if any(not cx.holds(t) and not paths[id(s.hit)].holds(t) for t in ids):
            score *= MISSING_ID
        if s.kind == "sentence" and q.persons and _other_person(q, s, cx, paths[id(s.hit)]):
            score *= OTHER_PERSON
        if s.kind in ("cell", "field", "row") and _type_named_only(s, weight, cx, paths[id(s.hit)]):
            score *= UNNAMED_COLUMN
            doc = doc_texts[s.hit.chunk.doc_id]
            if any(t not in ids and len(t) >= 3 and not any(d.holds(t) for d in doc) for t in weight):
                score *= ABSENT_ATTRIBUTE  # "birth" of "date of birth" is nowhere in the document
        if s.kind in ("cell", "row") and _absent_attribute(s, q, ids, doc_texts[s.hit.chunk.doc_id]):
            score *= ABSENT_ATTRIBUTE
        if score > 0:
            scored.append(s.scored(score))
    return sorted(scored, key=lambda s: -s.score)


def _other_person(question: Question, s: Span, cx: _Context, path: _Context) -> bool:
    """Whether a sentence holds no word of a person the question names, nor does the text that says
    who it is about: its paragraph before it (a pronoun's person is named there: "Ana Ruiz is ...
    she worked ..."), or for a paragraph's first sentence the text it takes terms from, or its
    chunk's heading path (a section named after the person)."""
    c = s.hit.chunk
    a = c.spans[s.block][0] if s.block < len(c.spans) else s.start
    before = c.text[a : s.start] if s.start > a else s.near
    around = _ctx(before)
    return any(not any(cx.holds(_stem(w)) or around.holds(_stem(w)) or path.holds(_stem(w)) for w in name)
               for name in question.persons)


def _label_held(s: Span, weight: dict[str, float]) -> set[str]:
    """CJK question terms a field's label or a cell's column header answers although the text does
    not hold them: a question word that contains the label ("邮箱地址" for the label "邮箱", at least
    half of it), and the shorter terms inside that word (jieba's parts of it, "地址")."""
    if s.kind == "field":
        label = s.context
    elif s.kind == "cell":
        label = s.value.split("\n")[0]
    else:
        return set()
    label = _norm(label).rstrip(":：")
    if len(label) < 2 or not _HAS_CJK.search(label) or not all(ch > "\u2e80" for ch in label):
        return set()
    words = [t for t in weight if _HAS_CJK.search(t) and label in _fold_term(t) and 2 * len(label) >= len(t)]
    return {t for t in weight for w in words if _fold_term(t) in _fold_term(w)}


def _absent_attribute(s: Span, question: Question, ids: list[str], doc: list[_Context]) -> bool:
    """Whether the question names a number or code that the span's table chunk does not hold, or a
    thing or attribute (:attr:`Question.named`: "Spanish", "职业") that none of the retrieved chunks of
    its document mentions: the table has no row or column for it (see :data:`ABSENT_ATTRIBUTE`)."""
    table = _ctx(s.hit.chunk.text)
    if any(not table.holds(t) for t in ids):
        return True
    return any(not any(d.holds(_stem(t)) for d in doc) for t in question.named)


@functools.lru_cache(maxsize=4096)
def _header_text(table_text: str) -> str:
    table = parse_pipe(table_text)
    return " ".join(h for head in table.all_headers() for h in head) if table else ""


def _type_named_only(s: Span, weight: dict[str, float], cx: _Context, path: _Context) -> bool:
    """Whether only type words ("date", "amount") of the question name the span's column or
    label, and some other term of the question is held nowhere around it."""
    if s.kind == "row":
        label = _ctx(_header_text(s.hit.chunk.text))
    else:
        label = _ctx(s.value.split("\n")[0] if s.kind == "cell" else s.context)
    named = [t for t in weight if label.holds(t)]
    if not named or any(t not in _TYPE_WORDS for t in named):
        return False
    return any(not cx.holds(t) and not path.holds(t) for t in weight)


def citation_for(s: Span) -> Citation:
    c = s.hit.chunk
    page, bbox = c.boxes[s.block]
    quote = s.text if len(s.text) <= MAX_QUOTE else s.text[:MAX_QUOTE].rstrip() + "…"
    return Citation(c.doc_id, c.name, page, bbox, c.block_ids[s.block], quote)


def _typed_and_named(question: Question, s: Span) -> bool:
    """Whether ``s`` answers below the threshold (see :data:`TYPED_FLOOR`)."""
    if s.score < TYPED_FLOOR or s.kind != "sentence" or question.type not in _VALUE_TYPES or not question.named:
        return False
    if not answers_type(question, s.text):
        return False
    cx, near = _ctx(s.text), _ctx(s.near)
    if question.persons and _other_person(question, s, cx, _ctx(_surroundings(s.hit))):
        return False  # about someone else, whatever the lines above it name
    terms = [_stem(t) for t in question.terms]
    ids = [t for t in terms if not _HAS_CJK.search(t) and any(ch.isdigit() for ch in t)]
    return all(cx.holds(_stem(t)) or near.holds(_stem(t)) for t in question.named) and all(cx.holds(t) for t in ids)


def choose(question: Question, ranked: list[Span]) -> list[Span]:
    """The spans that make the answer: the best, and a second short sentence for open questions."""
    if not ranked or ranked[0].score < MIN_SCORE and not _typed_and_named(question, ranked[0]):
        return []
    best = ranked[0]
    if best.kind == "sentence":  # a tie: the first in reading order (the second often adds "also")
        ties = [s for s in ranked[1:6] if s.score >= best.score * TIE and s.kind == "sentence" and s.hit is best.hit]
        best = min([best, *ties], key=lambda s: s.start)
    chosen = [best]
    if question.type is AnswerType.OTHER and best.kind == "sentence":
        seen = {_norm(best.text)}
        for s in ranked[1:6]:
            if s.score < best.score * KEEP_RATIO:
                break
            if s.kind == "sentence" and _norm(s.text) not in seen and _norm(s.text) not in _norm(best.text):
                if len(best.text) + len(s.text) <= MAX_ANSWER:
                    chosen.append(s)
                break
    chosen.sort(key=lambda s: (s.hit.rank, s.start))
    return chosen


_CLAUSE = re.compile(r"(?<=[,;，；、])\s*")
#: a sentence longer than this is cut to its clauses around the answer (typed questions)
CONCISE = 190


def concise(question: Question, s: Span) -> str:
    """``s.text``, or for a long row its label and the cells that hold question terms (or a value of
    the asked type), or for a typed question and a long sentence, the clauses (words, when it has
    no clauses) around the typed value that hold the most question terms (the citation keeps the
    whole sentence)."""
    terms = [_stem(t) for t in question.terms]

    def gain(c: str) -> float:
        cx = _ctx(c)
        typed = question.type in _VALUE_TYPES and answers_type(question, c)
        return sum(cx.holds(t) for t in terms) + (2.0 if typed else 0.0)

    if s.kind == "row" and len(s.text) > CONCISE and " — " in s.text:
        label, rest = s.text.split(" — ", 1)
        kept = [c for c in rest.split("; ") if gain(c) > 0]
        return f"{label} — {'; '.join(kept)}" if kept else s.text
    if s.kind != "sentence" or len(s.text) <= CONCISE or question.type not in _VALUE_TYPES:
        return s.text
    clauses = [c for c in _CLAUSE.split(s.text) if c]
    joiner = "" if _HAS_CJK.search(s.text) else " "
    if len(clauses) == 1:
        clauses, joiner = s.text.split(), " "
    best = max(range(len(clauses)), key=lambda i: (gain(clauses[i]), -i))
    lo = hi = best
    while True:
        options = [j for j in (lo - 1, hi + 1) if 0 <= j < len(clauses)]
        options = [j for j in options if len(joiner.join(clauses[min(lo, j) : max(hi, j) + 1])) <= CONCISE]
        if not options:
            break
        j = max(options, key=lambda j: (gain(clauses[j]), j))  # a tie: the one after (values follow labels)
        lo, hi = min(lo, j), max(hi, j)
    text = joiner.join(clauses[lo : hi + 1])
    return ("… " if lo > 0 else "") + text.rstrip(",;，；、 ") + (" …" if hi < len(clauses) - 1 else "")


def extractive_answer(question: str, hits: Sequence[Hit], max_sentences: int = 2) -> Answer:
    """The answering span(s) of ``hits``, each cited; or a clear "no answer" without citations."""
    passages = list(hits)
    q = classify(question)
    ranked = score_spans(q, candidate_spans(q, passages))
    chosen = [front.section_start(s, passages) for s in choose(q, ranked)[:max_sentences]]
    if not chosen:
        return Answer(no_answer_text(question), [], passages)
    citations: list[Citation] = []
    index: dict[tuple[str, int], int] = {}
    parts: list[str] = []
    for s in chosen:
        key = (s.hit.chunk.chunk_id, s.block)
        if key not in index:
            citations.append(citation_for(s))
            index[key] = len(citations)
        text = concise(q, s)
        space = "" if text[-1] > "\u2e80" else " "
        parts.append(f"{text}{space}[{index[key]}]")
    sep = "" if _HAS_CJK.search(question) else " "
    return Answer(sep.join(parts), citations, passages, chosen)
