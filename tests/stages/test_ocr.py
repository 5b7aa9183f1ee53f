"""OcrStage: which pages are OCR'd, orientation, skew, layout from OCR lines, failure isolation."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from golden import DATA, assert_golden
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from textimages import chart_page, text_image

import docrecon
from docrecon.errors import ParseFailed
from docrecon.model import BlockType, Origin, Page
from docrecon.ocr import FakeOcr, OcrLine, get_engine, set_engine
from docrecon.options import OcrMode, ParseOptions

W, H = A4
PAGE_LINES = [
    "Quarterly Report",
    "Revenue grew in every region this year.",
    "The board approved the new budget plan.",
    "季度报告显示各地区收入均有增长。",
    "Costs stayed flat compared to last year.",
]


@pytest.fixture(scope="session", autouse=True)
def ocr_engine() -> None:
    get_engine().load()  # type: ignore[attr-defined]


def _scan(lines: list[str] | None = None) -> Image.Image:
    return text_image(PAGE_LINES if lines is None else lines, size=30, width=760, title=lines is None)


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _pdf(pages: list[str | Image.Image], invisible_text: str | None = None) -> bytes:
    """One page per item: a string is drawn as born-digital text, an image as a full-page scan."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for item in pages:
        if isinstance(item, str):
            c.setFont("Helvetica", 12)
            for i, line in enumerate(item.split("\n")):
                c.drawString(72, H - 72 - 16 * i, line)
        else:
            scale = min((W - 72) / item.width, (H - 72) / item.height)
            w, h = item.width * scale, item.height * scale
            c.drawImage(ImageReader(item), 36, H - 36 - h, width=w, height=h)
            if invisible_text:
                t = c.beginText(72, H - 100)
                t.setTextRenderMode(3)
                t.setFont("Helvetica", 12)
                t.textLine(invisible_text)
                c.drawText(t)
        c.showPage()
    c.save()
    return buf.getvalue()


def _text(page: Page) -> str:
    return "\n".join(b.text for b in page.blocks)


def test_image_lines_become_blocks_with_ocr_origin() -> None:
    doc = docrecon.parse(_png(_scan()), name="scan.png")
    page = doc.pages[0]
    assert page.ocr and page.angle == 0
    assert all(b.origin is Origin.OCR and 0.5 <= b.confidence <= 1.0 for b in page.blocks)
    text = _text(page)
    for line in PAGE_LINES:
        assert line.rstrip("。.") in text, text
    assert page.blocks[0].text == "Quarterly Report"


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_pages_are_turned_upright(angle: int) -> None:
    im = _scan()
    doc = docrecon.parse(_png(im.rotate(angle, expand=True)), name="turned.png")
    page = doc.pages[0]
    assert page.angle == angle
    assert (page.width, page.height) == im.size
    assert "Revenue grew in every region" in _text(page)
    assert page.blocks[0].text == "Quarterly Report"


def test_skew_of_a_few_degrees_keeps_lines_apart() -> None:
    im = _scan().rotate(3, expand=True, fillcolor="white", resample=Image.Resampling.BICUBIC)
    text = _text(docrecon.parse(_png(im), name="skew.png").pages[0])
    assert "Revenue grew in every region this year" in text
    assert "The board approved the new budget plan" in text


def test_pdf_pages_are_decided_one_by_one() -> None:
    data = _pdf(["Born digital page with a real text layer.", _scan(), "Another digital page."])
    doc = docrecon.parse(data, name="mixed.pdf")
    assert [p.ocr for p in doc.pages] == [False, True, False]
    assert "Born digital page" in _text(doc.pages[0])
    scanned = doc.pages[1]
    assert "Revenue grew in every region" in _text(scanned)
    assert all(b.type is not BlockType.FIGURE for b in scanned.blocks)  # the scan itself is no figure
    assert all(b.origin is Origin.OCR for b in scanned.blocks)


