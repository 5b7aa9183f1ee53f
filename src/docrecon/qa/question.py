"""Question typing: what kind of answer a question asks for, in English and Chinese.

:func:`classify` maps a question to an :class:`AnswerType` by its question words (who, when,
how much, how long, which section, 谁, 何时, 多少, 多久, 哪一节 ...), and keeps its content terms
(the index tokenizer's terms without stop words or question words). :func:`has_type` tells
whether a piece of text holds a value of a type (a date, a number, a duration, a name), which
the answer stage uses to prefer the span that answers over one that merely repeats the question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from docrecon.qa.text import STOPWORDS, cjk_nouns, latin_words, query_terms


class AnswerType(StrEnum):
    NAME = "name"
    AUTHOR = "author"
    DATE = "date"
    NUMBER = "number"
    DURATION = "duration"
    SECTION = "section"
    TITLE = "title"
    OTHER = "other"


#: (type, pattern on the NFKC, lower-cased question), first match wins
_RULES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (t, re.compile(p))
    for t, p in (
        (AnswerType.SECTION, r"\b(which|what) (section|chapter|part|heading)s?\b|"
         r"哪(一|个)?(节|章|部分|小节|章节)|什么章节"),
        (AnswerType.TITLE, r"\btitle\b|标题|题目"),
        (AnswerType.AUTHOR, r"\bwho (wrote|writes|authored|prepared|compiled|edited)\b|\bauthors?\b|"
         r"\bprepared by\b|作者|编写|撰写|编制|起草"),
        (AnswerType.DATE, r"\bhow long ago\b"),
        (AnswerType.DURATION, r"\bhow long\b|\bhow many (seconds|minutes|hours|days|weeks|months|years)\b|"
         r"\bduration\b|\bruntime\b|多久|多长时间|多长|几(年|天|个月|周|小时|分钟)"),
        (AnswerType.DATE, r"\bwhen\b|\bwhat (date|day|time|year|month)\b|\bwhich (date|day|year|month)\b|"
         r"\bin (which|what) year\b|\bdate\b|哪(一)?(天|年|月|日)|何时|什么时候|几月|几号|日期|时间"),
        (AnswerType.NAME, r"\bwho\b|\bwhom\b|\bwhose\b|谁"),
        (AnswerType.NUMBER, r"\bhow (much|many|old)\b|\b(zip|postal|post) ?codes?\b|\bpostcodes?\b|"
         r"\b(amount|number|total|price|cost|rate|percentage|ratio|"
         r"value|size|count)\b|多少|多大|几|百分比|比例|金额|比率|邮编|邮政编码"),
    )
)

#: words that only say what is asked ("which section", "哪一节"): not matched against the text
_ASKING = frozenset(
    """section sections chapter chapter part heading title document report paper article file author authors
    wrote written prepared 章节 哪一节 一节 节 章 部分 标题 题目 文档 报告 论文 本报告 这份 这篇 作者 编写 撰写 哪天
    哪一年 哪年 何时 什么 时候 日期 多久 多长 多长时间 多大 介绍 说明 一部 一部分 哪部分 哪一部分 哪个部分 小节
    covers cover covered talks talk describes describe discuss discusses""".split()
)


#: a possessive ending ("Berry's"): the tokenizer would keep its "s" as a term
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_LETTER_CJK = re.compile(r"(?:^|(?<=[\s\u4e00-\u9fff]))[a-z][\u4e00-\u9fff]")
_COUNTED = re.compile(r"\bhow (many|much) ([a-z][a-z'\-]*)")
_NOT_NOUN = frozenset("more less longer time times".split())
#: a word that only says which of the authors is asked ("first author", "通讯作者"): an author list
#: answers it, the word itself need not be in the text
_AUTHOR_QUALIFIER = re.compile(
    r"\b(first|second|third|last|lead|leading|main|principal|senior|corresponding)(?=[- ]authors?\b)|"
    r"(第一|第二|通讯|主要|首席)(?=作者)"
)
#: in a date question these only repeat what is asked ("in which year")
_DATE_WORDS = frozenset("year years 年 一年 哪年 几年 日 天".split())
#: a postal code question names the kind of value asked, which the text shows only by its shape
#: ("Doylestown, PA 18901", "London SE5 9PJ"): those words are asked, not matched
_POSTAL = re.compile(r"\b(zip|postal|post) ?codes?\b|\bpostcodes?\b")
_POSTAL_WORDS = frozenset("zip postal post code codes postcode postcodes".split())
#: in a duration question these only repeat what is asked: "how long", the unit of "how many years"
#: (the value carries it: "nine years"; "30 years ago" is no answer for it), and the verbs of "how long
#: does it take / last" (the text says "estimated time: 15 minutes", "the course runs for 3 weeks")
_DURATION_WORDS = frozenset(
    """long longer seconds minutes hours days weeks months years decades second minute hour day week month year
    decade take takes took taken taking last lasts lasted""".split()
)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    type: AnswerType
    #: content terms (question and asking words removed; all terms when that leaves nothing)
    terms: tuple[str, ...]
    #: what a "how many / how much X" question counts (X), which the answer must name
    focus: str = ""
    #: the words that name a thing or an attribute: CJK nouns (jieba's tags) and capitalised Latin
    #: words after the first word ("Spanish", "职业"); a table without them has no cell for it
    named: tuple[str, ...] = ()
    #: X of a definition question ("What is X?", "什么是X", "X是什么"), lower-cased, NFKC
    defines: str = ""
    #: the personal names the question names ("Jim Bainbridge"), each as its lower-cased words
    persons: tuple[tuple[str, ...], ...] = ()
    #: a postal code is asked ("the ZIP code of Doylestown"): its value must have a postal code's shape
    postal: bool = False


def classify(question: str) -> Question:
    """The answer type and content terms of ``question``."""
    q = unicodedata.normalize("NFKC", question).lower()
    kind = next((t for t, rx in _RULES if rx.search(q)), AnswerType.OTHER)
    terms = query_terms(_POSSESSIVE.sub("", question))
    postal = kind is AnswerType.NUMBER and bool(_POSTAL.search(q))
    qualifiers = {m.group(1) or m.group(2) for m in _AUTHOR_QUALIFIER.finditer(q)}
    if kind is not AnswerType.AUTHOR:
        qualifiers = set()
    content = [t for t in terms if t not in _ASKING and t not in qualifiers
               and not (kind is AnswerType.DATE and t in _DATE_WORDS)
               and not (kind is AnswerType.DURATION and t in _DURATION_WORDS)
               and not (postal and t in _POSTAL_WORDS)]
    content += [m.group().lower() for m in _LETTER_CJK.finditer(q)]  # "A股": the letter alone is a stop word
    m = _COUNTED.search(q)
    focus = m.group(2) if m and m.group(2) not in STOPWORDS and m.group(2) not in _NOT_NOUN else ""
    if kind is AnswerType.DURATION and focus in _DURATION_WORDS:
        focus = ""  # "how many years": the unit is the value's, not a thing the answer must name
    named = tuple(w for w in _named(question) if not (postal and w in _POSTAL_WORDS))
    return Question(question, kind, tuple(content or terms), focus, named, _defines(q), _persons(question), postal)


_DEFINES = (
    re.compile(r"^\s*what\s+(?:is|are)\s+(?:an?\s+|the\s+)?([^?]{2,40}?)\s*[?？]?\s*$"),
    re.compile(r"^\s*什么是([^？?，,]{2,12})[？?]?\s*$"),
    re.compile(r"^\s*([^？?，,]{2,12}?)是什么[？?]?\s*$"),
)


def _defines(q: str) -> str:
    """X of "what is X?" (X at most four words) or "什么是X" / "X是什么" ("" otherwise)."""
    for rx in _DEFINES:
        m = rx.match(q)
        if m and len(m.group(1).split()) <= 4:
            return m.group(1).strip()
    return ""


def _persons(question: str) -> tuple[tuple[str, ...], ...]:
    """The personal names in ``question`` (two or more capitalised words, question words left out)."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", question))
    out: list[tuple[str, ...]] = []
    for m in _NAME.finditer(text):
        words = tuple(w for w in latin_words(m.group()) if w not in STOPWORDS and len(w) > 1)
        if len(words) >= 2:
            out.append(words)
    return tuple(out)


