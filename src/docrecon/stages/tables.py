"""Table detection on laid-out pages (filled in by the tables issue)."""

from __future__ import annotations

from docrecon.model import Page
from docrecon.stages.base import StageContext


class TableStage:
    name = "tables"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        return None
