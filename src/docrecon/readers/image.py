"""Image reader: the 16 image types through Pillow (HEIC/HEIF via pillow-heif, EPS via ghostscript,
run with a time and memory limit by :mod:`.ghostscript`).

Every frame of a multi-page TIFF, an animated GIF or a multi-image HEIF is a page, up to
``ParseOptions.max_image_frames`` (the rest are left out, with a note in the metadata). Pages are in
pixels (``px_per_unit = 1``) of the EXIF-corrected image, and ``raw.render`` returns that image,
so the OCR stage reads images and scanned PDF pages the same way. Each side must lie within
``ParseOptions.min_image_side`` .. ``max_image_side`` (:class:`InvalidOption` otherwise) and the
pixel count within ``max_image_pixels`` (:class:`TooLarge`, the decompression-bomb guard).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from typing import ClassVar

from PIL import Image, ImageOps, UnidentifiedImageError

from docrecon.errors import CorruptDocument, InvalidOption, TooLarge, UnsupportedFormat
from docrecon.model import AssetStore, Page, RawPage
from docrecon.options import ParseOptions
from docrecon.readers.formats import IMAGE_FORMATS, Format
from docrecon.readers.ghostscript import render_eps
from docrecon.readers.source import Source

log = logging.getLogger(__name__)

#: EPS is vector or low-resolution PostScript: rasterised at this many pixels per point
EPS_SCALE = 3
_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if _heif_registered:
        return
    try:
        import pillow_heif
    except ImportError:
        return
    pillow_heif.register_heif_opener()
    _heif_registered = True


def check_size(width: int, height: int, opts: ParseOptions) -> None:
    """Side limits (InvalidOption) and the decompression-bomb guard (TooLarge)."""
    lo, hi = opts.min_image_side, opts.max_image_side
    if not (lo <= width <= hi and lo <= height <= hi):
        raise InvalidOption(f"image is {width}x{height} px; each side must be between {lo} and {hi} px")
    if width * height > opts.max_image_pixels:
        raise TooLarge(f"image of {width}x{height} px exceeds the limit of {opts.max_image_pixels} pixels")


def _open(data: bytes, fmt: Format) -> Image.Image:
    if fmt in (Format.HEIC, Format.HEIF):
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # Pillow: "IM format is deprecated"
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"the image is too large: {exc}") from exc
    except UnidentifiedImageError as exc:
        if fmt in (Format.HEIC, Format.HEIF) and not _heif_registered:
            raise UnsupportedFormat("HEIC/HEIF support is not installed (pillow-heif)") from exc
        raise CorruptDocument(f"the {fmt.value} image could not be decoded") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptDocument(f"the {fmt.value} image could not be decoded: {exc}") from exc


def to_page_image(im: Image.Image) -> Image.Image:
    """The frame as an upright 8-bit RGB/L image (EXIF orientation applied, alpha on white)."""
    im = ImageOps.exif_transpose(im) or im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(bg, rgba).convert("RGB")
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        import numpy as np

        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) * (255.0 / ((hi - lo) or 1.0))
        return Image.fromarray(scaled.clip(0, 255).astype(np.uint8), "L")
    if im.mode in ("1", "L"):
        return im.convert("L")
    return im.convert("RGB")


class OpenedImage:
    def __init__(self, data: bytes, fmt: Format, opts: ParseOptions) -> None:
        self.data = data
        self.fmt = fmt
        self.opts = opts
        self.image = _open(data, fmt)
        check_size(*self.image.size, opts)
        frames = max(1, int(getattr(self.image, "n_frames", 1) or 1))
        self.page_count = min(frames, max(1, opts.max_image_frames))
        self.page_numbers = opts.page_range(self.page_count)
        self.metadata: dict[str, str] = {"format": self.image.format or fmt.value}
        self.warnings: list[str] = []
        if frames > self.page_count:
            self.metadata["frames"] = str(frames)
            self.metadata["note"] = (
                f"only the first {self.page_count} of {frames} frames were read (max_image_frames)"
            )
        self._first = self._frame(1)  # decode errors in a one-image file fail the document

    def _frame(self, number: int) -> Image.Image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                if number > 1:
                    self.image.seek(number - 1)
                if self.fmt is Format.EPS:
                    return to_page_image(render_eps(self.image, self.data, EPS_SCALE, self.opts))
                else:
                    self.image.load()
                    check_size(*self.image.size, self.opts)
                return to_page_image(self.image)
        except (FileNotFoundError, OSError) as exc:
            if "ghostscript" in str(exc).lower():
                raise UnsupportedFormat("EPS support needs ghostscript (the gs command)") from exc
            raise CorruptDocument(f"the {self.fmt.value} image is damaged or truncated: {exc}") from exc
        except (ValueError, EOFError, SyntaxError) as exc:
            raise CorruptDocument(f"the {self.fmt.value} image is damaged: {exc}") from exc
        except Image.DecompressionBombError as exc:
            raise TooLarge(f"the image is too large: {exc}") from exc

    def _page(self, number: int) -> Page:
        frame = self._first if number == 1 else self._frame(number)
        width, height = frame.size
        def render(_dpi: float, im: Image.Image = frame) -> Image.Image:
            return im

        raw = RawPage(render=render)
        return Page(number, float(width), float(height), raw=raw, px_per_unit=1.0)

    def pages(self) -> Iterator[Page]:
        for number in self.page_numbers:
            try:
                page = self._page(number)
            except (CorruptDocument, InvalidOption, TooLarge) as exc:
                page = Page(number, 0, 0, failed=True, error=exc.message)
            yield page

    def close(self) -> None:
        self.image.close()


class ImageReader:
    formats: ClassVar[frozenset[Format]] = IMAGE_FORMATS

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> OpenedImage:
        return OpenedImage(src.read(), fmt, opts)
