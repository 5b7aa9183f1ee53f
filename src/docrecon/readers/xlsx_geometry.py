"""Sheet geometry from the cells that exist: merges clipped before openpyxl sees them.

openpyxl creates one ``MergedCell`` object per cell a merge covers, so a merge over the whole
sheet (``A1:XFD1048576``, 17 billion cells) never finishes loading. Before the workbook is
loaded, every worksheet's merges are clipped to its used range, computed from the ``<c r=...>``
cells present (never from the ``<dimension>`` the file declares); a merge still larger than
``ParseOptions.max_merge_cells`` is dropped (its first cell stays a plain cell). Only a package
that needs it is rewritten (in memory); others are handed over untouched.
"""

from __future__ import annotations

import io
import re
import zipfile

from docrecon.options import ParseOptions
from docrecon.readers.source import Source

_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_CELL_ANY = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(
    rb"(<(?:\w+:)?mergeCell\b[^>]*?\bref=\")([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?(\"[^>]*>)"
)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _letters(col: int) -> bytes:
    out = b""
    while col:
        col, rem = divmod(col - 1, 26)
        out = bytes([65 + rem]) + out
    return out


def used_range(sheet_xml: bytes) -> tuple[int, int] | None:
    """(last row, last column), 1-based, of the cells present; None when a cell has no ``r``
    (the range cannot be known without parsing, so nothing is clipped)."""
    refs = _CELL.findall(sheet_xml)
    if len(refs) != len(_CELL_ANY.findall(sheet_xml)):
        return None
    if not refs:
        return (0, 0)
    return max(int(r) for _, r in refs), max(_col(c) for c, _ in refs)


def clip_merges(sheet_xml: bytes, opts: ParseOptions) -> bytes | None:
    """``sheet_xml`` with its merges clipped to the used range, or None if none needed it."""
    if b"mergeCell" not in sheet_xml:
        return None
    used = used_range(sheet_xml)
    changed = False

    def fix(m: re.Match[bytes]) -> bytes:
        nonlocal changed
        c0, r0 = _col(m.group(2)), int(m.group(3))
        c1 = _col(m.group(4)) if m.group(4) else c0
        r1 = int(m.group(5)) if m.group(5) else r0
        if used is not None:
            c1, r1 = min(c1, max(used[1], c0)), min(r1, max(used[0], r0))
        if (r1 - r0 + 1) * (c1 - c0 + 1) > opts.max_merge_cells:
            changed = True
            return b""
        if (c1, r1) == (_col(m.group(4)) if m.group(4) else c0, int(m.group(5)) if m.group(5) else r0):
            return m.group(0)
        changed = True
        return m.group(1) + m.group(2) + m.group(3) + b":" + _letters(c1) + str(r1).encode() + m.group(6)

    out = _MERGE.sub(fix, sheet_xml)
    return out if changed else None


def clipped_package(src: Source, opts: ParseOptions) -> bytes | None:
    """A copy of the XLSX package with oversized merges clipped, or None if it needs none."""
    edits: dict[str, bytes] = {}
    with src.open() as fh, zipfile.ZipFile(fh) as zf:
        for info in zf.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                fixed = clip_merges(zf.read(name), opts)
                if fixed is not None:
                    edits[name] = fixed
        if not edits:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                data = edits.get(info.filename)
                dst.writestr(info, data if data is not None else zf.read(info.filename))
    return out.getvalue()
