"""Display formulas of born-digital pages: short lines made of math (operators, Greek letters,
scripts), with the superscripts, subscripts, limits and fraction bars around them, become
FORMULA blocks whose text is LaTeX rebuilt from the characters' sizes and baselines. Inline math
inside prose stays in the text."""

from __future__ import annotations

import re

from docrecon.geometry.fragments import page_fragments
from docrecon.model import BBox, Block, BlockType, Char, Page, Rule, TextLine
from docrecon.stages.base import StageContext

GREEK = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩϵϑϕ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
        "epsilon vartheta phi".split(),
        strict=True,
    )
)
SYMBOLS = {
    "∫": "int", "∬": "iint", "∮": "oint", "∑": "sum", "∏": "prod", "√": "sqrt", "∂": "partial",
    "∇": "nabla", "±": "pm", "∓": "mp", "×": "times", "÷": "div", "·": "cdot", "∙": "cdot",
    "≤": "leq", "≥": "geq", "≠": "neq", "≈": "approx", "≡": "equiv", "∼": "sim", "∝": "propto",
    "∞": "infty", "→": "to", "←": "leftarrow", "⇒": "Rightarrow", "⇔": "Leftrightarrow",
    "∈": "in", "∉": "notin", "⊂": "subset", "⊆": "subseteq", "∪": "cup", "∩": "cap", "∀": "forall",
    "∃": "exists", "∅": "emptyset", "ℝ": "mathbb{R}", "ℕ": "mathbb{N}", "ℤ": "mathbb{Z}", "…": "ldots",
    "⋯": "cdots", "⋅": "cdot", "′": "prime", "°": "circ", "ħ": "hbar", "ℓ": "ell",
}  # fmt: skip
PLAIN = {"−": "-", "–": "-", "∗": "*", "⁄": "/", "（": "(", "）": ")"}
MATH_SIGNAL = set("=<>≤≥≠≈∫∑∏√∂∇±×÷→∞∈⊂∪∩∀∃") | set(GREEK)
FUNCS = {"sin", "cos", "tan", "log", "ln", "exp", "lim", "max", "min", "det", "mod", "arg", "sup", "inf"}
MATH_FONT = re.compile(r"cmmi|cmsy|cmex|math|symbol|stix|msam|msbm|euclid|mt ?extra", re.IGNORECASE)
BIG_OPS = {"∫", "∬", "∮", "∑", "∏"}


#: a numbered exercise or list item ("150. s(t) = ..."): text with math in it, not a display
ENUMERATED = re.compile(r"^\s*(?:\(?\d{1,4}[.)]|\(?[a-z][.)])\s")
MARKER = re.compile(r"^\s*(?:\(?\d{1,4}[.)]|\(?[a-z][.)])\s*$")


def _numbered(seed: TextLine, frags: list[TextLine]) -> bool:
    """A list or exercise number stands just left of the seed on its row: the formula is the
    text of a numbered item, which stays text."""
    size = seed.size or 10.0
    return any(
        MARKER.match(f.text) and 0 <= seed.bbox.x0 - f.bbox.x1 <= 3 * size
        and min(f.bbox.y1, seed.bbox.y1) - max(f.bbox.y0, seed.bbox.y0) > 0.3 * size
        for f in frags
    )


def _is_candidate(f: TextLine) -> bool:
    text = f.text
    if not 2 <= len(text) <= 80 or ENUMERATED.match(text):
        return False
    signal = sum(1 for ch in text if ch in MATH_SIGNAL) + sum(1 for c in f.chars if MATH_FONT.search(c.font))
    if signal == 0 or not any(ch in "=<>≤≥≠≈∫∑∏→" for ch in text):
        return False
    words = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in FUNCS]
    return len(words) <= 1


def _cmd(ch: str, nxt: str) -> str:
    name = GREEK.get(ch) or SYMBOLS.get(ch)
    if name is None:
        return PLAIN.get(ch, ch)
    return "\\" + name + (" " if nxt[:1].isalpha() else "")


def _kind(c: Char, base: float, size: float) -> str:
    if c.size < 0.85 * size and c.baseline < base - 0.2 * size:
        return "^"
    if c.size < 0.85 * size and c.baseline > base + 0.1 * size:
        return "_"
    return ""


def _seq(chars: list[Char]) -> str:
    out: list[str] = []
    chars = [c for c in chars if c.text.strip()]
    for i, c in enumerate(chars):
        t = _cmd(c.text, chars[i + 1].text if i + 1 < len(chars) else "")
        bold = "bold" in c.font.lower() and c.text.isalpha() and c.text.isascii()
        out.append(f"\\mathbf{{{t}}}" if bold else t)
    return "".join(out)


