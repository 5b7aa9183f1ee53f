"""Tasks for supervised children that misbehave on purpose (the child really crashes, hangs or
runs out of memory; only the document that would cause it is left out). They import nothing
from docrecon, so a child that runs them starts in milliseconds (``Supervisor(warm=())``)."""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Callable
from typing import Any


def echo(payload: str, progress: Callable[[Any], None]) -> str:
    progress(("page", 1))
    return payload


def sleep_forever(payload: str, progress: Callable[[Any], None]) -> str:
    time.sleep(3600)
    return payload


def hang_after_first_page(payload: str, progress: Callable[[Any], None]) -> str:
    """Page 1 takes 0.3 s, page 2 never ends: only the per-page limit catches it early."""
    time.sleep(0.3)
    progress(("page", 1))
    time.sleep(3600)
    return payload


def spin(payload: str, progress: Callable[[Any], None]) -> str:
    while True:  # pure CPU: the CPU-time limit ends it
        pass


def abort(payload: str, progress: Callable[[Any], None]) -> str:
    os.abort()


def segfault(payload: str, progress: Callable[[Any], None]) -> str:
    ctypes.string_at(0)
    return payload


def kill_self(payload: str, progress: Callable[[Any], None]) -> str:
    os.kill(os.getpid(), signal.SIGKILL)
    return payload


def allocate(payload: str, progress: Callable[[Any], None]) -> str:
    """Asks for 8 GiB in one piece: beyond the address-space limit, Python raises MemoryError."""
    block = bytearray(8 << 30)
    return payload + str(len(block))


def pid(payload: str, progress: Callable[[Any], None]) -> int:
    return os.getpid()


def by_name(payload: str, progress: Callable[[Any], None]) -> Any:
    """Dispatch on the payload, so one batch can mix good and bad items."""
    return TASKS[payload](payload, progress)


TASKS: dict[str, Callable[[str, Callable[[Any], None]], Any]] = {
    "echo": echo,
    "sleep": sleep_forever,
    "abort": abort,
    "segfault": segfault,
    "kill": kill_self,
    "allocate": allocate,
    "spin": spin,
}


def parse_variant(payload: tuple[bytes, str, str | None], progress: Callable[[Any], None]) -> str | None:
    """Parse damaged input in-process (OCR off): None when it ends in a docrecon error or a
    result, the traceback when anything else escapes."""
    import traceback

    from docrecon.errors import DocreconError
    from docrecon.options import OcrMode, ParseOptions
    from docrecon.pipeline import parse

    data, name, file_type = payload
    try:
        parse(data, ParseOptions(ocr=OcrMode.OFF), name=name, file_type=file_type)
    except DocreconError:
        return None
    except Exception:  # noqa: BLE001 - what escapes is the finding
        return traceback.format_exc(limit=-4)
    return None


def environment(payload: str, progress: Callable[[Any], None]) -> str | None:
    """The child's value of the environment variable ``payload``."""
    return os.environ.get(payload)