def _named(question: str) -> tuple[str, ...]:
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", question))
    capital = [w.lower() for w in re.findall(r"(?<=\s)[A-Z][A-Za-z]{2,}\b", text)]
    lower = {w for w in latin_words(text)}
    words = [*cjk_nouns(text), *(w for w in capital if w in lower)]
    return tuple(dict.fromkeys(w for w in words if w not in STOPWORDS and w not in _ASKING))


#: English number words ("nine years", "a dozen", "three hundred")
_WORDNUM = (r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
            r"million|billion|dozen|dozens|several|a few|a couple of|half an?|an?)")
#: ... those that count in running text ("one", "a few" are too common to say that a number is given)
_COUNT_WORD = (r"(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
               r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
               r"million|billion|dozen|dozens)")
_UNIT = r"(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|decades?|centur(y|ies))"
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b\d{{4}}[-/.]\d{{1,2}}([-/.]\d{{1,2}})?\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\d{{2,4}}\s*年(\s*\d{{1,2}}\s*月)?|"
    rf"\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b|"
    rf"\b\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}\b|\b(1[5-9]|20)\d{{2}}\b|\bq[1-4]\b|"
    r"\b(1[5-9]|20)\d0['’]?s\b|\b\d{1,2}(st|nd|rd|th)[- ]century\b|\b\w+ (days?|weeks?|months?|years?) ago\b|"
    r"\b(january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday)\b|\d{1,2}:\d{2}|[上下]午|星期|周[一二三四五六日]",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\d+(\.\d+)?\s*(-|to|–)?\s*\d*\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"decades?|年|天|日|小时|分钟|个月|周|秒)(?![a-z])(?!\s*ago\b)|"
    rf"\b{_WORDNUM}([- ]{_WORDNUM})?[- ]{_UNIT}\b(?!\s*ago\b)|\ba quarter of an? (hour|century)\b|\bovernight\b",
    re.IGNORECASE,
)
_ZH_NUM = "[零〇一二两三四五六七八九十百千万亿]+"
_NUMBER = re.compile(rf"\d|{_ZH_NUM}\s*[元个天年月日次倍位名人条件项岁斤吨米公里小时分钟周成%]|"
                     rf"\b{_COUNT_WORD}\b", re.IGNORECASE)
