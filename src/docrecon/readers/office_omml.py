"""Office Math (OMML) to LaTeX, for equations in DOCX (and PPTX) files."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"

SYMBOLS = {
    "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\epsilon", "ζ": "\\zeta",
    "η": "\\eta", "θ": "\\theta", "ι": "\\iota", "κ": "\\kappa", "λ": "\\lambda", "μ": "\\mu",
    "ν": "\\nu", "ξ": "\\xi", "π": "\\pi", "ρ": "\\rho", "σ": "\\sigma", "τ": "\\tau",
    "υ": "\\upsilon", "φ": "\\phi", "χ": "\\chi", "ψ": "\\psi", "ω": "\\omega", "Γ": "\\Gamma",
    "Δ": "\\Delta", "Θ": "\\Theta", "Λ": "\\Lambda", "Ξ": "\\Xi", "Π": "\\Pi", "Σ": "\\Sigma",
    "Φ": "\\Phi", "Ψ": "\\Psi", "Ω": "\\Omega", "ϕ": "\\varphi", "ϵ": "\\varepsilon",
    "×": "\\times", "·": "\\cdot", "⋅": "\\cdot", "±": "\\pm", "∓": "\\mp", "÷": "\\div",
    "≤": "\\leq", "≥": "\\geq", "≠": "\\neq", "≈": "\\approx", "≡": "\\equiv", "∼": "\\sim",
    "∝": "\\propto", "∞": "\\infty", "→": "\\rightarrow", "←": "\\leftarrow", "⇒": "\\Rightarrow",
    "⇔": "\\Leftrightarrow", "↔": "\\leftrightarrow", "∈": "\\in", "∉": "\\notin", "⊂": "\\subset",
    "⊆": "\\subseteq", "⊃": "\\supset", "∩": "\\cap", "∪": "\\cup", "∂": "\\partial",
    "∇": "\\nabla", "∀": "\\forall", "∃": "\\exists", "∅": "\\emptyset", "¬": "\\neg", "∧": "\\wedge",
    "∨": "\\vee", "…": "\\ldots", "⋯": "\\cdots", "°": "^{\\circ}", "′": "'", "−": "-", "∗": "*",
}
NARY = {
    "∑": "\\sum", "∏": "\\prod", "∐": "\\coprod", "∫": "\\int", "∬": "\\iint", "∭": "\\iiint",
    "∮": "\\oint", "∯": "\\oiint", "∰": "\\oiiint", "⋃": "\\bigcup", "⋂": "\\bigcap",
    "⋀": "\\bigwedge", "⋁": "\\bigvee",
}
ACCENTS = {
    "\u0302": "\\hat", "\u0303": "\\tilde", "\u0304": "\\bar", "\u0307": "\\dot", "\u0308": "\\ddot",
    "\u20d7": "\\vec", "\u0301": "\\acute", "\u0300": "\\grave", "\u030c": "\\check", "\u0306": "\\breve",
}
FUNCTIONS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "log", "ln", "exp", "lim",
    "max", "min", "sup", "inf", "det", "arg", "deg", "dim", "gcd", "arcsin", "arccos", "arctan",
}
_DELIMS = {"{": "\\{", "}": "\\}", "": ".", "〈": "\\langle", "〉": "\\rangle", "‖": "\\|", "|": "|"}


def m(tag: str) -> str:
    return f"{{{M}}}{tag}"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _prop(el: etree._Element, pr: str, name: str, default: str | None = None) -> str | None:
    node = el.find(f"{m(pr)}/{m(name)}")
    if node is None:
        return default
    value: str | None = node.get(m("val"), default if default is not None else "")
    return value


def _arg(el: etree._Element, name: str) -> str:
    child = el.find(m(name))
    return "" if child is None else convert(child).strip()


def _text(el: etree._Element) -> str:
    out = []
    for t in el.iter(m("t")):
        for ch in t.text or "":
            sym = SYMBOLS.get(ch) or NARY.get(ch)
            out.append(f"{sym} " if sym else ch)
    return "".join(out)


def _frac(el: etree._Element) -> str:
    num, den = _arg(el, "num"), _arg(el, "den")
    kind = _prop(el, "fPr", "type", "bar")
    if kind == "noBar":
        return f"\\genfrac{{}}{{}}{{0pt}}{{}}{{{num}}}{{{den}}}"
    if kind == "lin":
        return f"{num}/{den}"
    return f"\\frac{{{num}}}{{{den}}}"


def _nary(el: etree._Element) -> str:
    ch = _prop(el, "naryPr", "chr", "∫") or "∫"
    op = NARY.get(ch, ch)
    sub = "" if _prop(el, "naryPr", "subHide", "0") in ("1", "on", "true") else _arg(el, "sub")
    sup = "" if _prop(el, "naryPr", "supHide", "0") in ("1", "on", "true") else _arg(el, "sup")
    return f"{op}_{{{sub}}}^{{{sup}}}{_arg(el, 'e')}"


def _delim(el: etree._Element) -> str:
    beg = _prop(el, "dPr", "begChr", "(") or ""
    end = _prop(el, "dPr", "endChr", ")") or ""
    sep = _prop(el, "dPr", "sepChr", "|") or "|"
    inner = sep.join(convert(e).strip() for e in el.findall(m("e")))
    return f"\\left{_DELIMS.get(beg, beg)}{inner}\\right{_DELIMS.get(end, end)}"


def _func(el: etree._Element) -> str:
    name = _arg(el, "fName")
    if name in FUNCTIONS:
        name = f"\\{name}"
    return f"{name}{_arg(el, 'e')}"


def _acc(el: etree._Element) -> str:
    ch = _prop(el, "accPr", "chr", "\u0302") or "\u0302"
    accent = ACCENTS.get(ch, "\\hat")
    return f"{accent}{{{_arg(el, 'e')}}}"


def _bar(el: etree._Element) -> str:
    pos = _prop(el, "barPr", "pos", "top")
    return f"\\{'underline' if pos == 'bot' else 'overline'}{{{_arg(el, 'e')}}}"


def _rad(el: etree._Element) -> str:
    deg = _arg(el, "deg")
    return f"\\sqrt[{deg}]{{{_arg(el, 'e')}}}" if deg else f"\\sqrt{{{_arg(el, 'e')}}}"


def _lim(el: etree._Element, op: str) -> str:
    base = _arg(el, "e")
    if base in FUNCTIONS:
        base = f"\\{base}"
    return f"{base}{op}{{{_arg(el, 'lim')}}}"


def _matrix(el: etree._Element) -> str:
    rows = [" & ".join(convert(e).strip() for e in mr.findall(m("e"))) for mr in el.findall(m("mr"))]
    return "\\begin{matrix}" + " \\\\ ".join(rows) + "\\end{matrix}"


def _eqarr(el: etree._Element) -> str:
    rows = [convert(e).strip() for e in el.findall(m("e"))]
    if len(rows) == 1:
        return rows[0]
    return "\\begin{array}{c}" + " \\\\ ".join(rows) + "\\end{array}"


def _group(el: etree._Element) -> str:
    pos = _prop(el, "groupChrPr", "pos", "bot")
    return f"\\{'overbrace' if pos == 'top' else 'underbrace'}{{{_arg(el, 'e')}}}"


HANDLERS: dict[str, Callable[[etree._Element], str]] = {
    "r": _text,
    "f": _frac,
    "sSup": lambda el: f"{_arg(el, 'e')}^{{{_arg(el, 'sup')}}}",
    "sSub": lambda el: f"{_arg(el, 'e')}_{{{_arg(el, 'sub')}}}",
    "sSubSup": lambda el: f"{_arg(el, 'e')}_{{{_arg(el, 'sub')}}}^{{{_arg(el, 'sup')}}}",
    "sPre": lambda el: f"{{}}_{{{_arg(el, 'sub')}}}^{{{_arg(el, 'sup')}}}{_arg(el, 'e')}",
    "nary": _nary,
    "d": _delim,
    "func": _func,
    "acc": _acc,
    "bar": _bar,
    "rad": _rad,
    "limLow": lambda el: _lim(el, "_"),
    "limUpp": lambda el: _lim(el, "^"),
    "m": _matrix,
    "eqArr": _eqarr,
    "groupChr": _group,
}


def convert(el: etree._Element) -> str:
    name = _local(el)
    if name.endswith("Pr"):
        return ""
    handler = HANDLERS.get(name)
    if handler is not None and str(el.tag).startswith(f"{{{M}}}"):
        return handler(el)
    return "".join(convert(child) for child in el)


def omml_to_latex(el: etree._Element) -> str:
    """LaTeX of an ``m:oMath`` or ``m:oMathPara`` element (several equations joined by ``\\\\``)."""
    if _local(el) == "oMathPara":
        return " \\\\ ".join(omml_to_latex(x) for x in el.findall(m("oMath")))
    return " ".join(convert(el).split())
