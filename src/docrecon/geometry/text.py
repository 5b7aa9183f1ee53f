"""Text helpers shared by the layout stages: CJK detection, joining lines, de-hyphenation."""

from __future__ import annotations

import re
import unicodedata


def is_cjk(ch: str) -> bool:
    """Whether the first character of ``ch`` is CJK (ideographs, kana, hangul, full-width forms)."""
    if not ch:
        return False
    o = ord(ch[0])
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x3000 <= o <= 0x303F
        or 0x20000 <= o <= 0x2FA1F
    )


def is_hangul(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces between words (Chinese,
    Japanese); Korean is CJK but puts spaces between words."""
    return is_cjk(ch) and not is_hangul(ch)


_HYPHEN_END = re.compile(r"[A-Za-zÀ-ÿ]{2,}[-\u00ad\u2010]$")
_NUMBER_DASH_END = re.compile(r"\d[-\u2010\u2013]$")


def join_lines(lines: list[str]) -> str:
    """Join the lines of a paragraph: spaces between Latin (and Korean) words, none around
    Chinese and Japanese, soft hyphens
    and end-of-line hyphens of split words removed; a number broken at its dash is joined up."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if _HYPHEN_END.search(out) and line[:1].islower():
            out = out[:-1] + line
        elif _NUMBER_DASH_END.search(out) and line[:1].isdigit():
            out += line  # a number range or reference broken at its dash: "22–11–" "33."
        elif unspaced(out[-1]) or unspaced(line[0]):
            out += line
        else:
            out += " " + line
    return fix_quotes(out.replace("\u00ad", ""))


def fix_quotes(text: str) -> str:
    """Doubled single quotes set as typographic double quotes (‘‘x’’ -> “x”)."""
    return text.replace("\u2018\u2018", "\u201c").replace("\u2019\u2019", "\u201d").replace("``", "\u201c")


#: a caption's label and number: "Figure 3-1", "Fig. 2", "Table IV", "Exhibit A", "图 1", "表一"
#: (the label's case is free, the number's is not: "Table of contents" is no caption)
CAPTION = re.compile(
    r"^\s*(?i:fig\.?|figure|table|tab\.|exhibit|chart|plate|图|表)\s*(\d|[IVX]+\b|[A-Z]\b|[一二三四五六七八九十]+)"
)


TERMINAL = tuple(".!?:;。！？；：…\"'”’)")


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    return bool(t) and t.endswith(TERMINAL)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


#: a form field's line: a short label, a colon, then its value. A Latin label is capitalised
#: and at most four words ("Contact Email: a@b.org"); a label with Chinese or Japanese in it is
#: at most 16 characters without sentence punctuation ("流通 A 股(百万股)： 167.01"). A time
#: ("12:30") is no label.
FIELD = re.compile(r"^[A-Z#][\w'’./&()#-]*(?: [\w'’./&()#-]+){0,3} ?(?::\s|：)\s*\S")
CJK_FIELD = re.compile(r"^(?=[^:：]*[\u3040-\u30ff\u3400-\u9fff])[^:：。，；！？!?,;]{1,16}(?::\s|：)\s*\S")


def field_value(text: str) -> str | None:
    """The value of a form field's line ("Report Date: 2024-11-15" -> "2024-11-15"), or None."""
    m = FIELD.match(text) or CJK_FIELD.match(text)
    return text[m.end() - 1:].strip() if m else None


#: a date written out: "January 3, 2024", "20 décembre 2022", "3. März 2024", "2024-01-03",
#: "2024年3月20日" (a byline's date, not a heading; "3. März" is no list item)
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
         # French, German, Spanish, Italian, Portuguese
         r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
         r"|Januar|Februar|März|Juni|Juli|Oktober|Dezember"
         r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
         r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
         r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro)\.?")
DATE = re.compile(rf"^(?:{MONTH}\s+(?:\d{{1,2}},?\s+)?\d{{4}}|\d{{1,2}}\.?\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?\d{{4}}"
                  r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?)$", re.IGNORECASE)
