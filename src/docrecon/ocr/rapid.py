"""RapidOCR (PP-OCR det + rec on onnxruntime) with the models bundled in the ``rapidocr`` wheel.

Nothing is ever downloaded: the model files are looked up inside the installed package and a
missing one raises :class:`OcrUnavailable`. The line-rotation classifier stays off (it flips
upright lines into garbage); page orientation is handled by ``docrecon.ocr.page``.

Speed: the detector sees the image scaled so its long side is at most ``det_side`` pixels
(small images are enlarged so small text is still found) and runs on ``threads`` intra-op
threads. Recognition reads crops taken from the full-resolution image one at a time (cheaper
than padded batches, and short crops are padded to ``MIN_REC_WIDTH`` rather than 320 px) on
``threads`` Python threads sharing one single-threaded session. onnxruntime's spinning threads
are off: the machine is shared with other workers. (An 8-bit recogniser was tried: 1.7 times
faster on crisp text, but it lost half the cells of low-resolution table images.)
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from docrecon.errors import OcrUnavailable, ParseFailed
from docrecon.ocr.backend import Backend, make_runner, resolve
from docrecon.ocr.base import Array, ImageLike, OcrLine, Quad, crop_quad, quad_from_array, to_rgb_array
from docrecon.ocr.squeeze import PageScript, retry, squeezable

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
#: short crops are padded to this width for recognition (rapidocr pads to 320)
MIN_REC_WIDTH = 160
#: median line height (detector pixels) under which detection is repeated at a finer scale ...
MIN_DET_HEIGHT = 16.0
#: ... chosen so that lines are this high
FINE_DET_HEIGHT = 22.0
#: detector inputs larger than this (pixels) are read in overlapping horizontal strips of about
#: this area: the detector's working memory grows with its input (a whole A4 page at 200 dpi
#: takes about 1 GB, a strip about 150 MB), and the boxes are the same
MAX_DET_AREA = 1024 * 768
#: overlap of neighbouring strips (detector pixels); a line belongs to the strip holding its centre
STRIP_OVERLAP = 128
#: recogniser input widths are padded to a multiple of this (OpenVINO: fewer distinct shapes)
REC_PAD = 32


def _model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(f"OCR is not installed ({exc.name}); install docrecon[ocr]") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def _engine_errors() -> tuple[type[BaseException], ...]:
    """What rapidocr, onnxruntime and OpenCV raise on a bad input or a failed run (none of them
    RuntimeError subclasses)."""
    import cv2
    from onnxruntime.capi import onnxruntime_pybind11_state as ort_state
    from rapidocr.inference_engine.onnxruntime.main import ONNXRuntimeError
    from rapidocr.main import RapidOCRError

    names = ("Fail", "InvalidArgument", "RuntimeException", "EPFail")
    found = tuple(getattr(ort_state, n) for n in names if hasattr(ort_state, n))
    return (cv2.error, RuntimeError, ValueError, MemoryError, ONNXRuntimeError, RapidOCRError, *found)


def det_scale(width: int, height: int, det_side: int) -> float:
    """Scale of the detector input: long side <= det_side; small images enlarged (up to 2x) so
    their short side reaches 640 px, without the long side passing 2 * det_side."""
    long_side, short_side = max(width, height), min(width, height)
    if long_side > det_side:
        return det_side / long_side
    if short_side < 640:
        return max(1.0, min(640 / short_side, 2 * det_side / long_side, 2.0))
    return 1.0


def strips(height: int, width: int) -> list[tuple[int, int, float, float]]:
    """Rows ``top:bottom`` of the detector's input read at once, and the band ``lo <= y < hi`` of
    line centres kept from each: one strip when the input is at most ``MAX_DET_AREA``, otherwise
    strips of that area overlapping by ``STRIP_OVERLAP`` whose kept bands tile the image."""
    if height * width <= MAX_DET_AREA:
        return [(0, height, float("-inf"), float("inf"))]
    size = max(MAX_DET_AREA // max(width, 1), 3 * STRIP_OVERLAP)
    step = size - STRIP_OVERLAP
    tops = list(range(0, max(height - size, 0) + step, step))
    tops[-1] = min(tops[-1], max(height - size, 0))
    out: list[tuple[int, int, float, float]] = []
    for i, top in enumerate(tops):
        lo = float("-inf") if i == 0 else (top + out[-1][1]) / 2
        out.append((top, min(top + size, height), lo, float("inf")))
        if i:
            prev = out[-2]
            out[-2] = (prev[0], prev[1], prev[2], lo)
    return out


def det_input(bgr: Array) -> Any:
    """The detector's input in one OpenCV call, as rapidocr makes it in several (float64) numpy
    passes: sides rounded to a multiple of 32, (x / 255 - 0.5) / 0.5, NCHW float32."""
    import cv2

    h, w = bgr.shape[:2]
    size = (max(32, round(w / 32) * 32), max(32, round(h / 32) * 32))
    return cv2.dnn.blobFromImage(bgr, 1 / 127.5, size, (127.5, 127.5, 127.5), swapRB=False, crop=False)


class RapidOcrEngine:
    """The default engine. Thread-safe; build it once per process (``docrecon.ocr.get_engine``)."""

    name = "rapidocr"

    def __init__(self, det_side: int = 1024, threads: int | None = None, min_score: float = 0.5,
                 squeeze: bool = True, backend: Backend = "auto") -> None:
        self.det_side = det_side
        self.threads = threads or min(os.cpu_count() or 1, 4)
        self.min_score = min_score
        #: squeeze crops horizontally before recognition as ``docrecon.ocr.squeeze`` decides
        self.squeeze = squeeze
        #: ``auto``, ``onnxruntime`` or ``openvino`` (see ``docrecon.ocr.backend``); concrete after load()
        self.backend: str = backend
        self._lock = threading.Lock()
        self._det: Any = None
        self._rec: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._errors: tuple[type[BaseException], ...] = ()

    @property
    def detector_loaded(self) -> bool:
        return self._det is not None

    def _call(self, model: Any, arg: Any) -> Any:
        """Run a model; its errors become ParseFailed (the page fails, not the process)."""
        try:
            return model(arg)
        except self._errors as exc:
            raise ParseFailed(f"OCR engine error: {type(exc).__name__}: {exc}") from exc

    def _tune_det(self, det: Any, models: Path) -> None:
        """Own detector runner, threaded."""
        det.session = make_runner(self.backend, models / DET_MODEL, self.threads)
        det.get_preprocess = lambda: det_input

    def _tune_rec(self, rec: Any, models: Path) -> None:
        """Own recogniser runner, run per crop on ``threads`` streams."""
        rec.session = make_runner(self.backend, models / REC_MODEL, 1, streams=self.threads, pad_width=REC_PAD)
        rec.rec_batch_num = 1
        rec.rec_image_shape = [3, 48, MIN_REC_WIDTH]

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

    def load(self, detector: bool = True) -> None:
        """Load the recogniser, and the detector unless ``detector`` is false, now (otherwise on
        first use). Reading given line crops needs only the recogniser, which saves the
        detector's memory on pages that never detect."""
        if self._rec is not None and (self._det is not None or not detector):
            return
        with self._lock:
            if self._rec is not None and (self._det is not None or not detector):
                return
            try:
                from rapidocr import RapidOCR

                params = self._params()
                self.backend = resolve(self.backend)
                ocr = RapidOCR(params=params)
                if self._rec is None:
                    rec = ocr._load_rec_model()  # type: ignore[no-untyped-call]
                    self._tune_rec(rec, _model_dir())
                    self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="docrecon-ocr")
                    self._errors = _engine_errors()
                    self._rec = rec
                if detector:
                    det = ocr._load_det_model()  # type: ignore[no-untyped-call]
                    self._tune_det(det, _model_dir())
                    self._det = det
            except ImportError as exc:
                raise OcrUnavailable(f"OCR is not installed ({exc.name}); install docrecon[ocr]") from exc
            except (OSError, RuntimeError, ValueError) as exc:
                raise OcrUnavailable(f"the OCR models could not be loaded: {exc}") from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)

    def _detect_at(self, rgb: Array, scale: float) -> list[Quad]:
        import cv2

        h, w = rgb.shape[:2]
        small = rgb if scale == 1.0 else cv2.resize(
            rgb, (max(1, round(w * scale)), max(1, round(h * scale))),
            interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
        )
        quads: list[Quad] = []
        for top, bottom, lo, hi in strips(small.shape[0], small.shape[1]):
            out = self._call(self._det, np.ascontiguousarray(small[top:bottom, :, ::-1]))
            for b in [] if out.boxes is None else out.boxes:
                centre = top + float(sum(y for _, y in b)) / 4
                if lo <= centre < hi:
                    quads.append(quad_from_array([(x, y + top) for x, y in b], scale))
        return quads

    def detect(self, image: ImageLike) -> list[Quad]:
        """Line boxes; when the lines come out under ``MIN_DET_HEIGHT`` px at the detector's scale
        (small print on a large page), detection is repeated at a finer scale."""
        self.load()
        rgb = to_rgb_array(image)
        h, w = rgb.shape[:2]
        scale = det_scale(w, h, self.det_side)
        quads = self._detect_at(rgb, scale)
        heights = [min(math.dist(q[0], q[3]), math.dist(q[0], q[1])) for q in quads]
        if scale < 1.0 and heights and statistics.median(heights) * scale < MIN_DET_HEIGHT:
            finer = min(1.0, FINE_DET_HEIGHT / statistics.median(heights))
            quads = self._detect_at(rgb, finer)
        return sorted(quads, key=lambda q: (q[0][1] + q[3][1], q[0][0]))

    def _read_one(self, crop: Array, squeeze: float) -> tuple[str, float]:
        import cv2
        from rapidocr.ch_ppocr_rec import TextRecInput

        if squeeze != 1.0:
            size = (max(1, round(crop.shape[1] * squeeze)), crop.shape[0])
            crop = np.asarray(cv2.resize(crop, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        out = self._call(self._rec, TextRecInput(img=[np.ascontiguousarray(crop[:, :, ::-1])]))
        return str(out.txts[0]), float(out.scores[0])

    def read_crops(self, crops: Sequence[Array]) -> list[tuple[str, float]]:
        """Read crops on ``threads`` threads, widest first, each squeezed as ``ocr.squeeze``
        decides from the script read so far (and read again wider when that guess was wrong)."""
        if not crops:
            return []
        self.load(detector=False)
        rgb = [to_rgb_array(c) for c in crops]
        order = sorted(range(len(rgb)), key=lambda i: rgb[i].shape[1] / rgb[i].shape[0], reverse=True)
        todo: deque[tuple[int, float | None]] = deque((i, None) for i in order)
        script = PageScript()
        result: list[tuple[str, float]] = [("", 0.0)] * len(rgb)
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    if not todo:
                        return
                    i, factor = todo.popleft()
                    h, w = rgb[i].shape[:2]
                    if factor is None:
                        factor = script.squeeze() if self.squeeze else 1.0
                        factor = factor if squeezable(h, w, factor) else 1.0
                text, score = self._read_one(rgb[i], factor)
                wider = retry(h, w, factor, text)
                with lock:
                    script.tried(factor, wider is not None)
                    if wider is not None:
                        todo.appendleft((i, wider))
                        continue
                    result[i] = (text, score)
                    script.add(text)

        assert self._pool is not None
        for job in [self._pool.submit(work) for _ in range(max(1, min(self.threads, len(rgb))))]:
            job.result()
        return result

    def recognize(self, image: ImageLike) -> list[OcrLine]:
        rgb = to_rgb_array(image)
        quads = self.detect(rgb)
        read = self.read_crops([crop_quad(rgb, q) for q in quads])
        return [
            OcrLine(text.strip(), q, score)
            for q, (text, score) in zip(quads, read, strict=True)
            if text.strip() and score >= self.min_score
        ]
