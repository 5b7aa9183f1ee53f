"""LibreOffice headless conversion of legacy Office files (DOC -> DOCX, PPT -> PPTX, ...).

Each conversion runs ``soffice`` in its own new session (process group) with its own throw-away
profile directory (``-env:UserInstallation``), so concurrent conversions never share state; the
whole group is killed when the timeout expires. At most ``DOCRECON_CONVERT_SLOTS`` (default 2)
conversions run at once on a machine: slots are ``flock``-ed lock files, so the limit holds
across threads and worker processes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docrecon.errors import Busy, CorruptDocument, ParseTimeout, UnsupportedFormat
from docrecon.readers.source import Source
from docrecon.readers.subprocess_limits import limited

SLOTS = max(1, int(os.environ.get("DOCRECON_CONVERT_SLOTS", "2") or 2))
LOCK_DIR = Path(os.environ.get("DOCRECON_CONVERT_LOCKS", tempfile.gettempdir()))


def soffice_path() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise UnsupportedFormat(
            "legacy Office formats need LibreOffice (apt-get install libreoffice-writer-nogui "
            "libreoffice-impress-nogui libreoffice-calc-nogui)"
        )
    return found


@contextmanager
def conversion_slot(wait: float) -> Iterator[None]:
    """Hold one of the machine-wide conversion slots; :class:`Busy` if none frees up in ``wait``."""
    deadline = time.monotonic() + wait
    while True:
        for i in range(SLOTS):
            fh = open(LOCK_DIR / f"docrecon-convert-{i}.lock", "a+b")  # noqa: SIM115 - held while converting
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()
            return
        if time.monotonic() >= deadline:
            raise Busy(f"all {SLOTS} document conversion slots are busy")
        time.sleep(0.05)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def _reap_group(pgid: int) -> None:
    """Kill whatever the converter left running in its process group."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def convert(src: Source, in_ext: str, out_ext: str, timeout: float, memory_mb: int | None = None) -> bytes:
    """Convert ``src`` (a ``.in_ext`` file) to ``out_ext`` bytes with LibreOffice, under an
    address-space limit of ``memory_mb`` MiB (:mod:`.subprocess_limits`)."""
    soffice = soffice_path()
    started = time.monotonic()
    with conversion_slot(timeout), tempfile.TemporaryDirectory(prefix="docrecon-lo-") as tmp:
        work = Path(tmp)
        (work / "out").mkdir()
        infile = work / f"input.{in_ext}"
        infile.write_bytes(src.read())
        cmd = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
            "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--convert-to", out_ext, "--outdir", str(work / "out"), str(infile),
        ]
        env = {**os.environ, "HOME": tmp, "TMPDIR": tmp}
        proc = subprocess.Popen(
            limited(cmd, memory_mb), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, env=env,
        )
        left = max(0.001, timeout - (time.monotonic() - started))
        try:
            _, err = proc.communicate(timeout=left)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise ParseTimeout(
                f"converting the {in_ext.upper()} file took longer than {timeout:.0f} s"
            ) from exc
        finally:
            _reap_group(proc.pid)
        result = work / "out" / f"input.{out_ext}"
        if not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise CorruptDocument(
                f"LibreOffice could not read the {in_ext.upper()} file" + (f": {detail[0]}" if detail else "")
            )
        return result.read_bytes()
