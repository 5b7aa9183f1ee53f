"""The command line: a thin click layer over :func:`docrecon.parse` and the renderers.

Exit codes come from the error classes (``DocreconError.exit_code``); a batch exits with the
first failing input's code after printing a summary.
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from docrecon.batch import BatchItem, discover, plan
from docrecon.errors import DocreconError, InputError, InvalidOption, NotFound
from docrecon.model import DirAssets, Document
from docrecon.model.serialize import document_to_dict
from docrecon.options import OcrMode, ParseOptions
from docrecon.pipeline import ProgressEvent, parse
from docrecon.renderers import (
    ImageMode,
    RenderOptions,
    ResultType,
    TableMode,
    chunk_records,
    referenced_images,
    render_document,
    render_html,
    render_text,
    write_zip,
)

FORMATS = ["md", "html", "text", "jsonl", "json", "zip"]
#: file suffix of a format, when it is not the format's name
SUFFIX = {"text": "txt"}


def parse_pages(value: str | None) -> tuple[int | None, int | None]:
    if not value:
        return None, None
    text = value.strip()
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            return (int(a) if a.strip() else None, int(b) if b.strip() else None)
        n = int(text)
    except ValueError as exc:
        raise InvalidOption(f"bad page range {value!r}: use N, N-M, N- or -M") from exc
    return n, n


def _write_images(doc: Document, outdir: Path, image_dir: str) -> None:
    keys = referenced_images(doc)
    if not keys:
        return
    target = outdir / image_dir
    target.mkdir(parents=True, exist_ok=True)
    for key in keys:
        (target / key).write_bytes(doc.assets.get(key))


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


def _is_empty(doc: Document) -> bool:
    return not any(b.text.strip() or b.table is not None or b.image is not None for p in doc.pages for b in p.blocks)


@click.group()
@click.version_option(package_name="docrecon")
def main() -> None:
    """docrecon: faithful Markdown, JSONL and JSON from PDF, Office, text and image documents."""


@main.command("parse")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "outdir", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option("--pages", help="page range, 1-based inclusive: 3-9, 4, 5-, -2")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--tables", type=click.Choice([m.value for m in TableMode]), default="auto", show_default=True)
@click.option("--ocr", type=click.Choice([m.value for m in OcrMode]), default="auto", show_default=True)
@click.option("--page-markers/--no-page-markers", default=False, help="page-number markers in the Markdown")
@click.option("--password", default=None, help="password of an encrypted PDF")
@click.option("--no-notes", is_flag=True, help="leave PPTX speaker notes out")
@click.option("-v", "--verbose", is_flag=True, help="also list skipped files and page counts")
@click.option("-q", "--quiet", is_flag=True, help="print errors only")
@click.option("--json", "as_json", is_flag=True, help="print a JSON summary on stdout")
def parse_cmd(
    inputs: tuple[Path, ...], outdir: Path, pages: str | None, fmt: str, tables: str, ocr: str,
    page_markers: bool, password: str | None, no_notes: bool, verbose: bool, quiet: bool, as_json: bool,
) -> None:
    """Parse INPUT files (or folders of them) into OUTDIR, mirroring the folders' subfolders."""
    report = Reporter(verbosity=0 if quiet else 2 if verbose else 1)
    try:
        start, end = parse_pages(pages)
    except DocreconError as exc:
        report.error(None, exc)
        sys.exit(exc.exit_code)
    opts = ParseOptions(page_start=start, page_end=end, ocr=OcrMode(ocr), password=password,
                        include_notes=not no_notes)
    ropts = RenderOptions(tables=TableMode(tables), page_markers=page_markers)
    found, missing, skipped = discover(list(inputs))
    for path in skipped:
        report.note(f"skipped {escape(str(path))}: not a supported document")
    for path in missing:
        report.fail(path, NotFound(f"no such file or folder: {path}"))
    if not found and not missing:
        report.error(None, InputError("no supported documents found"))
        sys.exit(InputError.exit_code)
    run_batch(plan(found, outdir, f".{SUFFIX.get(fmt, fmt)}"), fmt, opts, ropts, report)
    report.finish(as_json)
    if report.failures:
        sys.exit(report.failures[0]["exit_code"])


