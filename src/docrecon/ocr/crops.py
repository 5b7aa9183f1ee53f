"""Reading given line boxes of a rendered page with the recogniser alone (no detection)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from docrecon.errors import OcrUnavailable
from docrecon.model import BBox

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

#: the crops are rendered this sharp
CROP_DPI = 200.0


def read_boxes(render: Callable[[float], Image], boxes: list[BBox], min_confidence: float) -> dict[int, str]:
    """The text of each box (page units, 72 per inch), keyed by its index in ``boxes``; boxes
    read below ``min_confidence``, too small to read, or on a machine without OCR are left out."""
    from docrecon.ocr import get_engine

    if not boxes:
        return {}
    try:
        engine = get_engine()
        image = np.asarray(render(CROP_DPI).convert("RGB"))
    except OcrUnavailable:
        return {}
    scale = CROP_DPI / 72.0
    crops, keys = [], []
    h, w = image.shape[:2]
    for k, box in enumerate(boxes):
        pad = 0.15 * box.height
        x0, y0 = max(0, int((box.x0 - pad) * scale)), max(0, int((box.y0 - pad) * scale))
        x1, y1 = min(w, int((box.x1 + pad) * scale) + 1), min(h, int((box.y1 + pad) * scale) + 1)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        crops.append(image[y0:y1, x0:x1])
        keys.append(k)
    try:
        read = engine.read_crops(crops)
    except OcrUnavailable:
        return {}
    except (RuntimeError, ValueError, OSError) as exc:
        log.warning("reading %d line crops failed: %s", len(crops), exc)
        return {}
    return {k: text.strip() for k, (text, score) in zip(keys, read, strict=True)
            if text.strip() and score >= min_confidence}
