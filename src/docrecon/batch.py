"""Plan a batch: which files to parse and where each result goes, decided before anything runs.

Folders are searched recursively and their subfolders are mirrored under the output folder.
Two inputs that would get the same output name (``good.docx`` and ``good.pdf``) both keep
their full name (``good.docx.md``, ``good.pdf.md``), so no result overwrites another, and a
result never overwrites an input file. Files without an extension are kept when their
content is a known binary format (PDF, Office, image).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docrecon.readers.formats import EXTENSIONS
from docrecon.readers.registry import sniff_content
from docrecon.readers.source import Source


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One input and the output path (without the format suffix) its result is written to."""

    src: Path
    #: output path without suffix, e.g. ``out/sub/good`` (the writer adds ``.md``, ``.zip``...)
    target: Path


@dataclass(frozen=True, slots=True)
class Discovered:
    """An input file and the folder argument it was found under (None for a file argument)."""

    path: Path
    root: Path | None


def _wanted(f: Path) -> bool:
    suffix = f.suffix.lower().lstrip(".")
    if suffix:
        return suffix in EXTENSIONS
    try:
        return sniff_content(Source.from_path(f)) is not None
    except OSError:
        return False


def discover(paths: list[Path]) -> tuple[list[Discovered], list[Path], list[Path]]:
    """(inputs, missing arguments, skipped files in folders) for the command-line arguments."""
    found: list[Discovered] = []
    missing: list[Path] = []
    skipped: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                if _wanted(f):
                    found.append(Discovered(f, p))
                else:
                    skipped.append(f)
        elif p.is_file():
            found.append(Discovered(p, None))
        else:
            missing.append(p)
    return found, missing, skipped


def _key(path: Path) -> str:
    return str(path).casefold()  # case-insensitive file systems (macOS, Windows) collide too


def plan(inputs: list[Discovered], outdir: Path, suffix: str) -> list[BatchItem]:
    """One :class:`BatchItem` per input; ``suffix`` is the output file suffix (``.md``...)."""
    def base(d: Discovered) -> Path:
        rel = d.path.relative_to(d.root).parent if d.root is not None else Path()
        return outdir / rel

    protected = {_key(d.path.resolve()) for d in inputs}
    by_default = Counter(_key(base(d) / d.path.stem) for d in inputs)
    items: list[BatchItem] = []
    used: set[str] = set()
    for d in inputs:
        stem = d.path.stem
        if by_default[_key(base(d) / stem)] > 1:
            stem = d.path.name
        target = base(d) / stem
        n = 1
        while (_key(target) in used or _key(Path(str(target) + suffix).resolve()) in protected) and n < 10_000:
            target = base(d) / (f"{d.path.name}" if n == 1 else f"{d.path.name}.{n}")
            n += 1
        used.add(_key(target))
        items.append(BatchItem(d.path, target))
    return items
