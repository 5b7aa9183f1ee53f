"""OCR of pages without a usable text layer (filled in by the OCR issue)."""

from __future__ import annotations

from docrecon.model import Page
from docrecon.stages.base import StageContext


class OcrStage:
    name = "ocr"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        return None
