"""Per-request parse options (frozen): one dataclass shared by readers, stages and pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OcrMode(StrEnum):
    AUTO = "auto"  # OCR pages without a usable text layer, and images
    FORCE = "force"  # OCR every paged input
    OFF = "off"  # never OCR


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """Per-request parse options: every reader and stage reads what concerns it."""

    #: 1-based inclusive page range; None = from the first / to the last page
    page_start: int | None = None
    page_end: int | None = None
    password: str | None = None
    #: refuse documents whose selected range holds more pages than this
    max_pages: int = 5000
    ocr: OcrMode = OcrMode.AUTO
    #: DPI at which pages are rendered for OCR and stored page coordinates are scaled for JSON output
    render_dpi: float = 144.0
    extract_images: bool = True
    #: PPTX speaker notes as a marked section per slide
    include_notes: bool = True
    #: nested structures (DOCX tables in tables, PPTX groups in groups) read as structure up to
    #: this depth; deeper content keeps its text only
    max_nesting_depth: int = 16
    #: spreadsheets: rows kept per sheet before truncating with a notice
    max_sheet_rows: int = 5000
    #: spreadsheets: a merge covering more cells than this (after clipping to the cells that
    #: exist) is dropped, its first cell kept as a plain cell
    max_merge_cells: int = 1_000_000
    #: images: decompression-bomb guard and side limits (spec §2.2)
    max_image_pixels: int = 100_000_000
    min_image_side: int = 20
    max_image_side: int = 10_000
    #: OCR: a page whose render at the OCR resolution would exceed this many pixels (a poster,
    #: a drawing) is rendered at the lower resolution that fits; its working memory grows with it
    max_ocr_pixels: int = 12_000_000
    #: multi-frame images (GIF, TIFF, HEIF): only the first N frames are read (noted in the metadata)
    max_image_frames: int = 100
    #: wall-clock limit of external converters (LibreOffice), seconds
    convert_timeout: float = 120.0
    #: wall-clock limit of Ghostscript rendering one EPS, seconds (killed on expiry)
    ghostscript_timeout: float = 60.0
    #: address-space limit of external converters (Ghostscript, LibreOffice), MiB
    converter_memory_mb: int | None = 2048
    #: zip containers: limits against zip bombs
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    #: PDF: bytes one Flate-encoded stream (content, font, XMP, object stream) may inflate to,
    #: checked before pdfium opens the file (``readers/pdf_inflate.py``); None = not checked
    max_stream_bytes: int | None = 256 * 1024 * 1024
    #: False: any failed page fails the whole document (API IgnoreFailedPage)
    ignore_failed_pages: bool = True
    #: override of the per-type size limit (bytes); None = the API limits of spec §2.2
    max_file_bytes: int | None = None

    def page_range(self, page_count: int) -> list[int]:
        """The selected 1-based page numbers, clipped to the document (see pipeline checks)."""
        start = self.page_start or 1
        end = min(self.page_end or page_count, page_count)
        return list(range(start, end + 1))
