"""OCR engines behind one Protocol, and the process-wide shared engine.

For other stages (tables, figures)::

    from docrecon.ocr import get_engine
    lines = get_engine().recognize(image)   # list[OcrLine]

``image`` is a PIL image or an RGB/grey ``uint8`` numpy array that is already upright (a table
or cell crop). Each :class:`OcrLine` has ``text``, ``confidence`` (0..1), ``quad`` (four corners in
pixels of ``image``, top-left first, clockwise) and ``bbox`` (axis-aligned, pixels). Lines below
0.5 confidence are dropped. For whole pages of unknown orientation use :func:`read_page`.
The engine is built once per process (a forked child builds its own), is thread-safe, and
raises ``OcrUnavailable`` when the OCR extra is not installed.
"""

from __future__ import annotations

import os
import threading

from docrecon.ocr.base import ImageLike, OcrEngine, OcrLine, Quad, crop_quad, to_rgb_array
from docrecon.ocr.fake import FakeOcr
from docrecon.ocr.page import PageOcr, read_page

_engine: OcrEngine | None = None
_lock = threading.Lock()


def get_engine() -> OcrEngine:
    """The shared OCR engine (RapidOCR, models from its wheel), built on first use."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from docrecon.ocr.rapid import RapidOcrEngine

                _engine = RapidOcrEngine()
    return _engine


def _forget_after_fork() -> None:
    """A forked worker builds its own engine: onnxruntime sessions and threads do not survive fork."""
    global _engine, _lock
    _engine, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def set_engine(engine: OcrEngine | None) -> OcrEngine | None:
    """Replace the shared engine (tests: a FakeOcr); None restores the default. Returns the old one."""
    global _engine
    with _lock:
        old, _engine = _engine, engine
    return old


__all__ = [
    "FakeOcr",
    "ImageLike",
    "OcrEngine",
    "OcrLine",
    "PageOcr",
    "Quad",
    "crop_quad",
    "get_engine",
    "read_page",
    "set_engine",
    "to_rgb_array",
]
