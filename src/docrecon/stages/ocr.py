"""OCR of images and of PDF pages without a usable text layer, decided page by page.

A page is OCR'd when ``ParseOptions.ocr`` is FORCE, or (AUTO) when it is an image, or its text
layer is missing, invisible or garbage (unmapped glyphs, private-use or control characters),
or it holds almost no text over a page-sized picture (a scan with a stamp). Born-digital pages
are left alone. The recognised lines go to ``raw.lines`` (origin OCR, with confidences, in page
units) and the shared layout stages build paragraphs, columns and reading order from them.
The page-sized scan picture is dropped; smaller pictures stay figures, and lines drawn inside
them become the figure's text. A failing OCR engine fails only this page (ParseFailed).
"""

from __future__ import annotations

import io
import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from docrecon.errors import DocreconError, OcrUnavailable, ParseFailed
from docrecon.geometry.fragments import page_fragments
from docrecon.geometry.glyphs import unreadable
from docrecon.geometry.text import CAPTION
from docrecon.model import BBox, Char, Page, RawImage, RawPage
from docrecon.ocr import PageOcr, get_engine, read_page
from docrecon.ocr.crops import read_boxes
from docrecon.ocr.figures import figure_boxes, get_layout, ink_outside_text
from docrecon.options import OcrMode
from docrecon.stages.base import StageContext
from docrecon.stages.drawn_text import read_drawn_text
from docrecon.stages.ocr_lines import to_lines
from docrecon.stages.picture_text import mixed, read_pictures

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

#: PDF pages are rendered at least this sharp for OCR (the recogniser cost does not depend on it)
OCR_DPI = 200.0
#: pictures covering this share of the page are the scan itself, not figures
SCAN_AREA = 0.5
#: a scan cut into at least this many pictures holding text is a scan in strips
MIN_STRIPS = 3
#: a page-sized picture is a scan (and dropped) only when OCR read at least this much text in it
SCAN_MIN_TEXT = 20
#: a suspect text layer is kept when OCR of a sample of its lines (the longest ones) ...
CONFIRM_LINES = 12
#: ... read with at least this confidence, agrees on this share of letters and digits (both ways)
CONFIRM_CONFIDENCE = 0.6
CONFIRM_SHARE = 0.85
#: ... and the sample holds at least this many of them
CONFIRM_MIN = 20
#: ``StageContext.notes`` key: the OcrUnavailable a page failed with (see :func:`ocr_missing`)
OCR_MISSING = "ocr_unavailable"


def _garbage(c: Char) -> bool:
    o = ord(c.text[0]) if c.text else 0
    return c.unmapped or o == 0xFFFD or 0xE000 <= o <= 0xF8FF or o < 32


def _blank(render: Callable[[float], Image]) -> bool:
    """A page with no ink at all (checked on a 36 dpi thumbnail) has nothing to recognise."""
    lo, hi = render(36.0).convert("L").getextrema()
    assert isinstance(lo, int) and isinstance(hi, int)
    return hi - lo < 16


def needs_ocr(page: Page, mode: OcrMode) -> bool:
    """Whether the page must be OCR'd (see the module docstring)."""
    raw = page.raw
    if raw is None or raw.render is None or page.structured or mode is OcrMode.OFF:
        return False
    if mode is OcrMode.FORCE or raw.text_layer_suspect:
        return True
    visible = [c for c in raw.chars if c.text.strip()]
    if not visible:
        return not _blank(raw.render)
    if sum(_garbage(c) for c in visible) > 0.3 * len(visible):
        return True
    area = page.width * page.height
    covered = sum(im.bbox.area for im in raw.images)
    return len(visible) < 50 and area > 0 and covered > SCAN_AREA * area


