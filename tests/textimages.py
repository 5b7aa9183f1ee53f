"""Images of text made on the fly for the OCR tests (Pillow with a CJK font from Debian)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]
LINES = ["Invoice 2024 total 318.50", "扫描文档识别测试", "Second line of text here"]


def font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise FileNotFoundError("no CJK font installed (fonts-noto-cjk or fonts-wqy-zenhei)")


def text_image(
    lines: list[str] | None = None, size: int = 28, width: int = 520, margin: int = 24, title: bool = False
) -> Image.Image:
    """White RGB image with ``lines`` of black text, one per row (the first one larger: ``title``)."""
    lines = LINES if lines is None else lines
    sizes = [round(size * 1.5) if title and i == 0 else size for i in range(len(lines))]
    height = 2 * margin + int(sum(sizes) * 1.6)
    im = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(im)
    y = margin
    for line, s in zip(lines, sizes, strict=True):
        draw.text((margin, y), line, font=font(s), fill="black")
        y += int(s * 1.6)
    return im


def chart_page() -> Image.Image:
    """A scanned-looking page: title, paragraph, a bar chart with its caption, paragraph."""
    im = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(im)
    f = font(24)
    d.text((120, 100), "Annual Report 2024", font=font(40), fill="black")
    for i in range(6):
        d.text((120, 200 + 40 * i), "Revenue grew in every region this year and costs stayed flat overall.",
               font=f, fill="black")
    x0, y0 = 200, 520
    d.line((x0, y0, x0, y0 + 400), fill="black", width=3)
    d.line((x0, y0 + 400, x0 + 700, y0 + 400), fill="black", width=3)
    for k, h in enumerate((120, 300, 220, 360, 180)):
        d.rectangle((x0 + 40 + k * 130, y0 + 400 - h, x0 + 120 + k * 130, y0 + 400), fill=(60, 90, 200))
        d.text((x0 + 50 + k * 130, y0 + 410), f"Q{k + 1}", font=f, fill="black")
    d.text((300, 980), "Figure 1: Revenue by quarter", font=f, fill="black")
    for i in range(8):
        d.text((120, 1060 + 40 * i), "The board approved the new budget plan for the coming two years.",
               font=f, fill="black")
    return im
