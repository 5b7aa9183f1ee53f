"""OCR speed and accuracy on a full A4 page (English and Chinese), rendered at 150 and 200 dpi.

    .venv/bin/python bench/bench_ocr.py [--dpi 150 200] [--runs 3] [--scan] [--pages 4]
        [--lang mixed|en|zh] [--ort] [--no-peer]

For each DPI: a page of an 18 pt title and 34 lines of 11 pt text (Pillow, DejaVu Serif and
Noto Sans CJK, 1 inch margins; ``--lang``: English and Chinese mixed, en or zh only),
optionally made to look scanned (--scan: 0.8 degree rotation, blur, noise, JPEG 60). It is
parsed with ``docrecon.parse`` (image reader + OCR + layout) after one warm-up, and the best
and median wall time, CPU time and the character error rate (CER, whitespace removed) are
printed. ``--pages N`` also times an N-page scanned PDF (s/page).

In the same run, the same page goes through a peer: RapidOCR with its defaults (``RapidOCR()``,
same bundled models, onnxruntime; the image only, no layout stages), and the ratio of the best
wall times is printed (docrecon / peer; under 1 is faster). ``--ort`` adds docrecon on its
onnxruntime backend (what runs where OpenVINO or bfloat16 is missing). ``--no-peer`` skips the
peer. Load from other processes inflates wall time: compare CPU time too, and the ratio.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import unicodedata

from PIL import Image, ImageDraw, ImageFilter, ImageFont

import docrecon
from docrecon.renderers import render_document

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
EN = (
    "Optical character recognition turns scanned pages into text that search engines can index, "
    "and a document parser must keep paragraphs, headings and tables in their reading order. "
    "Each page is decided on its own: born-digital pages keep their text layer while scans are "
    "rendered and read line by line, with the orientation fixed before recognition starts. "
)
ZH = "光学字符识别将扫描页面转换为可编辑的文本，文档解析需要保留段落、标题与表格的阅读顺序，并且逐页判断是否需要识别。"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    tokens = text.split(" ") if " " in text else list(text)
    sep = " " if " " in text else ""
    for tok in tokens:
        trial = f"{cur}{sep}{tok}" if cur else tok
        if font.getlength(trial) > width and cur:
            lines.append(cur)
            cur = tok
        else:
            cur = trial
    return [*lines, cur] if cur else lines


def make_page(dpi: int, scan: bool = False, lang: str = "mixed") -> tuple[Image.Image, str]:
    """An A4 page image and its text; ``lang``: mixed (9 English lines, then 3 Chinese), en or zh."""
    px = lambda pt: round(pt * dpi / 72)  # noqa: E731
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    en, zh = ImageFont.truetype(SERIF, px(11)), ImageFont.truetype(CJK, px(11))
    title = {"en": "Document Parsing Report", "zh": "文档解析报告"}.get(lang, "Document Parsing Report 文档解析报告")
    d.text((px(72), px(72)), title, font=ImageFont.truetype(CJK_BOLD, px(18)), fill=0)
    y, body = px(72) + px(34), [title]
    text_w = w - 2 * px(72)
    para = {"en": _wrap(EN * 12, en, text_w), "zh": _wrap(ZH * 30, zh, text_w)}.get(
        lang, _wrap(EN * 3, en, text_w)[:9] + _wrap(ZH * 3, zh, text_w)[:3])
    lines = (para * 3)[:34]
    for line in lines:
        d.text((px(72), y), line, font=zh if any("\u4e00" <= ch <= "\u9fff" for ch in line) else en, fill=0)
        y += px(17)
        body.append(line)
    if scan:
        im = im.rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
        import numpy as np

        noise = np.random.default_rng(7).normal(0, 18, (h, w))
        im = Image.fromarray(np.clip(np.asarray(im, dtype=np.float64) + noise, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=60)
        im = Image.open(io.BytesIO(buf.getvalue()))
    return im, "\n".join(body)


def cer(pred: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    def clean(s: str) -> str:
        s = unicodedata.normalize("NFKC", s).replace("#", "")
        return "".join(s.split())

    return Levenshtein.normalized_distance(clean(pred), clean(truth))


def _row(label: str, walls: list[float], cpus: list[float], error: float) -> str:
    return (f"  {label:<22} wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"cpu {min(cpus):.2f} s; CER {error:.4f}")


def _peer(image: Image.Image, runs: int) -> tuple[list[float], list[float], str]:
    """RapidOCR with its defaults on the page image (warm-up first)."""
    import numpy as np
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error"})
    arr = np.asarray(image.convert("RGB"))
    engine(arr)
    walls, cpus, text = [], [], ""
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = engine(arr)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        text = "\n".join(getattr(out, "txts", None) or ())
    return walls, cpus, text


def _time(data: bytes, name: str, runs: int) -> tuple[list[float], list[float], str, int]:
    walls, cpus, md, pages = [], [], "", 0
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        doc = docrecon.parse(data, name=name)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        md, pages = render_document(doc), len(doc.pages)
    return walls, cpus, md, pages


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dpi", type=int, nargs="*", default=[150, 200])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scan", action="store_true")
    ap.add_argument("--pages", type=int, default=0)
    ap.add_argument("--lang", choices=["mixed", "en", "zh"], default="mixed")
    ap.add_argument("--no-peer", action="store_true", help="skip RapidOCR with its defaults")
    ap.add_argument("--ort", action="store_true", help="also time docrecon on its onnxruntime backend")
    args = ap.parse_args()
    from docrecon.ocr import get_engine, set_engine
    from docrecon.ocr.rapid import RapidOcrEngine

    t = time.perf_counter()
    engine = get_engine()
    engine.load()  # type: ignore[attr-defined]
    ort = RapidOcrEngine(backend="onnxruntime") if args.ort else None
    print(f"engine load: {time.perf_counter() - t:.2f} s (backend {getattr(engine, 'backend', '?')})")
    for dpi in args.dpi:
        im, truth = make_page(dpi, args.scan, args.lang)
        buf = io.BytesIO()
        im.save(buf, "PNG")
        print(f"{dpi} dpi {im.size[0]}x{im.size[1]} {args.lang}{' scan' if args.scan else ''}:")
        _time(buf.getvalue(), "page.png", 1)  # warm-up
        walls, cpus, md, _ = _time(buf.getvalue(), "page.png", args.runs)
        print(_row("docrecon", walls, cpus, cer(md, truth)))
        if ort is not None:
            set_engine(ort)
            _time(buf.getvalue(), "page.png", 1)
            o_walls, o_cpus, o_md, _ = _time(buf.getvalue(), "page.png", args.runs)
            set_engine(engine)
            print(_row("docrecon onnxruntime", o_walls, o_cpus, cer(o_md, truth)))
        if not args.no_peer:
            p_walls, p_cpus, p_text = _peer(im, args.runs)
            print(_row("rapidocr defaults", p_walls, p_cpus, cer(p_text, truth)))
            print(f"  docrecon / rapidocr defaults: wall {min(walls) / min(p_walls):.2f}, "
                  f"cpu {min(cpus) / min(p_cpus):.2f}")
        if args.pages:
            pdf = io.BytesIO()
            rgb = im.convert("RGB")
            rgb.save(pdf, "PDF", resolution=dpi, save_all=True, append_images=[rgb] * (args.pages - 1))
            _time(pdf.getvalue(), "scan.pdf", 1)  # warm-up (rendered at 200 dpi: other crop sizes)
            walls, cpus, _, n = _time(pdf.getvalue(), "scan.pdf", max(1, args.runs // 2))
            print(f"  {n}-page scanned PDF: {min(walls) / n:.2f} s/page wall (best), {min(cpus) / n:.2f} s/page cpu")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
