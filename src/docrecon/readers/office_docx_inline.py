"""Paragraph content of WordprocessingML: runs -> plain text and inline Markdown.

Tracked changes are resolved to the final text (insertions kept, deletions and moved-from text
dropped); ``mc:AlternateContent`` is read once (its Choice); pictures, text boxes, display
equations and page breaks found inside a paragraph are reported to the caller.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from docrecon.readers.office_build import md_escape
from docrecon.readers.office_docx_styles import W, on, w, wval
from docrecon.readers.office_omml import M, omml_to_latex

if TYPE_CHECKING:
    from docrecon.model import ImageRef
    from docrecon.readers.office_docx_context import DocxContext

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

_TRANSPARENT = {w(t) for t in ("ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")}
_SKIPPED = {w(t) for t in ("del", "moveFrom", "pPr", "rPr", "bookmarkStart", "bookmarkEnd", "proofErr")}
_EMU_PER_PX = 9525


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: str | None = None
    kind: str = "text"  # text | math | raw


@dataclass
class Inline:
    """What one paragraph (or cell paragraph) holds."""

    segments: list[tuple[str, Fmt]] = field(default_factory=list)
    #: pictures with their descriptions (``wp:docPr/@descr``, alt text)
    images: list[tuple[ImageRef, str]] = field(default_factory=list)
    textboxes: list[etree._Element] = field(default_factory=list)
    display_math: list[str] = field(default_factory=list)
    #: relationship ids of DrawingML charts (``c:chart r:id``)
    charts: list[str] = field(default_factory=list)
    break_before: bool = False
    break_after: bool = False

    @property
    def text(self) -> str:
        return "".join(t for t, f in self.segments if f.kind != "raw")

    def rich(self) -> str | None:
        out = render_rich(self.segments)
        return out if out.strip() != self.text.strip() else None

    def has_text(self) -> bool:
        return bool(self.text.strip())


def _wrap(text: str, fmt: Fmt) -> str:
    if fmt.kind == "math":
        return f"${text.strip()}$"
    if fmt.kind == "raw":
        return text
    core = md_escape(text)
    stripped = core.strip()
    if not stripped or not (fmt.bold or fmt.italic or fmt.strike):
        return core
    lead = core[: len(core) - len(core.lstrip())]
    trail = core[len(core.rstrip()) :]
    if fmt.strike:
        stripped = f"~~{stripped}~~"
    if fmt.italic:
        stripped = f"*{stripped}*"
    if fmt.bold:
        stripped = f"**{stripped}**"
    return lead + stripped + trail


def render_rich(segments: list[tuple[str, Fmt]]) -> str:
    merged: list[tuple[str, Fmt]] = []
    for text, fmt in segments:
        if merged and merged[-1][1] == fmt and fmt.kind == "text":
            merged[-1] = (merged[-1][0] + text, fmt)
        else:
            merged.append((text, fmt))
    out: list[str] = []
    i = 0
    while i < len(merged):
        link = merged[i][1].link
        if link is None:
            out.append(_wrap(*merged[i]))
            i += 1
            continue
        group = []
        while i < len(merged) and merged[i][1].link == link:
            group.append(_wrap(*merged[i]))
            i += 1
        label = "".join(group).strip()
        out.append(f"[{label}]({link.replace(' ', '%20').replace(')', '%29')})" if label else "")
    return "".join(out)


class InlineReader:
    """Walks one paragraph; shares the document context (relationships, images, notes)."""

    def __init__(self, ctx: DocxContext) -> None:
        self.ctx = ctx
        self.out = Inline()

    def read(self, p: etree._Element) -> Inline:
        self.out = Inline()
        self.walk(p, Fmt())
        return self.out

    def walk(self, el: etree._Element, fmt: Fmt) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self.run(child, fmt)
            elif tag == w("hyperlink"):
                self.walk(child, Fmt(fmt.bold, fmt.italic, fmt.strike, self._link(child), fmt.kind))
            elif tag in _TRANSPARENT:
                self.walk(child, fmt)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.walk(content, fmt)
            elif tag == f"{{{M}}}oMath":
                self.add(omml_to_latex(child), Fmt(kind="math"))
            elif tag == f"{{{M}}}oMathPara":
                self.out.display_math.append(omml_to_latex(child))
            elif tag == f"{{{MC}}}AlternateContent":
                branch = child.find(f"{{{MC}}}Choice")
                self.walk(branch if branch is not None else child, fmt)
            elif tag == f"{{{MC}}}Fallback":
                continue

    def add(self, text: str, fmt: Fmt) -> None:
        if text:
            self.out.segments.append((text, fmt))

    def page_break(self) -> None:
        if self.out.has_text() or self.out.images:
            self.out.break_after = True
        else:
            self.out.break_before = True

    def run(self, r: etree._Element, fmt: Fmt) -> None:
        rpr = r.find(w("rPr"))
        style = self.ctx.styles.styles.get(wval(rpr, "rStyle") or "")
        run_fmt = Fmt(
            fmt.bold or on(rpr, "b") or bool(style and style.bold),
            fmt.italic or on(rpr, "i") or bool(style and style.italic),
            fmt.strike or on(rpr, "strike") or on(rpr, "dstrike"),
            fmt.link,
        )
        for c in r:
            self.run_child(c, run_fmt)

    def run_child(self, c: etree._Element, fmt: Fmt) -> None:
        tag = c.tag
        if tag == w("t"):
            self.add(c.text or "", fmt)
        elif tag in (w("tab"), w("ptab")):
            self.add(" ", Fmt(link=fmt.link))
        elif tag == w("br"):
            if c.get(w("type")) == "page":
                self.page_break()
            else:
                self.add("\n", Fmt(link=fmt.link))
        elif tag == w("cr"):
            self.add("\n", Fmt(link=fmt.link))
        elif tag == w("lastRenderedPageBreak"):
            self.page_break()
        elif tag == w("noBreakHyphen"):
            self.add("-", fmt)
        elif tag == w("sym"):
            self.add(_symbol(c.get(w("char"), "")), fmt)
        elif tag in (w("drawing"), w("pict"), w("object")):
            self.drawing(c)
        elif tag in (w("footnoteReference"), w("endnoteReference")):
            kind = "footnote" if tag == w("footnoteReference") else "endnote"
            label = self.ctx.note_ref(kind, c.get(w("id"), ""))
            if label:
                self.add(f"[^{label}]", Fmt(kind="raw"))
        elif tag == f"{{{MC}}}AlternateContent":
            branch = c.find(f"{{{MC}}}Choice")
            for sub in branch if branch is not None else c:
                self.run_child(sub, fmt)

    def _link(self, el: etree._Element) -> str | None:
        rid = el.get(f"{{{R}}}id")
        if rid and rid in self.ctx.rels:
            return self.ctx.rels[rid][1]
        anchor = el.get(w("anchor"))
        return f"#{anchor}" if anchor else None

    def drawing(self, el: etree._Element) -> None:
        extent = next(el.iter(f"{{{WP}}}extent"), None)
        size = (0, 0)
        if extent is not None:
            cx, cy = extent.get("cx", "0") or "0", extent.get("cy", "0") or "0"
            size = (int(cx) // _EMU_PER_PX, int(cy) // _EMU_PER_PX) if cx.isdigit() and cy.isdigit() else size
        # a box's own pictures are read with its text
        rids = [b.get(f"{{{R}}}embed") or b.get(f"{{{R}}}link") for b in el.iter(f"{{{A}}}blip")
                if not _inside_box(b, el)]
        rids += [d.get(f"{{{R}}}id") for d in el.iter(f"{{{V}}}imagedata") if not _inside_box(d, el)]
        doc_pr = next(el.iter(f"{{{WP}}}docPr"), None)
        alt = " ".join((doc_pr.get("descr") or "").split()) if doc_pr is not None else ""
        if GENERATED_ALT.search(alt):
            alt = ""  # Word's machine-written guess, not the author's description
        for rid in rids:
            ref = self.ctx.image(rid, size) if rid else None
            if ref is not None:
                self.out.images.append((ref, alt))
        self.out.charts += [rid for c in el.iter(f"{{{C}}}chart")
                            if (rid := c.get(f"{{{R}}}id")) and not _inside_box(c, el)]
        for box in el.iter(w("txbxContent")):
            if not _inside_box(box, el):
                self.out.textboxes.append(box)


#: how Word marks alt text it generated itself ("A duck holding a paper Description automatically generated")
GENERATED_ALT = re.compile(r"Description automatically generated(?: with (?:low|medium|high) confidence)?\.?$")


def _inside_box(box: etree._Element, top: etree._Element) -> bool:
    """Whether ``box`` (a text box, picture or chart) sits in a text box below ``top``: it is
    read with that box."""
    for anc in box.iterancestors():
        if anc is top:
            return False
        if anc.tag == w("txbxContent"):
            return True
    return False


def _symbol(code: str) -> str:
    try:
        n = int(code, 16)
    except ValueError:
        return ""
    if 0xF020 <= n <= 0xF0FF:  # symbol fonts map their glyphs to the private use area
        n -= 0xF000
    return chr(n) if n >= 0x20 else ""


def ext_of(target: str) -> str:
    ext = posixpath.splitext(target)[1].lower().lstrip(".")
    return re.sub(r"[^a-z0-9]", "", ext) or "bin"


__all__ = ["W", "Fmt", "Inline", "InlineReader", "ext_of", "render_rich"]