def test_invisible_text_layer_is_replaced_by_ocr() -> None:
    data = _pdf([_scan()], invisible_text="stale hidden words nobody can see")
    page = docrecon.parse(data, name="hidden.pdf").pages[0]
    assert page.ocr
    assert "stale hidden" not in _text(page)
    assert "Revenue grew" in _text(page)


def test_ocr_modes() -> None:
    data = _pdf(["Born digital page with a real text layer."])
    forced = docrecon.parse(data, name="a.pdf", options=ParseOptions(ocr=OcrMode.FORCE)).pages[0]
    assert forced.ocr and "Born digital page" in _text(forced)
    scan = _pdf([_scan()])
    off_doc = docrecon.parse(scan, name="b.pdf", options=ParseOptions(ocr=OcrMode.OFF))
    off = off_doc.pages[0]
    assert not off.ocr and "Revenue" not in _text(off)
    # without OCR the scan stays a picture, stored when the layout makes it a figure
    [figure] = [b for b in off.blocks if b.type is BlockType.FIGURE]
    assert figure.image is not None and off_doc.assets.keys() == [figure.image.key] == ["p1_img1.png"]
    auto_doc = docrecon.parse(scan, name="b.pdf")
    assert auto_doc.pages[0].ocr and auto_doc.assets.keys() == []  # OCR replaced the scan: never encoded


def test_golden_scan(tmp_path: Path) -> None:
    """On onnxruntime, which every CPU has: the bfloat16 OpenVINO detector moves boxes by ~1 px."""
    from docrecon.ocr.rapid import RapidOcrEngine

    src = DATA / "image" / "scan.png"
    old = set_engine(RapidOcrEngine(backend="onnxruntime"))
    try:
        doc = docrecon.parse(src)
    finally:
        set_engine(old)
    assert_golden(doc, DATA / "image" / "scan")


@pytest.fixture
def fake_engine() -> Iterator[FakeOcr]:
    line = OcrLine("Fake line of text", ((10, 10), (300, 10), (300, 40), (10, 40)), 0.9)
    fake = FakeOcr(lines=[line], width=520, height=150, fail_on={2})
    old = set_engine(fake)
    yield fake
    set_engine(old)


