"""Enumerations and small value types of the document model."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BlockType(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    FIGURE = "figure"
    CAPTION = "caption"
    FORMULA = "formula"
    CODE = "code"
    FOOTNOTE = "footnote"
    PAGE_HEADER = "page_header"
    PAGE_FOOTER = "page_footer"
    PAGE_NUMBER = "page_number"


FURNITURE_TYPES = frozenset({BlockType.PAGE_HEADER, BlockType.PAGE_FOOTER, BlockType.PAGE_NUMBER})


class Layer(StrEnum):
    BODY = "body"
    FURNITURE = "furniture"


class Origin(StrEnum):
    NATIVE = "native"
    OCR = "ocr"


@dataclass(slots=True, frozen=True)
class BBox:
    """Axis-aligned box in page coordinates (points for PDF), top-left origin."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1)
        )

    def intersection_area(self, other: BBox) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def contains_point(self, x: float, y: float, tol: float = 0.0) -> bool:
        return self.x0 - tol <= x <= self.x1 + tol and self.y0 - tol <= y <= self.y1 + tol

    def scaled(self, factor: float) -> BBox:
        return BBox(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor)

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @staticmethod
    def enclosing(boxes: list[BBox]) -> BBox:
        if not boxes:
            return BBox(0.0, 0.0, 0.0, 0.0)
        return BBox(
            min(b.x0 for b in boxes),
            min(b.y0 for b in boxes),
            max(b.x1 for b in boxes),
            max(b.y1 for b in boxes),
        )


EMPTY_BBOX = BBox(0.0, 0.0, 0.0, 0.0)


@dataclass(slots=True, frozen=True)
class ImageRef:
    """A picture kept in the document's asset store under ``key`` (e.g. ``p3_img1.png``)."""

    key: str
    mime: str
    width: int = 0
    height: int = 0
