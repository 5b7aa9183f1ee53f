"""Table rules in page images (scans, photos, table screenshots): long thin dark runs found with
morphological opening (OpenCV), returned as page-unit rules for the same grid builder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from docrecon.model import Char, Rule, TextLine

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_RUN = 0.04  # share of the image side a rule must run at least
MAX_THICK = 6  # pixels: thicker dark runs are bars or pictures, not rules


def _segments(mask: np.ndarray, horizontal: bool, scale: float) -> list[Rule]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Rule] = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if horizontal and h <= MAX_THICK:
            cy = (y + h / 2) / scale
            out.append(Rule(x / scale, cy, (x + w) / scale, cy))
        elif not horizontal and w <= MAX_THICK:
            cx = (x + w / 2) / scale
            out.append(Rule(cx, y / scale, cx, (y + h) / scale))
    return out


def image_rules(image: Image, scale: float) -> list[Rule]:
    """Horizontal and vertical rules of a page image; ``scale`` = image pixels per page unit."""
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    h, w = gray.shape
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, int(MIN_RUN * w)), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(MIN_RUN * h))))
    horiz = cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk), np.ones((1, 3), np.uint8))
    vert = cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk), np.ones((3, 1), np.uint8))
    return _segments(horiz, True, scale) + _segments(vert, False, scale)


def line_chars(lines: list[TextLine]) -> list[Char]:
    """OCR lines as one pseudo-character each, so the grid code can place them in cells."""
    out: list[Char] = []
    for ln in lines:
        b = ln.bbox
        size = max(1.0, 0.8 * b.height)
        out.append(Char(ln.text, b.x0, b.y0, b.x1, b.y1, size=size, baseline=b.y1))
    return out
