"""Giving freed heap memory back to the system during long runs.

Native libraries (pdfium, OpenVINO, onnxruntime) free their per-page buffers, but glibc keeps
the pages and fragments them: a 1,000-page parse with OCR creeps up by some 80 MB. The OCR
stage and the page loop call :func:`release_freed_memory` now and then (glibc ``malloc_trim``,
about 2 ms on a 500 MB heap; nothing on other C libraries).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable


def _libc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return fn


_TRIM = _libc_trim()


def release_freed_memory() -> bool:
    """Hands the heap's free pages back to the system; False where that cannot be done."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
