"""External converters (Ghostscript, LibreOffice) under an address-space limit.

``prlimit`` (util-linux, on every Debian) sets ``RLIMIT_AS`` for the converter it starts, so
no Python code runs between ``fork`` and ``exec`` (a ``preexec_fn`` is unsafe in a process
with threads). Without ``prlimit`` the converter runs unlimited, with a warning in the log.
"""

from __future__ import annotations

import logging
import shutil

log = logging.getLogger(__name__)
MiB = 1024 * 1024


def limited(cmd: list[str], memory_mb: int | None) -> list[str]:
    """``cmd`` run under an address-space limit of ``memory_mb`` MiB (and no core dumps)."""
    if memory_mb is None:
        return cmd
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        log.warning("prlimit not found: %s runs without a memory limit", cmd[0])
        return cmd
    return [prlimit, f"--as={memory_mb * MiB}", "--core=0", "--", *cmd]
