"""Document -> Page -> Block: the data every reader produces and every renderer consumes.

Data only: no exporters here. Pages hold flat lists of blocks, linked by id
(``caption_of``, ``list_id``); trees are computed by whoever needs one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docrecon.model.assets import AssetStore, MemoryAssets
from docrecon.model.raw import RawPage
from docrecon.model.types import EMPTY_BBOX, BBox, BlockType, ImageRef, Layer, Origin

SCHEMA_VERSION = "1.0"


@dataclass(slots=True)
class Cell:
    row: int
    col: int
    text: str = ""
    row_span: int = 1
    col_span: int = 1
    header: bool = False


@dataclass(slots=True)
class Table:
    n_rows: int
    n_cols: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def has_spans(self) -> bool:
        return any(c.row_span > 1 or c.col_span > 1 for c in self.cells)

    def grid(self) -> list[list[Cell | None]]:
        """Dense grid; a spanning cell appears in every slot it covers."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(max(0, cell.row), min(cell.row + cell.row_span, self.n_rows)):
                for c in range(max(0, cell.col), min(cell.col + cell.col_span, self.n_cols)):
                    grid[r][c] = cell
        return grid

    @property
    def header_rows(self) -> int:
        rows = {c.row for c in self.cells if c.header}
        n = 0
        while n in rows:
            n += 1
        return n


@dataclass(slots=True)
class Block:
    id: str
    type: BlockType
    text: str = ""
    bbox: BBox = EMPTY_BBOX
    order: int = -1
    layer: Layer = Layer.BODY
    level: int = 0
    origin: Origin = Origin.NATIVE
    confidence: float = 1.0
    #: inline Markdown (bold/italic/links/code) when the reader knows styling; ``text`` stays plain
    rich: str | None = None
    table: Table | None = None
    image: ImageRef | None = None
    caption_of: str | None = None
    list_id: str | None = None
    ordered: bool = False
    #: a list item's marker as printed ("150.", "a)", "•"); empty when unknown
    marker: str = ""
    #: typography hints written by readers, read by the heading/list stages
    font_size: float = 0.0
    font: str = ""
    bold: bool = False
    italic: bool = False
    #: the block continues on the next block (cross-column / cross-page paragraph join)
    continues: bool = False


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    blocks: list[Block] = field(default_factory=list)
    ocr: bool = False
    angle: int = 0
    #: blocks come typed from the reader (office formats): inference stages leave them alone
    structured: bool = False
    #: ``blocks`` are already listed in reading order (the layout stage's XY-cut); the
    #: reading-order stage numbers them as they stand instead of sorting them by position
    sequenced: bool = False
    #: pixels of the rendered page image per page unit (PDF points at the render DPI; 1 for images)
    px_per_unit: float = 1.0
    failed: bool = False
    error: str | None = None
    #: reader output the layout stages consume; dropped once the page is laid out
    raw: RawPage | None = None

    def body(self) -> list[Block]:
        """Body blocks in reading order."""
        return sorted((b for b in self.blocks if b.layer is Layer.BODY), key=lambda b: b.order)

    def ordered(self) -> list[Block]:
        return sorted(self.blocks, key=lambda b: b.order)


@dataclass(slots=True, frozen=True)
class SourceInfo:
    name: str
    mime: str
    sha256: str
    size: int
    format: str


@dataclass(slots=True, frozen=True)
class FailedPage:
    number: int
    error: str


@dataclass(slots=True)
class Document:
    id: str
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    page_count: int = 0
    failed_pages: list[FailedPage] = field(default_factory=list)
    #: what went wrong without failing the document (a stage skipped, a page kept as plain text)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION
    #: where the pictures that blocks reference by ``ImageRef.key`` are kept
    assets: AssetStore = field(default_factory=MemoryAssets, repr=False)

    @property
    def partial(self) -> bool:
        return bool(self.failed_pages)

    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.ordered()]
