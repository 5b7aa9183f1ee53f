"""Values of a PDF's form fields (AcroForm widgets).

What someone typed into a form is document content, but it lives in widget annotations, not
in the page's text. Each text, combo-box or list-box value becomes characters laid over its
field's box (monospaced estimate, wrapped to the box), so the layout and table stages read it
like printed text. A value already printed in the page content (a flattened copy) is not
repeated; hidden fields are skipped.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docrecon.model import BBox, Char
from docrecon.readers.pdf_content import Transform

#: form field types whose value is text
TEXT_FIELDS = frozenset({pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX,
                         pdfium_c.FPDF_FORMFIELD_LISTBOX})
#: widgets read per page (a form with more is cut off there)
MAX_FIELDS = 2000
#: longest value read per field, in characters
MAX_VALUE = 4000
#: type size for a value when the box leaves room (points), and the smallest one used
FIELD_SIZE = 10.0
MIN_SIZE = 4.0
ADVANCE = 0.5  # estimated advance of a character, in font sizes
FONT = "FormField"


def field_chars(page: pdfium.PdfPage, form: pdfium.PdfFormEnv | None, tf: Transform, printed: list[Char]) -> list[Char]:
    """Characters for the values of the page's filled-in text fields."""
    if form is None:
        return []
    out: list[Char] = []
    count = min(pdfium_c.FPDFPage_GetAnnotCount(page.raw), MAX_FIELDS)
    for i in range(count):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            if pdfium_c.FPDFAnnot_GetFlags(annot) & pdfium_c.FPDF_ANNOT_FLAG_HIDDEN:
                continue
            if pdfium_c.FPDFAnnot_GetFormFieldType(form.raw, annot) not in TEXT_FIELDS:
                continue
            value = _value(form, annot)
            rect = pdfium_c.FS_RECTF()
            if not value or not pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
        box = tf.box(min(rect.left, rect.right), min(rect.bottom, rect.top),
                     max(rect.left, rect.right), max(rect.bottom, rect.top))
        if box.width < 2 or box.height < 2 or _printed(value, box, printed):
            continue
        out.extend(_lay_out(value, box))
    return out


def _value(form: pdfium.PdfFormEnv, annot: object) -> str:
    n = pdfium_c.FPDFAnnot_GetFormFieldValue(form.raw, annot, None, 0)
    if n <= 2:
        return ""
    n = min(n, 2 * MAX_VALUE + 2)
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFAnnot_GetFormFieldValue(form.raw, annot, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), n)
    text = buf.raw[: n - 2].decode("utf-16-le", "replace").replace("\x00", "")
    return text.strip()


def _printed(value: str, box: BBox, chars: list[Char]) -> bool:
    inside = "".join(c.text for c in chars if box.contains_point((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, 1.0))
    want = "".join(value.split())
    return bool(want) and want in "".join(inside.split())


def _wrap(words: list[str], per_line: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > per_line:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def _lay_out(value: str, box: BBox) -> list[Char]:
    paragraphs = [p.split() for p in value.splitlines() if p.strip()]
    size = min(FIELD_SIZE, box.height * 0.7)
    longest = max(len(" ".join(p)) for p in paragraphs)
    if len(paragraphs) == 1 and box.height < 2.5 * size:  # a one-line field: shrink to fit
        size = max(MIN_SIZE, min(size, (box.width - 4) / max(1, longest) / ADVANCE))
    per_line = max(1, int((box.width - 4) / (ADVANCE * size)))
    lines = [ln for p in paragraphs for ln in _wrap(p, per_line)]
    leading = 1.2 * size
    top = box.y0 + max(1.0, (box.height - leading * len(lines)) / 2) if len(lines) == 1 else box.y0 + 2
    chars: list[Char] = []
    for k, line in enumerate(lines):
        y0 = top + k * leading
        x = box.x0 + 2
        for ch in line:
            w = ADVANCE * size
            chars.append(Char(ch, x, y0, x + w, y0 + size, size=round(size, 2), font=FONT,
                              baseline=y0 + 0.8 * size))
            x += w
    return chars