class Reporter:
    """Messages on stderr (markup-safe, unwrapped off a terminal) and the run's summary."""

    def __init__(self, verbosity: int) -> None:
        self.console = Console(stderr=True, soft_wrap=True, highlight=False)
        self.verbosity = verbosity
        self.results: list[dict[str, Any]] = []

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r["status"] == "error"]

    def note(self, text: str) -> None:
        if self.verbosity >= 2:
            self.console.print(text)

    def error(self, path: Path | None, exc: DocreconError) -> None:
        where = f" {escape(str(path))}" if path is not None else ""
        self.console.print(f"[red]error[/red]{where} ({exc.code}): {escape(exc.message)}")

    def fail(self, path: Path, exc: DocreconError) -> None:
        self.error(path, exc)
        self.results.append({"input": str(path), "status": "error", "code": exc.code,
                             "exit_code": exc.exit_code, "message": exc.message})

    def done(self, path: Path, target: Path, doc: Document) -> None:
        warnings = [f"{len(doc.failed_pages)} pages failed"] if doc.failed_pages else []
        if _is_empty(doc):
            warnings.append("no text found" + (" (OCR is off)" if _ocr_off(doc) else ""))
        note = f" ({'; '.join(warnings)})" if warnings else ""
        if self.verbosity >= 1:
            self.console.print(f"[green]ok[/green] {escape(str(path))} -> {escape(str(target))}{escape(note)}")
        for w in warnings:
            if self.verbosity < 1:
                self.console.print(f"[yellow]warning[/yellow] {escape(str(path))}: {escape(w)}")
        self.note(f"  {len(doc.pages)} pages")
        self.results.append({"input": str(path), "output": str(target), "status": "ok",
                             "pages": len(doc.pages), "warnings": warnings})

    def finish(self, as_json: bool) -> None:
        ok = len(self.results) - len(self.failures)
        if as_json:
            click.echo(json.dumps({"succeeded": ok, "failed": len(self.failures), "files": self.results},
                                  ensure_ascii=False))
        if len(self.results) > 1 and self.verbosity >= 1:
            self.console.print(f"{ok} succeeded, {len(self.failures)} failed")


def _ocr_off(doc: Document) -> bool:
    return not any(p.ocr for p in doc.pages)


def run_batch(items: list[BatchItem], fmt: str, opts: ParseOptions, ropts: RenderOptions, report: Reporter) -> None:
    """Parse every item in turn and write its result; outcomes go to ``report``."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=report.console, disable=not report.console.is_terminal or report.verbosity == 0, transient=True,
    ) as bar:
        for item in items:
            task = bar.add_task(escape(item.src.name), total=None)

            def on_progress(e: ProgressEvent, task: TaskID = task) -> None:
                bar.update(task, completed=e.done, total=e.total or None)

            try:
                _parse_one(item, fmt, opts, ropts, report, on_progress)
            finally:
                bar.remove_task(task)


def _parse_one(
    item: BatchItem, fmt: str, opts: ParseOptions, ropts: RenderOptions, report: Reporter,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> None:
    assets = DirAssets()
    try:
        doc = parse(item.src, opts, progress=on_progress, assets=assets)
        report.done(item.src, write_output(doc, item.target, fmt, ropts), doc)
    except DocreconError as exc:
        report.fail(item.src, exc)
    except (OSError, zipfile.BadZipFile) as exc:
        report.fail(item.src, DocreconError(f"{type(exc).__name__}: {exc}"))
    finally:
        assets.cleanup()


def _register_service_commands() -> None:
    from docrecon.api.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


def _register_qa_commands() -> None:
    from docrecon.qa.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_service_commands()
_register_qa_commands()

if __name__ == "__main__":
    main()