_ZH_DURATION = re.compile(rf"{_ZH_NUM}\s*个?(年|天|日|小时|分钟|月|周|工作日|星期)")
_NAME = re.compile(
    r"\b(?:[A-Z]\.\s*)+[A-Z][a-z'\-]+\b|\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z'\-]+\b(?![\-'])|"
    r"\b[A-Z]{2,}(?:\s+[A-Z]\.)?\s+[A-Z]{3,}\b"  # STEVEN E. MERCER
)


def has_type(text: str, kind: AnswerType) -> bool:
    """Whether ``text`` holds a value of ``kind`` (always true for types without a value shape)."""
    if kind is AnswerType.DATE:
        return bool(_DATE.search(text))
    if kind is AnswerType.DURATION:
        return bool(_DURATION.search(text) or _ZH_DURATION.search(text))
    if kind is AnswerType.NUMBER:
        return bool(_NUMBER.search(text))
    if kind in (AnswerType.NAME, AnswerType.AUTHOR):
        return bool(_NAME.search(text)) or bool(re.search(r"[\u4e00-\u9fff]{2,4}", text))
    return True


#: a postal code's shape: a US state and ZIP ("PA 18901"), a UK ("SE5 9PJ") or Canadian ("K1A 0B1")
#: postcode, a Chinese one after its label ("邮编：100000")
_POSTAL_CODE = re.compile(
    r"\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|"
    r"(邮编|邮政编码)\s*[:：]?\s*\d{6}\b"
)


def answers_type(question: Question, text: str) -> bool:
    """Whether ``text`` holds a value of the type ``question`` asks (:func:`has_type`; a postal code's
    shape for a postal code question)."""
    if question.postal:
        return bool(_POSTAL_CODE.search(unicodedata.normalize("NFKC", text)))
    return has_type(text, question.type)
