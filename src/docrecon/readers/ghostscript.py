"""EPS rasterised by Ghostscript under a time and memory limit, killed on expiry.

Pillow's EPS plugin runs ``gs`` without a time limit, so a PostScript infinite loop hangs the
parse. :func:`render_eps` runs the same command Pillow would (``-dSAFER``, the image's bounding
box and scale) in its own session under ``RLIMIT_AS`` = ``ParseOptions.converter_memory_mb``,
kills the whole group after ``ParseOptions.ghostscript_timeout`` seconds, and maps the outcome:

* time limit reached -> :class:`ParseTimeout`
* a SAFER refusal (``invalidfileaccess``, ``invalidaccess``: file access, pipes, deletefile)
  or a PostScript error -> :class:`CorruptDocument` naming Ghostscript's error
* out of memory (``VMerror``, or killed by the memory limit) -> :class:`TooLarge`
* no ``gs`` on the machine -> :class:`UnsupportedFormat`
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image

from docrecon.errors import CorruptDocument, ParseTimeout, TooLarge, UnsupportedFormat
from docrecon.options import ParseOptions
from docrecon.readers.subprocess_limits import limited

_ERROR = re.compile(r"Error: /(\w+)")


def _command(gs: str, im: Any, scale: int, infile: str, outfile: str) -> list[str]:
    """Pillow's Ghostscript command (``PIL.EpsImagePlugin.Ghostscript``), same geometry."""
    _, bbox = im.tile[0].args
    width, height = im.size[0] * scale, im.size[1] * scale
    Image._decompression_bomb_check((width, height))
    res_x = 72.0 * width / max(1, bbox[2] - bbox[0])
    res_y = 72.0 * height / max(1, bbox[3] - bbox[1])
    return [
        gs, "-q", f"-g{width:d}x{height:d}", f"-r{res_x:f}x{res_y:f}", "-dBATCH", "-dNOPAUSE", "-dSAFER",
        "-sDEVICE=pnmraw", f"-sOutputFile={outfile}", "-c", f"{-bbox[0]} {-bbox[1]} translate",
        "-f", infile, "-c", "showpage",
    ]


def render_eps(im: Any, data: bytes, scale: int, opts: ParseOptions) -> Image.Image:
    """The EPS image ``im`` (opened by Pillow from ``data``) rendered at ``scale``."""
    gs = shutil.which("gs")
    if gs is None:
        raise UnsupportedFormat("EPS support needs ghostscript (the gs command)")
    if not im.tile:
        return im  # type: ignore[no-any-return]
    with tempfile.TemporaryDirectory(prefix="docrecon-gs-") as tmp:
        infile, outfile = os.path.join(tmp, "input.eps"), os.path.join(tmp, "output.pnm")
        Path(infile).write_bytes(data)
        cmd = limited(_command(gs, im, scale, infile, outfile), opts.converter_memory_mb)
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=opts.ghostscript_timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ParseTimeout(
                f"Ghostscript did not finish the EPS within {opts.ghostscript_timeout:g} s (killed)"
            ) from exc
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        text = (out + err).decode("utf-8", "replace")
        found = _ERROR.search(text)
        if proc.returncode != 0 or not os.path.exists(outfile) or os.path.getsize(outfile) == 0:
            if (found and found.group(1) == "VMerror") or proc.returncode < 0:
                raise TooLarge(
                    f"Ghostscript ran out of memory on the EPS (limit {opts.converter_memory_mb} MiB)"
                )
            if found:
                raise CorruptDocument(f"Ghostscript refused the EPS: /{found.group(1)}")
            raise CorruptDocument(f"Ghostscript could not render the EPS (exit code {proc.returncode})")
        with Image.open(outfile) as rendered:
            rendered.load()
            return rendered.copy()
