"""WordprocessingML styles and numbering: heading levels, list membership and list labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LIST_STYLE = re.compile(r"^list (bullet|number)(?:\s*(\d))?$", re.IGNORECASE)
_HEADING = re.compile(r"^(heading|标题|überschrift|titre|título|titolo|kop)\s*(\d)$", re.IGNORECASE)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def wval(el: etree._Element | None, tag: str) -> str | None:
    """The ``w:val`` of child ``tag`` of ``el``."""
    if el is None:
        return None
    child = el.find(w(tag))
    return None if child is None else child.get(w("val"))


def on(el: etree._Element | None, tag: str) -> bool:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    if el is None:
        return False
    child = el.find(w(tag))
    return child is not None and child.get(w("val"), "1") not in ("0", "false", "off")


@dataclass
class Style:
    id: str
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None
    bold: bool = False
    italic: bool = False


@dataclass
class StyleInfo:
    """What a paragraph style chain says: heading level (0 = title), list numbering, kind."""

    heading: int | None = None
    num: tuple[str, int] | None = None
    kind: str = ""
    #: "List Bullet 2" / "List Number 3": the nesting the style name gives (0-based), its family
    list_level: int = 0
    list_family: str = ""


def _num_pr(ppr: etree._Element | None) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num = ppr.find(w("numPr"))
    if num is None:
        return None
    num_id = wval(num, "numId")
    ilvl = wval(num, "ilvl")
    if num_id is None:
        return None
    return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0


def _outline(ppr: etree._Element | None) -> int | None:
    val = wval(ppr, "outlineLvl")
    return int(val) if val and val.isdigit() and int(val) < 9 else None


class Styles:
    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, Style] = {}
        self.default_para: str | None = None
        self._cache: dict[str, StyleInfo] = {}
        if root is None:
            return
        for st in root.iter(w("style")):
            sid = st.get(w("styleId"), "")
            ppr = st.find(w("pPr"))
            rpr = st.find(w("rPr"))
            self.styles[sid] = Style(
                sid, (wval(st, "name") or sid).strip(), wval(st, "basedOn"),
                _outline(ppr), _num_pr(ppr), on(rpr, "b"), on(rpr, "i"),
            )
            if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true"):
                self.default_para = sid

    def chain(self, sid: str | None) -> list[Style]:
        out: list[Style] = []
        while sid and sid in self.styles and len(out) < 20:
            style = self.styles[sid]
            if style in out:
                break
            out.append(style)
            sid = style.based_on
        return out

    def info(self, sid: str | None) -> StyleInfo:
        key = sid or ""
        if key not in self._cache:
            self._cache[key] = self._info(sid or self.default_para)
        return self._cache[key]

    def _info(self, sid: str | None) -> StyleInfo:
        info = StyleInfo()
        first = self.styles.get(sid or "")
        named = _LIST_STYLE.match(first.name) if first is not None else None
        if named:
            info.list_family = named.group(1).lower()
            info.list_level = int(named.group(2) or 1) - 1
        for st in self.chain(sid):
            name = st.name.lower()
            if info.heading is None:
                m = _HEADING.match(st.name)
                if name == "title":
                    info.heading = 0
                elif name == "heading":  # LibreOffice's generic heading style (DOC conversions)
                    info.heading = 1
                elif m:
                    info.heading = int(m.group(2))
                elif st.outline is not None:
                    info.heading = st.outline + 1
            if info.num is None and st.num is not None:
                info.num = st.num
            if not info.kind:
                info.kind = _kind(name)
        return info


def _kind(name: str) -> str:
    if name == "caption" or name.startswith("caption"):
        return "caption"
    if name in ("subtitle",):
        return "subtitle"
    if "code" in name or name in ("html preformatted", "plain text", "source code", "verbatim"):
        return "code"
    if name.startswith(("footnote text", "endnote text")):
        return "note"
    return ""


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


@dataclass
class Numbering:
    """numId -> levels; counters per numId as the document is walked."""

    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: etree._Element | None) -> Numbering:
        out = cls()
        if root is None:
            return out
        for ab in root.iter(w("abstractNum")):
            levels: dict[int, Level] = {}
            for lvl in ab.iter(w("lvl")):
                start = wval(lvl, "start")
                levels[int(lvl.get(w("ilvl"), "0"))] = Level(
                    wval(lvl, "numFmt") or "decimal", wval(lvl, "lvlText") or "",
                    int(start) if start and start.lstrip("-").isdigit() else 1, on(lvl, "isLgl"),
                )
            out.abstracts[ab.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            overrides: dict[int, int] = {}
            for ov in num.iter(w("lvlOverride")):
                start = wval(ov, "startOverride")
                if start and start.isdigit():
                    overrides[int(ov.get(w("ilvl"), "0"))] = int(start)
            out.nums[num.get(w("numId"), "")] = (wval(num, "abstractNumId") or "", overrides)
        return out

    def level(self, num_id: str, ilvl: int) -> Level | None:
        if num_id not in self.nums:
            return None
        abstract, overrides = self.nums[num_id]
        lvl = self.abstracts.get(abstract, {}).get(ilvl)
        if lvl is not None and ilvl in overrides:
            lvl = Level(lvl.fmt, lvl.text, overrides[ilvl], lvl.legal)
        return lvl

    def advance(self, num_id: str, ilvl: int) -> str:
        """Count one paragraph at (num_id, ilvl) and return its label (e.g. ``1.2.``)."""
        counters = self.counters.setdefault(num_id, [0] * 9)
        ilvl = max(0, min(8, ilvl))
        lvl = self.level(num_id, ilvl)
        start = lvl.start if lvl else 1
        counters[ilvl] = start if counters[ilvl] == 0 else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if lvl is None:
            return ""
        return re.sub(r"%(\d)", lambda m: self._format(num_id, int(m.group(1)) - 1, lvl.legal), lvl.text)

    def _format(self, num_id: str, ilvl: int, legal: bool) -> str:
        lvl = self.level(num_id, ilvl) or Level()
        value = self.counters[num_id][ilvl] or lvl.start
        return format_number(value, "decimal" if legal else lvl.fmt)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
