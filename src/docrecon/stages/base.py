"""The stage plug-in points: page stages run on each page as it is read, document stages once
all pages are in. Stage order is written out in ``docrecon.pipeline``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from docrecon.model import AssetStore, Document, Page
from docrecon.options import ParseOptions


@dataclass
class StageContext:
    opts: ParseOptions
    assets: AssetStore
    #: free-form per-document notes stages leave for later stages (e.g. body font size)
    notes: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class PageStage(Protocol):
    name: str

    def __call__(self, page: Page, ctx: StageContext) -> None: ...


class DocStage(Protocol):
    name: str

    def __call__(self, doc: Document, ctx: StageContext) -> None: ...
