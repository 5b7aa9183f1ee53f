"""An in-memory OCR engine for tests: returns canned lines, or fails on chosen calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docrecon.ocr.base import Array, ImageLike, OcrLine, Quad, to_rgb_array


@dataclass
class FakeOcr:
    """Every image reads as ``lines`` (boxes in pixels of a ``width`` x ``height`` image, scaled
    to the image given). Call number ``fail_on`` (1-based, counting ``detect`` calls) raises
    ``error``; ``calls`` counts them."""

    lines: list[OcrLine] = field(default_factory=list)
    width: int = 1000
    height: int = 1000
    fail_on: set[int] = field(default_factory=set)
    error: Exception = field(default_factory=lambda: RuntimeError("fake OCR failure"))
    calls: int = 0
    name: str = "fake"

    def _scale(self, image: ImageLike) -> tuple[float, float]:
        arr = to_rgb_array(image)
        return arr.shape[1] / self.width, arr.shape[0] / self.height

    def detect(self, image: ImageLike) -> list[Quad]:
        self.calls += 1
        if self.calls in self.fail_on:
            raise self.error
        sx, sy = self._scale(image)
        return [
            ((q[0][0] * sx, q[0][1] * sy), (q[1][0] * sx, q[1][1] * sy),
             (q[2][0] * sx, q[2][1] * sy), (q[3][0] * sx, q[3][1] * sy))
            for q in (ln.quad for ln in self.lines)
        ]

    def read_crops(self, crops: Sequence[Array]) -> list[tuple[str, float]]:
        texts = [(ln.text, ln.confidence) for ln in self.lines]
        return [texts[i] if i < len(texts) else ("", 0.0) for i in range(len(crops))]

    def recognize(self, image: ImageLike) -> list[OcrLine]:
        quads = self.detect(image)
        return [OcrLine(ln.text, q, ln.confidence) for ln, q in zip(self.lines, quads, strict=True)]