def to_latex(chars: list[Char], rules: list[Rule]) -> str:
    """LaTeX of a formula's characters: scripts from size and baseline, fractions from rules."""
    chars = [c for c in chars if c.text.strip()]
    if not chars:
        return ""
    for r in rules:
        over = [c for c in chars if r.x0 - 1 <= (c.x0 + c.x1) / 2 <= r.x1 + 1 and c.y1 <= r.y0 + 1]
        under = [c for c in chars if r.x0 - 1 <= (c.x0 + c.x1) / 2 <= r.x1 + 1 and c.y0 >= r.y0 - 1]
        if over and under:
            rest = [c for c in chars if c not in over and c not in under]
            left = [c for c in rest if c.x1 <= r.x0 + 1]
            right = [c for c in rest if c not in left]
            inner = f"\\frac{{{to_latex(over, [])}}}{{{to_latex(under, [])}}}"
            return to_latex(left, []) + inner + to_latex(right, [])
    size = max(c.size for c in chars)
    mains = [c for c in chars if c.size >= 0.9 * size]
    base = sorted(c.baseline for c in mains)[len(mains) // 2]
    ops = [c for c in chars if c.text in BIG_OPS]

    def key(c: Char) -> float:
        for op in ops:
            if c is not op and op.x0 - 1 <= (c.x0 + c.x1) / 2 <= op.x1 + 1:
                return op.x0 + 0.01
        return c.x0

    parts: list[str] = []
    run: list[Char] = []
    kind = ""
    for c in sorted(chars, key=key) + [Char("", 1e9, 0, 1e9, 0)]:
        k = _kind(c, base, size) if c.text else "end"
        if k != kind and run:
            body = _seq(run)
            parts.append(f"{kind}{{{body}}}" if kind else body)
            run = []
        kind = k
        run.append(c)
    return "".join(parts).replace("\\int ", "\\int").strip()


def _mathy(f: TextLine) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]{3,}", f.text) if w.lower() not in FUNCS]
    return not words and len(f.text) <= 24


def _region(seed: TextLine, frags: list[TextLine]) -> list[TextLine]:
    """The seed with the scripts and limits around it and the math pieces beside it on its row
    (wide spacing around operators splits a formula into several fragments)."""
    size = seed.size or 10.0
    group = [seed]
    box = seed.bbox
    grown = True
    while grown:
        grown = False
        zone = BBox(box.x0 - 3 * size, box.y0 - 0.9 * size, box.x1 + 3 * size, box.y1 + 0.9 * size)
        for f in frags:
            if any(f is g for g in group) or not zone.contains_point(f.bbox.cx, f.bbox.cy) or not _mathy(f):
                continue
            near_row = min(f.bbox.y1, box.y1) - max(f.bbox.y0, box.y0) > 0
            if near_row or len(f.text) <= 12:
                group.append(f)
                box = box.union(f.bbox)
                grown = True
    return group


def _bars(rules: list[Rule], box: BBox) -> list[Rule]:
    """Fraction bars: horizontal rules inside the formula box."""
    return [
        r
        for r in rules
        if r.horizontal and box.contains_point((r.x0 + r.x1) / 2, r.y0, 2.0) and r.x1 - r.x0 <= box.width + 4
    ]


class FormulaStage:
    name = "formulas"
    block_types = (BlockType.FORMULA,)

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured or page.ocr or not raw.chars:
            return
        if not any(c.text in MATH_SIGNAL for c in raw.chars):
            return
        frags = page_fragments(raw)
        taken: set[int] = set()
        n = 0
        for seed in frags:
            if id(seed) in taken or not _is_candidate(seed) or _numbered(seed, frags):
                continue
            group = [f for f in _region(seed, frags) if id(f) not in taken]
            chars = [c for f in group for c in f.chars]
            box = BBox.enclosing([f.bbox for f in group])
            rules = _bars(raw.rules, box)
            latex = to_latex(chars, rules)
            if len(latex) < 3:
                continue
            n += 1
            raw.blocks.append(Block(id=f"p{page.number}/formula{n}", type=BlockType.FORMULA, text=latex, bbox=box))
            taken.update(id(f) for f in group)
        if taken:
            gone = {id(c) for f in frags if id(f) in taken for c in f.chars}
            raw.chars = [c for c in raw.chars if id(c) not in gone]
