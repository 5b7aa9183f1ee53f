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
    lines: list[str] | None = None, size: int = 28, width: int = 520, margin: int = 24
) -> Image.Image:
    """White RGB image with ``lines`` of black text, one per row."""
    lines = LINES if lines is None else lines
    f = font(size)
    height = 2 * margin + int(len(lines) * size * 1.6)
    im = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        draw.text((margin, margin + int(i * size * 1.6)), line, font=f, fill="black")
    return im
