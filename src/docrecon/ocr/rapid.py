"""RapidOCR (PP-OCR det + rec on onnxruntime) with the models bundled in the ``rapidocr`` wheel.

Nothing is ever downloaded: the model files are looked up inside the installed package and a
missing one raises :class:`OcrUnavailable`. The line-rotation classifier stays off (it flips
upright lines into garbage); page orientation is handled by ``docrecon.ocr.page``.

Speed: the detector sees the image scaled so its long side is at most ``det_side`` pixels
(small images are enlarged so small text is still found), recognition reads crops taken from
the full-resolution image in batches, and onnxruntime uses ``threads`` intra-op threads.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from docrecon.errors import OcrUnavailable
from docrecon.ocr.base import Array, ImageLike, OcrLine, Quad, crop_quad, quad_from_array, to_rgb_array

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def _model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(f"OCR is not installed ({exc.name}); install docrecon[ocr]") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def det_scale(width: int, height: int, det_side: int) -> float:
    """Scale of the detector input: long side <= det_side; small images enlarged (up to 2x) so
    their short side reaches 640 px, without the long side passing 2 * det_side."""
    long_side, short_side = max(width, height), min(width, height)
    if long_side > det_side:
        return det_side / long_side
    if short_side < 640:
        return max(1.0, min(640 / short_side, 2 * det_side / long_side, 2.0))
    return 1.0


class RapidOcrEngine:
    """The default engine. Thread-safe; build it once per process (``docrecon.ocr.get_engine``)."""

    name = "rapidocr"

    def __init__(self, det_side: int = 1280, threads: int | None = None, min_score: float = 0.5,
                 squash: float = 1.0) -> None:
        self.det_side = det_side
        self.threads = threads or min(os.cpu_count() or 1, 4)
        self.min_score = min_score
        #: horizontal scale applied to crops before recognition (< 1 is faster, see docs/ocr.md)
        self.squash = squash
        self._lock = threading.Lock()
        self._det: Any = None
        self._rec: Any = None

    def _params(self) -> dict[str, object]:
        models = _model_dir()
        for name in (DET_MODEL, REC_MODEL, CLS_MODEL):
            if not (models / name).is_file():
                raise OcrUnavailable(f"the OCR model {name} is missing from the rapidocr package")
        return {
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.model_root_dir": str(models),
            "Det.model_path": str(models / DET_MODEL),
            "Det.limit_type": "max",
            "Det.limit_side_len": 100_000,  # the image is scaled here, before the detector
            "Rec.model_path": str(models / REC_MODEL),
            "Cls.model_path": str(models / CLS_MODEL),
            "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
        }

    def load(self) -> None:
        """Load both models now (otherwise on first use)."""
        if self._rec is not None:
            return
        with self._lock:
            if self._rec is not None:
                return
            params = self._params()
            try:
                from rapidocr import RapidOCR

                ocr = RapidOCR(params=params)
                det = ocr._load_det_model()  # type: ignore[no-untyped-call]
                rec = ocr._load_rec_model()  # type: ignore[no-untyped-call]
            except ImportError as exc:
                raise OcrUnavailable(f"OCR is not installed ({exc.name}); install docrecon[ocr]") from exc
            except (OSError, RuntimeError, ValueError) as exc:
                raise OcrUnavailable(f"the OCR models could not be loaded: {exc}") from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            self._det, self._rec = det, rec

    def detect(self, image: ImageLike) -> list[Quad]:
        import cv2

        self.load()
        rgb = to_rgb_array(image)
        h, w = rgb.shape[:2]
        scale = det_scale(w, h, self.det_side)
        small = rgb if scale == 1.0 else cv2.resize(
            rgb, (max(1, round(w * scale)), max(1, round(h * scale))),
            interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
        )
        out = self._det(np.ascontiguousarray(small[:, :, ::-1]))
        if out.boxes is None:
            return []
        quads = [quad_from_array(b, scale) for b in out.boxes]
        return sorted(quads, key=lambda q: (q[0][1] + q[3][1], q[0][0]))

    def read_crops(self, crops: Sequence[Array]) -> list[tuple[str, float]]:
        import cv2

        if not crops:
            return []
        self.load()
        from rapidocr.ch_ppocr_rec import TextRecInput

        bgr: list[Array] = []
        for crop in crops:
            c = to_rgb_array(crop)
            if self.squash != 1.0 and c.shape[1] > 2 * c.shape[0]:
                size = (max(1, round(c.shape[1] * self.squash)), c.shape[0])
                c = np.asarray(cv2.resize(c, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
            bgr.append(np.ascontiguousarray(c[:, :, ::-1]))
        out = self._rec(TextRecInput(img=bgr))
        return [(str(t), float(s)) for t, s in zip(out.txts, out.scores, strict=True)]

    def recognize(self, image: ImageLike) -> list[OcrLine]:
        rgb = to_rgb_array(image)
        quads = self.detect(rgb)
        read = self.read_crops([crop_quad(rgb, q) for q in quads])
        return [
            OcrLine(text.strip(), q, score)
            for q, (text, score) in zip(quads, read, strict=True)
            if text.strip() and score >= self.min_score
        ]
