"""Plan a batch: which files to parse and where each result goes, decided before anything runs.

Folders are searched recursively and their subfolders are mirrored under the output folder.
Two inputs that would get the same output name (``good.docx`` and ``good.pdf``) both keep
their full name (``good.docx.md``, ``good.pdf.md``), so no result overwrites another, and a
result never overwrites an input file. Files without an extension are kept when their
content is a known binary format (PDF, Office, image).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docrecon.model import DirAssets, Document
from docrecon.model.serialize import document_to_dict
from docrecon.options import ParseOptions
from docrecon.readers.formats import EXTENSIONS
from docrecon.readers.registry import sniff_content
from docrecon.readers.source import Source
from docrecon.renderers import (
    ImageMode,
    RenderOptions,
    ResultType,
    chunk_records,
    referenced_images,
    render_document,
    render_html,
    render_text,
    write_zip,
)


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


# ---------------------------------------------------------------------------------------------
# One item, start to finish: runs in a supervised child (docrecon.supervise), so only this
# small summary crosses back to the parent, not the document.


@dataclass(frozen=True, slots=True)
class RenderJob:
    """What a child needs to parse one item and write its result."""

    item: BatchItem
    fmt: str
    options: ParseOptions
    render: RenderOptions


@dataclass(frozen=True, slots=True)
class Outcome:
    """The written result of one item, for the run's report."""

    output: Path
    pages: int
    failed_pages: int
    empty: bool
    ocr_used: bool


def _write_images(doc: Document, outdir: Path, image_dir: str) -> None:
    keys = referenced_images(doc)
    if not keys:
        return
    target = outdir / image_dir
    target.mkdir(parents=True, exist_ok=True)
    for key in keys:
        (target / key).write_bytes(doc.assets.get(key))


#: output formats of ``docrecon parse`` and the file suffix of those not named by their format
FORMATS = ["md", "html", "text", "jsonl", "json", "zip"]
SUFFIX = {"text": "txt"}


def write_output(doc: Document, target: Path, fmt: str, ropts: RenderOptions) -> Path:
    """Write ``doc`` to ``target`` + ``.<fmt>`` (``target`` is a path without suffix)."""
    stem, outdir = target.name, target.parent
    outdir.mkdir(parents=True, exist_ok=True)
    if fmt == "zip":
        path = outdir / f"{stem}.zip"
        with open(path, "wb") as fh:
            write_zip(doc, fh, stem, ropts, ResultType.ALL)
        return path
    image_dir = f"{stem}_images"
    ropts = RenderOptions(ropts.tables, ropts.images, ropts.page_markers, ropts.page_format, image_dir)
    path = outdir / f"{stem}.{SUFFIX.get(fmt, fmt)}"
    if fmt == "md":
        path.write_text(render_document(doc, ropts), encoding="utf-8")
    elif fmt == "html":
        path.write_text(render_html(doc, ropts), encoding="utf-8")
    elif fmt == "text":
        path.write_text(render_text(doc, ropts), encoding="utf-8")
    elif fmt == "jsonl":
        records = chunk_records(doc, ropts)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        path.write_text(json.dumps(document_to_dict(doc), ensure_ascii=False, indent=1), encoding="utf-8")
    if ropts.images is ImageMode.LINK and fmt != "text":
        _write_images(doc, outdir, image_dir)
    return path


def is_empty(doc: Document) -> bool:
    return not any(b.text.strip() or b.table is not None or b.image is not None for p in doc.pages for b in p.blocks)


def render_task(job: RenderJob, progress: Callable[[Any], None]) -> Outcome:
    """Parse ``job.item`` and write its result (the child side of ``docrecon parse``)."""
    from docrecon.pipeline import parse

    assets = DirAssets()
    try:
        doc = parse(job.item.src, job.options, progress=progress, assets=assets)
        output = write_output(doc, job.item.target, job.fmt, job.render)
        return Outcome(output, len(doc.pages), len(doc.failed_pages), is_empty(doc), any(p.ocr for p in doc.pages))
    finally:
        assets.cleanup()
