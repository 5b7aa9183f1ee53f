"""The OCR plug-in point: one Protocol, the line type engines return, and image helpers.

Coordinates are pixels of the image given to the engine, top-left origin. Images are
``PIL.Image.Image`` or numpy arrays in RGB (H x W x 3) or grey (H x W) order, ``uint8``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

from docrecon.model import BBox

if TYPE_CHECKING:
    from PIL.Image import Image

#: an 8-bit image as numpy holds it (RGB or grey)
Array: TypeAlias = npt.NDArray[np.uint8]
#: four corners (x, y) in pixels: top-left, top-right, bottom-right, bottom-left
Quad: TypeAlias = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
ImageLike: TypeAlias = "Image | Array"
#: white rows (share of a line crop's height) bridged inside one line's ink
INK_GAP = 0.06


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised line of text: ``quad`` in pixels of the input image, ``confidence`` in 0..1."""

    text: str
    quad: Quad
    confidence: float
    #: height of the ink (ascenders to descenders) in pixels, when measured (``read_page``); else 0
    ink_height: float = 0.0

    @property
    def bbox(self) -> BBox:
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return BBox(min(xs), min(ys), max(xs), max(ys))


class OcrEngine(Protocol):
    """A text detector plus a line recogniser. ``docrecon.ocr.get_engine()`` returns the shared one."""

    name: str

    def detect(self, image: ImageLike) -> list[Quad]:
        """Text line boxes in ``image``, in pixels, top-to-bottom."""
        ...

    def read_crops(self, crops: Sequence[Array]) -> list[tuple[str, float]]:
        """Text and confidence of each upright single-line crop (RGB arrays)."""
        ...

    def recognize(self, image: ImageLike) -> list[OcrLine]:
        """Detect and read every text line of an upright image (no page-orientation handling)."""
        ...


def to_rgb_array(image: ImageLike) -> Array:
    """An RGB ``uint8`` array for a PIL image or a grey/RGB/RGBA array."""
    if isinstance(image, np.ndarray):
        arr = image
    else:
        from PIL import Image as PILImage

        im = image
        if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
            rgba = im.convert("RGBA")
            bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
            im = PILImage.alpha_composite(bg, rgba)
        arr = np.asarray(im.convert("RGB"))
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.shape[2] == 4:
        arr = arr[:, :, :3]
    return np.ascontiguousarray(arr)


def crop_quad(image: Array, quad: Quad) -> Array:
    """The quadrilateral ``quad`` of ``image`` warped to an upright rectangle."""
    import cv2

    pts = np.array(quad, dtype=np.float32)
    w = int(round(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[3] - pts[2]))))
    h = int(round(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2]))))
    w, h = max(w, 1), max(h, 1)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(pts, dst)
    out = cv2.warpPerspective(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    return np.asarray(out, dtype=np.uint8)


def quad_from_array(points: npt.NDArray[np.floating] | Sequence[Sequence[float]], scale: float = 1.0) -> Quad:
    """A Quad from a 4x2 array-like, divided by ``scale``."""
    p = [(float(x) / scale, float(y) / scale) for x, y in points]
    return (p[0], p[1], p[2], p[3])


def ink_height(crop: Array) -> float:
    """Rows of a single-line crop that hold ink, top to bottom (0 when it cannot be told):
    a steadier measure of the font size than the detector's padded box.

    Only the band around the line's densest row counts: a crop of closely set lines also holds
    the descenders of the line above and the ascenders of the line below, apart from it by
    white rows (a gap of up to ``INK_GAP`` of the crop height is bridged: the dot of an i, an
    accent)."""
    import cv2

    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    lo, hi = float(grey.min()), float(grey.max())
    if hi - lo < 40 or grey.shape[0] < 4:
        return 0.0
    dark = (grey < (lo + hi) / 2).sum(axis=1)
    rows = np.nonzero(dark >= max(1.0, 0.02 * float(dark.max())))[0]
    if not rows.size:
        return 0.0
    gap = max(2, round(INK_GAP * grey.shape[0]))
    breaks = np.nonzero(np.diff(rows) > gap + 1)[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [rows.size - 1]))
    peak = int(np.argmax(dark))
    height = 0.0
    for a, b in zip(starts, ends, strict=True):
        if rows[a] <= peak <= rows[b]:
            height = float(rows[b] - rows[a] + 1)
    return height if 0.3 * grey.shape[0] <= height < grey.shape[0] else 0.0