def _tiff(n: int) -> bytes:
    frames = [text_image([f"page {i}"]) for i in range(n)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def test_a_failing_page_fails_alone(fake_engine: FakeOcr) -> None:
    doc = docrecon.parse(_tiff(3), name="three.tiff")
    assert [p.failed for p in doc.pages] == [False, True, False]
    assert [f.number for f in doc.failed_pages] == [2]
    assert "OCR of page 2 failed" in doc.failed_pages[0].error
    assert "Fake line of text" in _text(doc.pages[2])


def test_failed_page_fails_the_document_when_asked(fake_engine: FakeOcr) -> None:
    with pytest.raises(ParseFailed, match="page 2"):
        docrecon.parse(_tiff(3), name="three.tiff", options=ParseOptions(ignore_failed_pages=False))


def test_later_stages_see_the_turned_page() -> None:
    from docrecon.model import MemoryAssets, RawPage
    from docrecon.stages.base import StageContext
    from docrecon.stages.ocr import OcrStage

    im = _scan()
    turned = im.rotate(90, expand=True)
    page = Page(1, float(turned.width), float(turned.height), raw=RawPage(render=lambda _dpi: turned))
    OcrStage()(page, StageContext(opts=ParseOptions(), assets=MemoryAssets()))
    assert page.ocr and page.angle == 90
    assert page.raw is not None and page.raw.render is not None
    assert page.raw.render(72.0).size == im.size == (page.width, page.height)
    assert any(ln.text == "Quarterly Report" for ln in page.raw.lines)


def _inked(_dpi: float) -> Image.Image:
    im = Image.new("RGB", (60, 80), "white")
    im.paste((0, 0, 0), (10, 10, 40, 14))
    return im


def _page_with(chars: list[str], suspect: bool = False, scan: bool = False, blank: bool = False) -> Page:
    from docrecon.model import BBox, Char, RawImage, RawPage

    raw = RawPage(
        chars=[Char(t, 10 + 6 * i, 10, 16 + 6 * i, 20) for i, t in enumerate(chars)],
        images=[RawImage(BBox(0, 0, 600, 800), None)] if scan else [],
        render=(lambda _dpi: Image.new("RGB", (60, 80), "white")) if blank else _inked,
        text_layer_suspect=suspect,
    )
    return Page(1, 600, 800, raw=raw, px_per_unit=2.0)


def test_which_pdf_pages_need_ocr() -> None:
    from docrecon.stages.ocr import needs_ocr

    auto = OcrMode.AUTO
    assert not needs_ocr(_page_with(list("A real text layer with words")), auto)
    assert needs_ocr(_page_with([]), auto)  # no text at all
    assert not needs_ocr(_page_with([], blank=True), auto)  # no text and no ink: nothing to read
    assert needs_ocr(_page_with(list("hidden"), suspect=True), auto)  # invisible / unmapped glyphs
    assert needs_ocr(_page_with(["\ue001"] * 20 + list("ok")), auto)  # private-use garbage
    assert needs_ocr(_page_with(list("Scan 12"), scan=True), auto)  # a stamp on a scan
    assert not needs_ocr(_page_with(list("x" * 60), scan=True), auto)  # text over a background
    assert needs_ocr(_page_with(list("text")), OcrMode.FORCE)
    assert not needs_ocr(_page_with([]), OcrMode.OFF)
    office = _page_with([])
    office.structured = True
    assert not needs_ocr(office, auto)


def test_scanned_pdf_page_lying_on_its_side() -> None:
    im = _scan()
    page = docrecon.parse(_pdf([im.rotate(270, expand=True)]), name="side.pdf").pages[0]
    assert page.ocr and page.angle == 270
    assert page.width > page.height  # A4 portrait turned: the text runs along the long side
    assert page.blocks[0].text == "Quarterly Report"
    assert "Costs stayed flat" in _text(page)


def test_figures_on_scanned_pages_stay_figures() -> None:
    doc = docrecon.parse(_pdf([chart_page()]), name="chart.pdf")
    page = doc.pages[0]
    kinds = [b.type for b in page.blocks]
    assert kinds.count(BlockType.FIGURE) == 1, kinds
    figure = next(b for b in page.blocks if b.type is BlockType.FIGURE)
    assert figure.image is not None and doc.assets.keys() == [figure.image.key]  # the scan is never stored
    assert "Q3" in figure.text  # the chart's labels are the figure's text, not paragraphs
    body = "\n".join(b.text for b in page.blocks if b.type is not BlockType.FIGURE)
    assert "Figure 1: Revenue by quarter" in body and "Q3" not in body
    assert "The board approved the new budget plan" in body
    png = doc.assets.get(figure.image.key)
    assert Image.open(io.BytesIO(png)).size == (figure.image.width, figure.image.height)


def test_blank_pdf_page_is_not_ocrd() -> None:
    """A page with no text layer and no ink has nothing to recognise: no OCR run."""
    import io

    from reportlab.pdfgen import canvas

    import docrecon

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "First page with text on it.")
    c.showPage()
    c.showPage()  # blank
    c.save()
    doc = docrecon.parse(buf.getvalue())
    assert [p.ocr for p in doc.pages] == [False, False]
    assert not doc.failed_pages