def _drop_scans(raw: RawPage, page: Page) -> None:
    """Drop the scan itself: pictures covering most of the page or holding most of its text,
    when OCR read text from them, and the pieces of a scan cut into strips (the pictures with
    text in them, when together they hold most of it)."""
    area = page.width * page.height
    total = sum(len(ln.text) for ln in raw.lines)
    if total < SCAN_MIN_TEXT:
        return  # (almost) no text was read: the picture is the content (a photo, a drawing)
    inside = [sum(len(ln.text) for ln in raw.lines if im.bbox.contains_point(ln.bbox.cx, ln.bbox.cy, 1.0))
              for im in raw.images]
    # a scan cut into strips (one picture per line or band): together they hold the text, and
    # each strip that a read line overlaps is a piece of the scan
    small = [n for im, n in zip(raw.images, inside, strict=True) if n and im.bbox.area <= SCAN_AREA * area]
    strips = len(small) >= MIN_STRIPS and sum(small) > 0.5 * total
    touched = [any(im.bbox.intersection_area(ln.bbox) > 0.25 * max(ln.bbox.area, 1.0) for ln in raw.lines)
               for im in raw.images] if strips else [False] * len(raw.images)
    pieces = [im.bbox for im, t in zip(raw.images, touched, strict=True) if t]
    if pieces:  # the blank strips of the same cut (white bands between lines) go too
        touched = [t or any(abs(im.bbox.x0 - b.x0) < 2 and abs(im.bbox.x1 - b.x1) < 2 for b in pieces)
                   for im, t in zip(raw.images, touched, strict=True)]
    raw.images = [im for im, n, t in zip(raw.images, inside, touched, strict=True)
                  if not (im.bbox.area > SCAN_AREA * area or n > 0.5 * total or t)]


def _upright(render: Callable[[float], Image], angle: int) -> Callable[[float], Image]:
    """Later stages (tables) see the page the way the OCR lines are placed: turned upright."""

    def turned(dpi: float) -> Image:
        return render(dpi).rotate(-angle, expand=True)

    return turned


def _add_figures(page: Page, ctx: StageContext, result: PageOcr, scale: float) -> None:
    """Figure regions of the layout model, cropped from the upright image into the asset store."""
    from PIL import Image as PILImage

    raw = page.raw
    layout = get_layout()
    if raw is None or layout is None or not ctx.opts.extract_images:
        return
    texts = [ln.bbox for ln in result.lines]
    if not ink_outside_text(result.image, texts):
        return
    try:
        regions = layout.regions(result.image)
    except Exception as exc:  # noqa: BLE001 - figure crops are extra: the page's text stands without them
        log.warning("page %d: figure detection failed: %s", page.number, (str(exc).strip().splitlines() or [""])[-1])
        ctx.warnings.append(f"page {page.number}: figure detection failed ({type(exc).__name__}); "
                            "its pictures are not cropped")
        return
    captions = [ln.bbox for ln in result.lines if CAPTION.match(ln.text)]
    for i, box in enumerate(figure_boxes(regions, texts, result.width, result.height, captions), start=1):
        x0, y0, x1, y1 = (round(v) for v in (box.x0, box.y0, box.x1, box.y1))
        crop = PILImage.fromarray(result.image[y0:y1, x0:x1])
        buf = io.BytesIO()
        crop.save(buf, format="PNG", compress_level=3)
        ref = ctx.assets.put(f"p{page.number}_fig{i}.png", buf.getvalue(), "image/png", crop.width, crop.height)
        raw.images.append(RawImage(BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale), ref))


def ocr_dpi(width: float, height: float, dpi: float, max_pixels: int) -> float:
    """``dpi``, or the lower resolution at which a ``width`` x ``height`` pt page fits ``max_pixels``."""
    pixels = width * height * (dpi / 72.0) ** 2
    if pixels <= max_pixels or pixels <= 0:
        return dpi
    return dpi * math.sqrt(max_pixels / pixels)


