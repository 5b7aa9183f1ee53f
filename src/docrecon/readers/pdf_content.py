"""Low-level content of one PDF page through pdfium: characters, vector rules, images.

Coordinates are converted once, here, to top-left-origin page space of the displayed (rotated,
cropped) page.
"""

from __future__ import annotations

import ctypes
import io
import logging
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docrecon.geometry.glyphs import symbol_char
from docrecon.geometry.text import is_cjk
from docrecon.model import AssetStore, BBox, Char, ImageRef, RawImage, Rule

log = logging.getLogger(__name__)

FORCE_BOLD = 0x40000
ITALIC_FLAG = 0x40
INVISIBLE = 3
MAX_PATH_OBJECTS = 20000
MIN_IMAGE_SIDE = 24.0  # points: smaller pictures are decoration


@dataclass(slots=True)
class Transform:
    """PDF user space -> displayed page space with top-left origin."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        if r == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> BBox:
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return BBox(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))


    @property
    def size(self) -> tuple[float, float]:
        """(width, height) of the displayed page."""
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def turned(self, degrees: int) -> Transform:
        """The same page shown turned a further ``degrees`` clockwise."""
        return Transform(self.left, self.bottom, self.right, self.top, (self.rotation + degrees) % 360)


def page_transform(page: pdfium.PdfPage) -> Transform:
    left, bottom, right, top = page.get_cropbox()
    return Transform(left, bottom, right, top, page.get_rotation() % 360)


def dominant_turn(chars: list[Char]) -> int:
    """The clockwise turn (0, 90, 180 or 270) that makes most of a page's text read upright.

    A page whose text layer mostly runs sideways or upside down on the displayed page (content
    drawn for portrait on a page shown as landscape, a scanned page's text layer, a landscape
    table set on a portrait page) is read in the frame where that text is upright. A minority
    of rotated lines (margin stamps, sideways table headers) leaves the page as shown.
    """
    upright = sum(1 for c in chars if c.angle == 0 and c.text != " ")
    if upright * 3 > len(chars):  # no other turn can have twice as many characters
        return 0
    counts = Counter(round(c.angle / 90) % 4 * 90 for c in chars
                     if c.text.strip() and min(c.angle % 90, 90 - c.angle % 90) <= 2)
    if not counts:
        return 0
    angle, n = counts.most_common(1)[0]
    if angle == 0 or n < 2 * counts.get(0, 0) or n < 10:
        return 0
    return angle


#: FPDFText_GetTextObject returning the object's address as an int: the per-character style
#: cache is keyed on it, and a ctypes.cast per character costs more than the call
_text_object_address = ctypes.cast(
    pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)


def _font_info(tp: object, i: int, buf: ctypes.Array[ctypes.c_char]) -> tuple[str, int]:
    flags = ctypes.c_int(0)
    n = pdfium_c.FPDFText_GetFontInfo(tp, i, buf, len(buf), ctypes.byref(flags))
    name = buf.raw[: max(0, n - 1)].decode("utf-8", "replace") if n else ""
    return name, flags.value


TEX_BOLD = re.compile(r"^(?:[a-z]{6}\+)?(cm|sf|lm|ec|tc|nimbus|cmss)\w*?(bx|bold|b\d)", re.I)
TEX_ITALIC = re.compile(r"^(?:[a-z]{6}\+)?(cm|sf|lm|ec|tc)\w*?(ti|it|sl)\d", re.I)


def _style(name: str, flags: int, weight: int) -> tuple[bool, bool]:
    low = name.lower()
    bold = bool(flags & FORCE_BOLD) or weight >= 600 or any(
        k in low for k in ("bold", "black", "heavy", "semibold", "demi", "-bd", ",bd", "medium-bold")
    ) or bool(TEX_BOLD.match(name))
    italic = bool(flags & ITALIC_FLAG) or "italic" in low or "oblique" in low or bool(TEX_ITALIC.match(name))
    return bold, italic


#: a character box this many type sizes tall is no glyph's: the font's metrics are broken
BOX_LIMIT = 3.0


@dataclass(slots=True)
class _Measured:
    """A character whose box pdfium's font metrics may have got wrong, with its glyph's ink box
    and origin in PDF user space."""

    index: int  # in the chars list
    font: int  # the font's address
    loose: float  # height of the metrics box
    ink: tuple[float, float, float, float]  # left, bottom, right, top
    origin: tuple[float, float]
    upright: bool


#: how far above its baseline a glyph's ink reaches, in ems: capitals, digits and ascenders
#: (0.66-0.73 in common faces), CJK ideographs, and lowercase letters of x-height (0.42-0.55:
#: told only when a font shows no taller letter)
TALL = dict.fromkeys("ABCDEFGHIJKLMNOPRSTUVWXYZ0123456789bdfhkl", 0.7)
SHORT = dict.fromkeys("acemnorsuvwxzgpqy", 0.5)
CJK_TOP = 0.8
ASCENT, DESCENT = 0.9, 0.22  # a metrics box, in ems


def _ink_em(chars: list[Char], group: list[_Measured]) -> float:
    """A font's type size read off its glyphs' ink: how far each letter reaches above its
    baseline, against how far that letter reaches in a typical face (median over the page)."""
    tall: list[float] = []
    short: list[float] = []
    for m in group:
        ch = chars[m.index].text
        rise = m.ink[3] - m.origin[1]
        if rise <= 0:
            continue
        if ch in TALL or (is_cjk(ch) and ch.isalpha()):  # ideographs, kana, hangul
            tall.append(rise / (TALL.get(ch) or CJK_TOP))
        elif ch in SHORT:
            short.append(rise / SHORT[ch])
    ems = sorted(tall or short)
    return ems[len(ems) // 2] if ems else 0.0


def _remeasure(
    chars: list[Char], measured: list[_Measured], point: Callable[[float, float], tuple[float, float]]
) -> None:
    """Size and box for the characters of a font whose metrics are no use. A Type 3 font reports
    a type size of 0.1 and puts its scale in its font matrix; one whose matrix flips its ascent
    gives boxes 100 points tall. Such a font's size is read off its glyphs' ink (``_ink_em``),
    or is the size it reports when no letter tells, and each of its characters gets a metrics
    box of that size on its baseline."""
    by_font: dict[int, list[_Measured]] = {}
    for m in measured:
        if m.upright:
            by_font.setdefault(m.font, []).append(m)
    for group in by_font.values():
        size = chars[group[0].index].size
        em = _ink_em(chars, group) or size
        loose = sorted(m.loose for m in group)[len(group) // 2]
        # a box taller than the glyphs' size is broken; a type size below 0.5 is no size (a box
        # that fits the ink while the size is off is left to the fragments' own size check)
        if em <= 0.5 or (size >= 0.5 and loose <= BOX_LIMIT * em):
            continue
        for m in group:
            c = chars[m.index]
            ox, oy = m.origin
            left, right = min(m.ink[0], ox), max(m.ink[2], ox)
            if right - left > BOX_LIMIT * em:  # the ink box is as broken: half an em from the origin
                left, right = ox, ox + em / 2
            xa, ya = point(left, oy - DESCENT * em)
            xb, yb = point(right, oy + ASCENT * em)
            c.y0, c.y1 = min(ya, yb), max(ya, yb)
            if c.x1 - c.x0 > BOX_LIMIT * em:  # the advance was measured on the same metrics
                c.x0, c.x1 = min(xa, xb), max(xa, xb)
            c.size = round(em, 2)


def extract_chars(textpage: pdfium.PdfTextPage, tf: Transform) -> tuple[list[Char], int, int]:
    """Characters in content-stream order (generated spaces dropped); returns (chars,
    invisible count, unmapped count)."""
    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    chars: list[Char] = []
    style_cache: dict[int | None, tuple[str, bool, bool, bool, float, int, int, bool]] = {}
    measured: list[_Measured] = []
    ink = [ctypes.c_double() for _ in range(4)]
    ink_refs = [ctypes.byref(v) for v in ink]
    mat = pdfium_c.FS_MATRIX()
    buf = ctypes.create_string_buffer(256)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    invisible = unmapped = 0
    point = tf.point
    turn = tf.rotation
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    map_error, loose_box = pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_GetLooseCharBox
    char_origin = pdfium_c.FPDFText_GetCharOrigin
    rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    paired = -1  # index of a low surrogate already folded into the previous character
    for i in range(n):
        if i == paired:
            continue
        cp = get_unicode(tp, i)
        if 0xD800 <= cp <= 0xDBFF and i + 1 < n:  # pdfium returns UTF-16 units: pair them up
            nxt = get_unicode(tp, i + 1)
            if 0xDC00 <= nxt <= 0xDFFF:
                cp, paired = 0x10000 + ((cp - 0xD800) << 10) + (nxt - 0xDC00), i + 1
        if 0xD800 <= cp <= 0xDFFF:  # a lone surrogate is no character
            unmapped += 1
            continue
        if cp in (0x0D, 0x0A):
            if is_generated(tp, i) == 1 or not pdfium_c.FPDFText_GetTextObject(tp, i):
                continue  # pdfium's own line break
            cp = 0xFFFD  # a glyph whose code is a line break: a font without a map ("c" as 13)
        elif cp != 0x02 and is_generated(tp, i) == 1:
            continue
        if cp == 0x02:  # pdfium's mark for a hyphen that ends a line
            cp = 0x2D
        key = _text_object_address(tp, i)
        st = style_cache.get(key)
        if st is None:
            obj = pdfium_c.FPDFText_GetTextObject(tp, i)
            name, flags = _font_info(tp, i, buf)
            weight = pdfium_c.FPDFText_GetFontWeight(tp, i)
            bold, italic = _style(name, flags, weight)
            hidden = bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == INVISIBLE
            scale, rot = 1.0, 0
            if obj and pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(mat)):
                scale = (mat.c * mat.c + mat.d * mat.d) ** 0.5 or 1.0
                rot = round(math.degrees(math.atan2(mat.b, mat.a))) % 360
            else:
                rot = round(pdfium_c.FPDFText_GetCharAngle(tp, i) * 57.29578) % 360
            # one text object has one font and size: read them once per object
            size = round(pdfium_c.FPDFText_GetFontSize(tp, i) * scale, 2)
            font = (ctypes.cast(pdfium_c.FPDFTextObj_GetFont(obj), ctypes.c_void_p).value or 0) if obj else 0
            st = (name, bold, italic, hidden, size, (rot - turn) % 360, font, rot % 360 == 0)
            style_cache[key] = st
        name, bold, italic, hidden, size, angle, font, upright = st
        if hidden:
            invisible += 1
        bad = map_error(tp, i) == 1 or cp == 0xFFFD or 0xE000 <= cp <= 0xF8FF
        symbol = symbol_char(cp, name)
        if bad and symbol is None:
            unmapped += 1
        if symbol is not None:  # a symbol font's bullet or arrow
            text, bad = symbol, False
        elif cp == 0x20 or cp == 0xA0 or cp == 0x09:
            text = " "
        else:
            try:
                text = chr(cp)
            except ValueError:
                continue
        loose_box(tp, i, rect_ref)
        xa, ya = point(rect.left, rect.bottom)
        xb, yb = point(rect.right, rect.top)
        char_origin(tp, i, ox_ref, oy_ref)
        _, base = point(ox.value, oy.value)
        loose = abs(rect.top - rect.bottom)
        if size < 0.5 or loose > BOX_LIMIT * size:  # the font's metrics may be broken: keep its ink
            pdfium_c.FPDFText_GetCharBox(tp, i, *ink_refs)  # left, right, bottom, top
            measured.append(_Measured(len(chars), font, loose, (ink[0].value, ink[2].value, ink[1].value, ink[3].value),
                                      (ox.value, oy.value), upright))
        chars.append(
            Char(text, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), size=size, font=name,
                 bold=bold, italic=italic, baseline=base, angle=angle, unmapped=bad)
        )
    if measured:
        _remeasure(chars, measured, point)
    return chars, invisible, unmapped


#: a filled path this tall (pt), curved or no wider than tall, may be a glyph drawn as an outline
GLYPH_HEIGHT = (3.0, 96.0)


def _path_rules(
    obj: pdfium.PdfObject, tf: Transform, rules: list[Rule], rects: list[BBox], drawn: list[BBox] | None = None
) -> None:
    raw = obj.raw
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    if not fill.value and not stroke.value:
        return
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(m)):
        m.a, m.b, m.c, m.d, m.e, m.f = 1, 0, 0, 1, 0, 0
    n = pdfium_c.FPDFPath_CountSegments(raw)
    px, py = ctypes.c_float(), ctypes.c_float()
    pts: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    closed_pts = 0
    curves = 0
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py))
        x = m.a * px.value + m.c * py.value + m.e
        y = m.b * px.value + m.d * py.value + m.f
        p = tf.point(x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            curves += 1
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = p
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and pts:
            _add_segment(pts[-1], p, rules)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(p, start, rules)
            closed_pts += 1
        pts.append(p)
    if not (fill.value and pts):
        return
    box = BBox(min(q[0] for q in pts), min(q[1] for q in pts), max(q[0] for q in pts), max(q[1] for q in pts))
    if len(pts) in (4, 5) and closed_pts and box.width > 1 and box.height > 1:
        rects.append(box)
    if drawn is not None and GLYPH_HEIGHT[0] <= box.height <= GLYPH_HEIGHT[1] and (curves or box.width <= box.height):
        drawn.append(box)  # a glyph outline (curved, or a stem: "l", "k"), or a shape: the OCR stage decides


def _add_segment(a: tuple[float, float], b: tuple[float, float], rules: list[Rule]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) < 1.0 and abs(x1 - x0) >= 2.0:
        rules.append(Rule(min(x0, x1), (y0 + y1) / 2, max(x0, x1), (y0 + y1) / 2))
    elif abs(x0 - x1) < 1.0 and abs(y1 - y0) >= 2.0:
        rules.append(Rule((x0 + x1) / 2, min(y0, y1), (x0 + x1) / 2, max(y0, y1)))


def extract_graphics(
    page: pdfium.PdfPage,
    tf: Transform,
    number: int,
    assets: AssetStore | None,
    drawn: list[BBox] | None = None,
) -> tuple[list[Rule], list[BBox], list[RawImage]]:
    """Rules, filled rectangles and pictures of a page; filled curved paths of glyph height go
    to ``drawn`` when it is given (text drawn as outlines)."""
    rules: list[Rule] = []
    rects: list[BBox] = []
    images: list[RawImage] = []
    paths = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE)):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths <= MAX_PATH_OBJECTS:
                _path_rules(obj, tf, rules, rects, drawn)
            continue
        left, bottom, right, top = obj.get_bounds()
        box = tf.box(left, bottom, right, top)
        if box.width < MIN_IMAGE_SIDE or box.height < MIN_IMAGE_SIDE:
            continue
        save = None if assets is None else partial(_save_image, obj, number, len(images) + 1, assets)
        images.append(RawImage(box, save=save))
    if paths > MAX_PATH_OBJECTS:
        log.info("page %d: %d vector paths, only the first %d read", number, paths, MAX_PATH_OBJECTS)
    return rules, rects, images


def _save_image(obj: pdfium.PdfObject, number: int, idx: int, assets: AssetStore) -> ImageRef | None:
    assert isinstance(obj, pdfium.PdfImage)
    try:
        pil = obj.get_bitmap(render=False).to_pil()
    except (pdfium.PdfiumError, ValueError, OSError) as exc:
        log.info("page %d: image %d not extracted: %s", number, idx, exc)
        return None
    if pil.mode not in ("RGB", "L", "RGBA"):
        pil = pil.convert("RGB")
    buf = io.BytesIO()
    pil.save(buf, format="PNG", optimize=False, compress_level=1)
    return assets.put(f"p{number}_img{idx}.png", buf.getvalue(), "image/png", pil.width, pil.height)


def renderer(page: pdfium.PdfPage, turn: int = 0) -> Callable[[float], object]:
    """Renders the displayed page, turned a further ``turn`` degrees clockwise."""

    def render(dpi: float) -> object:
        return page.render(scale=dpi / 72.0, rotation=turn).to_pil()

    return render
