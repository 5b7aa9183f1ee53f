"""Reader output that the layout stages turn into blocks: characters, text lines, rules, images.

A page's ``raw`` is dropped after layout so that long documents stay flat in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docrecon.model.types import BBox, Origin

if TYPE_CHECKING:
    from PIL.Image import Image

    from docrecon.model.document import Block
    from docrecon.model.types import ImageRef


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float = 0.0
    font: str = ""
    bold: bool = False
    italic: bool = False
    #: baseline (origin y) in top-left coordinates, when known
    baseline: float = 0.0
    #: rotation of the text in degrees (0 = horizontal)
    angle: int = 0
    #: the glyph had no Unicode mapping (garbage text layer signal)
    unmapped: bool = False


@dataclass(slots=True)
class TextLine:
    """A line of text: built from chars by the layout stage, or given by OCR."""

    text: str
    bbox: BBox
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    font: str = ""
    confidence: float = 1.0
    origin: Origin = Origin.NATIVE
    chars: list[Char] = field(default_factory=list)
    #: x positions of word starts (for column and table alignment)
    word_boxes: list[BBox] = field(default_factory=list)


@dataclass(slots=True)
class Rule:
    """A vector line or a thin rectangle edge: table-detection input."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(slots=True)
class RawImage:
    """A picture on a page. A reader may store it lazily (``save``): a page scan that OCR
    replaces, or a page background, is then never encoded."""

    bbox: BBox
    ref: ImageRef | None = None
    save: Callable[[], ImageRef | None] | None = None

    def stored(self) -> ImageRef | None:
        """The picture in the asset store, saved now if the reader deferred it."""
        if self.ref is None and self.save is not None:
            self.ref, self.save = self.save(), None
        return self.ref


@dataclass(slots=True)
class RawPage:
    chars: list[Char] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    rects: list[BBox] = field(default_factory=list)
    #: filled curved paths of glyph height (text drawn as outlines, or shapes)
    drawn: list[BBox] = field(default_factory=list)
    images: list[RawImage] = field(default_factory=list)
    #: blocks that readers or early stages already know (tables found in vector rules, ...)
    blocks: list[Block] = field(default_factory=list)
    #: renders the page at a DPI (for OCR and the layout model); None for non-paged formats
    render: Callable[[float], Image] | None = None
    #: the page has a text layer that should not be trusted (invisible or unmapped glyphs)
    text_layer_suspect: bool = False
    #: ``chars`` and the line fragments built from them (``geometry.page_fragments``), so that
    #: the stages that need fragments build them once while ``chars`` stays the same list
    fragments_of: tuple[list[Char], list[TextLine]] | None = None