def ocr_page(page: Page, ctx: StageContext) -> None:
    """Render, OCR and replace the page's text with OCR lines."""
    raw = page.raw
    assert raw is not None and raw.render is not None
    dpi = ocr_dpi(page.width, page.height, max(ctx.opts.render_dpi, OCR_DPI), ctx.opts.max_ocr_pixels)
    try:
        image = raw.render(dpi)
        result = read_page(image, get_engine())
    except ParseFailed as exc:
        raise ParseFailed(f"OCR of page {page.number} failed: {exc.message}") from exc
    except OcrUnavailable as exc:
        ctx.notes[OCR_MISSING] = exc
        raise
    except DocreconError:
        raise
    except (RuntimeError, ValueError, OSError, MemoryError) as exc:
        log.warning("OCR of page %d failed: %s", page.number, exc)
        raise ParseFailed(f"OCR of page {page.number} failed: {type(exc).__name__}: {exc}") from exc
    readable = [c for c in raw.chars if c.text.strip() and not unreadable(c.text)]
    if not any(ln.text.strip() for ln in result.lines) and readable and ctx.opts.ocr is OcrMode.AUTO \
            and 2 * len(readable) >= sum(1 for c in raw.chars if c.text.strip()):
        # nothing legible on the rendered page (glyphs that draw blank): the text layer is all
        # there is, and it reads as text
        ctx.warnings.append(f"page {page.number}: OCR found no text on the rendered page; text layer kept")
        return
    img_w = result.height if result.angle in (90, 270) else result.width
    scale = page.width / img_w if img_w else 1.0
    if result.angle in (90, 270):
        page.width, page.height = page.height, page.width
    if result.angle:
        raw.images = []  # picture boxes were found in the unrotated frame
        raw.render = _upright(raw.render, result.angle)
    raw.chars = []
    raw.lines = to_lines(result, scale)
    try:
        _add_figures(page, ctx, result, scale)
    except (RuntimeError, ValueError, OSError) as exc:  # figures are a bonus: the text stands
        log.warning("figure detection on page %d failed: %s", page.number, exc)
        ctx.warnings.append(f"page {page.number}: figures not detected ({exc})")
    _drop_scans(raw, page)
    page.ocr = True
    page.angle = result.angle


def _letters(text: str) -> Counter[str]:
    return Counter(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def layer_confirmed(page: Page) -> bool:
    """Whether a text layer that looks suspect for glyphs without a Unicode map (Type 3 fonts
    with glyph names, fonts without ToUnicode) is right after all: the recogniser, given the
    boxes of a sample of its lines (no page detection), reads the same letters and digits.
    Mojibake or a wrong custom encoding shares almost no letters with what OCR reads. An
    invisible layer over a scan is not asked: its glyphs are mapped."""
    raw = page.raw
    if raw is None or raw.render is None:
        return False
    visible = [c for c in raw.chars if c.text.strip()]
    flagged = [c for c in visible if c.unmapped and not unreadable(c.text)]
    if not visible or len(flagged) <= 0.3 * len(visible):
        return False
    lines = [ln for ln in page_fragments(raw)
             if any(c.unmapped for c in ln.chars) and not any(unreadable(c.text) for c in ln.chars)]
    sample = sorted(lines, key=lambda ln: -len(ln.text))[:CONFIRM_LINES]
    read = read_boxes(raw.render, [ln.bbox for ln in sample], CONFIRM_CONFIDENCE)
    layer = _letters(" ".join(sample[k].text for k in read))
    seen = _letters(" ".join(read.values()))
    n_layer, n_seen = sum(layer.values()), sum(seen.values())
    if n_layer < CONFIRM_MIN or n_seen < CONFIRM_MIN:
        return False
    common = sum((layer & seen).values())
    return common >= CONFIRM_SHARE * n_seen and common >= CONFIRM_SHARE * n_layer


def ocr_missing(ctx: StageContext) -> OcrUnavailable | None:
    """The OcrUnavailable a page of this document failed with, if any: when the document fails
    as a whole, that is its error (503, install the OCR extra), not a generic ParseFailed."""
    exc = ctx.notes.get(OCR_MISSING)
    return exc if isinstance(exc, OcrUnavailable) else None


class OcrStage:
    name = "ocr"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        if not needs_ocr(page, ctx.opts.ocr):
            if mixed(page, ctx.opts.ocr):
                read_pictures(page, ctx, ocr_dpi(page.width, page.height, OCR_DPI, ctx.opts.max_ocr_pixels))
            read_drawn_text(page, ctx)
            return
        if ctx.opts.ocr is OcrMode.AUTO and page.raw is not None and layer_confirmed(page):
            for c in page.raw.chars:
                c.unmapped = False
            ctx.warnings.append(f"page {page.number}: text layer without a Unicode map, confirmed by OCR")
            return
        ocr_page(page, ctx)
