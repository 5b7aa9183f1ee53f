"""Rendering options (API ``ReconstructDocumentSSEConfig`` fields map onto these)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TableMode(StrEnum):
    AUTO = "auto"  # pipe tables, HTML when a cell spans
    MARKDOWN = "markdown"  # always pipe tables; spanned text repeated in every covered cell
    HTML = "html"  # always HTML tables


class ImageMode(StrEnum):
    LINK = "link"  # ![caption](images/NAME)
    TEXT = "text"  # the text recognised inside the image, no image file


DEFAULT_PAGE_FORMAT = "<page_num>page {{p}}</page_num>"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    tables: TableMode = TableMode.AUTO
    images: ImageMode = ImageMode.LINK
    page_markers: bool = False
    page_format: str = DEFAULT_PAGE_FORMAT
    #: folder (relative to the Markdown file) that image links point into
    image_dir: str = "images"