def test_a_page_sized_picture_without_text_stays_a_figure() -> None:
    """A photo or drawing filling the page, in which OCR reads nothing, is the page's content."""
    import numpy as np

    rng = np.random.default_rng(7)
    shades = (np.add.outer(np.arange(600), np.arange(420)) % 256).astype("uint8")
    noise = rng.integers(0, 24, size=shades.shape, dtype="uint8")
    photo = Image.fromarray(np.stack([shades, 255 - shades, shades // 2 + noise], axis=-1), "RGB")
    doc = docrecon.parse(_pdf([photo]), name="photo.pdf")
    figures = [b for b in doc.pages[0].blocks if b.type is BlockType.FIGURE]
    assert len(figures) == 1 and figures[0].image is not None
    assert "![](" in docrecon.render_markdown(doc)


def test_scanned_lines_of_one_size_are_not_headings() -> None:
    """Lines set close together in one font: the crops of some hold bits of their neighbours,
    and lines without descenders have shorter ink than lines with them. Neither is a size
    change, so only the title (half again as large) is a heading."""
    from textimages import font

    lines = ["9 North Buona Vista Drive", "Singapore 138588", "The Metropolis Tower 1", "Delmas SAS",
             "Quay Gardens, Apt 7", "13002 Marseille", "France", "Suite 300 Scottsdale", "Beijing 100031",
             "Holding CMA CGM", "Las Condes 7550097", "Santiago, Chile"]
    size = 30
    im = Image.new("RGB", (900, 140 + round(len(lines) * size * 1.12)), "white")
    draw = ImageDraw.Draw(im)
    draw.text((40, 30), "Members of the Council", font=font(round(size * 1.6)), fill="black")
    y = 40 + round(size * 2.2)
    for line in lines:
        draw.text((40, y), line, font=font(size), fill="black")
        y += round(size * 1.12)  # tight leading: descenders nearly touch the next line's capitals
    page = docrecon.parse(_png(im), name="addresses.png").pages[0]
    heads = [b.text for b in page.blocks if b.type in (BlockType.TITLE, BlockType.HEADING)]
    assert heads == ["Members of the Council"], [(b.type.value, b.font_size, b.text) for b in page.blocks]


def test_a_failing_figure_detector_costs_the_crops_not_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout model running out of memory (seen: ``std::bad_alloc`` near the address-space
    limit) leaves the page its OCR text and a warning, not the plain-text fallback."""
    from docrecon.ocr import figures
    from docrecon.stages import ocr as ocr_stage

    model = figures.get_layout()
    assert model is not None

    def fail(image: object) -> list[figures.Region]:
        raise RuntimeError("[ONNXRuntimeError] : 1 : FAIL : std::bad_alloc")

    monkeypatch.setattr(model, "regions", fail)
    monkeypatch.setattr(ocr_stage, "get_layout", lambda: model)
    doc = docrecon.parse(_pdf([chart_page()]), name="chart.pdf")
    body = "\n".join(b.text for b in doc.pages[0].blocks)
    assert "The board approved the new budget plan" in body
    assert not any(b.type is BlockType.FIGURE for b in doc.pages[0].blocks)
    assert any("figure detection failed (RuntimeError)" in w for w in doc.warnings), doc.warnings
    assert not any("stage failed" in w for w in doc.warnings)


def _slide(words: list[str], typed_text: str) -> bytes:
    """A born-digital slide: a typed title in the text layer, the rest a picture of text."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(720, 405), invariant=1)
    c.setFont("Helvetica-Bold", 24)
    c.drawString(40, 360, typed_text)
    picture = text_image(words, size=26, width=600, margin=20)
    c.drawImage(ImageReader(picture), 60, 40, width=600, height=600 * picture.height / picture.width)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_words_inside_the_pictures_of_a_mixed_page_are_read() -> None:
    """A slide whose body is a picture of text (its title alone typed) gives the picture's
    words as its text; with OCR off, or on a page of running text, pictures are not read."""
    words = ["Telephone consult with a physician", "Second opinion from a specialist"]
    doc = docrecon.parse(_slide(words, "What can we do"), name="slide.pdf")
    md = docrecon.render_markdown(doc)
    assert "What can we do" in md
    assert "Telephone consult with a physician" in md and "Second opinion" in md, md
    assert any("read by OCR" in w for w in doc.warnings)
    off = docrecon.render_markdown(docrecon.parse(_slide(words, "What can we do"), ParseOptions(ocr=OcrMode.OFF)))
    assert "Telephone consult" not in off


def test_pictures_on_pages_of_running_text_are_not_read() -> None:
    """A paper's figure illustrates text that is already there: no OCR on such pages."""
    from pdfgen import two_column_pdf

    doc = docrecon.parse(two_column_pdf(), name="paper.pdf")
    assert not any("read by OCR" in w for w in doc.warnings)
    assert not any(p.ocr for p in doc.pages)


def _outlined_title_pdf(tmp_path: Path) -> bytes:
    """A page with a typed body and a title drawn as glyph outlines (filled curved paths), as
    design tools export it: the title has no text layer. Ghostscript turns the typed title of
    a generated page into outlines (``-dNoOutputFonts``); pdfium then types the body onto it."""
    import ctypes
    import subprocess

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 30)
    c.drawString(72, 760, "Quarterly Outlook")
    c.showPage()
    c.save()
    (tmp_path / "title.pdf").write_bytes(buf.getvalue())
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNoOutputFonts", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={tmp_path / 'outlined.pdf'}", str(tmp_path / "title.pdf")], check=True, timeout=60)
    pdf = pdfium.PdfDocument(str(tmp_path / "outlined.pdf"))
    page = pdf[0]
    body = ["Document parsing turns pages into structured text that retrieval systems can index.",
            "Each paragraph here is long enough to wrap over several lines in a narrow column,",
            "so that the layout stages have real work to do when they rebuild the reading order."]
    for k, line in enumerate(body):
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(10))
        text = (line + "\x00").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(text), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 700 - 14 * k)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_title_drawn_as_outlines_is_read(tmp_path: Path) -> None:
    """The outlined title is read (recogniser only, on the chained outline boxes); the typed
    body stays the text layer's."""
    doc = docrecon.parse(_outlined_title_pdf(tmp_path), name="outlined.pdf")
    md = docrecon.render_markdown(doc)
    assert "Quarterly Outlook" in md, md[:300]
    assert "Document parsing turns pages" in md
    assert not doc.pages[0].ocr
    assert any("drawn as outlines" in w for w in doc.warnings)


