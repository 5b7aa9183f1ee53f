"""Giving freed heap memory back to the system during long runs.

Also :func:`few_arenas`, for processes under an address-space limit (supervised children):
glibc gives each thread that contends for the heap an arena of its own that reserves 64 MiB
of address space, and OpenVINO's and the OCR pool's threads took some 500 MiB of a 2 GiB limit
that way (OCR then failed with ``MemoryError``).

Native libraries (pdfium, OpenVINO, onnxruntime) free their per-page buffers, but glibc keeps
the pages and fragments them: a 1,000-page parse with OCR creeps up by some 80 MB. The OCR
stage and the page loop call :func:`release_freed_memory` now and then (glibc ``malloc_trim``,
about 2 ms on a 500 MB heap; nothing on other C libraries).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

#: ``mallopt`` parameter number of the arena limit (glibc malloc.h)
M_ARENA_MAX = -8
#: arenas kept under an address-space limit
ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        lib = ctypes.CDLL("libc.so.6")
        lib.malloc_trim, lib.mallopt  # noqa: B018 - glibc, not musl or another C library
    except (OSError, AttributeError):
        return None
    return lib


_LIBC = _libc()
_TRIM: Callable[[int], int] | None = _LIBC.malloc_trim if _LIBC is not None else None


def few_arenas(count: int = ARENAS) -> bool:
    """Caps glibc's malloc arenas for threads created from now on; False where it cannot."""
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(M_ARENA_MAX, count))


def release_freed_memory() -> bool:
    """Hands the heap's free pages back to the system; False where that cannot be done."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