def test_a_page_of_many_drawn_shapes_is_a_drawing_not_outlined_text() -> None:
    """A scatter plot of thousands of filled dots (each of glyph height) beside typed text:
    more shapes than ``MAX_DRAWN`` make it a drawing, and nothing is read from them."""
    import random

    from docrecon.stages.drawn_text import MAX_DRAWN

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(40, 800, "Scatter of the measurements, one dot per sample.")
    rnd = random.Random(1)
    for _ in range(MAX_DRAWN + 200):
        c.circle(rnd.uniform(30, 560), rnd.uniform(30, 760), 3, stroke=0, fill=1)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), name="scatter.pdf")
    assert not any("drawn as outlines" in w for w in doc.warnings)
    assert [b.text for b in doc.pages[0].blocks if b.text] == ["Scatter of the measurements, one dot per sample."]


def test_a_scan_cut_into_strips_is_read_as_one_page() -> None:
    """A scan stored as a stack of thin picture strips across the whole sheet (as some scanners
    write it), cut through the lines, with no text layer: its words are the page's text, and
    neither the strips that hold them nor the blank ones come out as pictures."""
    lines = ["The quarterly report was filed", "on time by the regional office", "and approved in March",
             "after a short review by the board"]
    scan = text_image(lines, size=30, width=760, margin=60)
    sheet = (760.0, scan.height * 1.0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=sheet, invariant=1)
    band = 30  # pixels = points: thinner than a line (48), so every line is cut
    for k in range(0, scan.height, band):
        strip = scan.crop((0, k, scan.width, min(scan.height, k + band)))
        c.drawImage(ImageReader(strip), 0, sheet[1] - k - strip.height, width=scan.width, height=strip.height)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue())
    page = doc.pages[0]
    assert not [b for b in page.blocks if b.type is BlockType.FIGURE]
    text = " ".join(_text(page).split())
    assert "quarterly report was filed" in text and "after a short review by the board" in text
