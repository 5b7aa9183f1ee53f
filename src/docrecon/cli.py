"""The command line: a thin click layer over :func:`docrecon.parse` and the renderers.

Exit codes come from the error classes (``DocreconError.exit_code``); a batch exits with the
first failing input's code after printing a summary.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from docrecon.errors import DocreconError, InvalidOption
from docrecon.model import DirAssets, Document
from docrecon.model.serialize import document_to_dict
from docrecon.options import OcrMode, ParseOptions
from docrecon.pipeline import ProgressEvent, parse
from docrecon.readers.formats import EXTENSIONS
from docrecon.renderers import (
    ImageMode,
    RenderOptions,
    ResultType,
    TableMode,
    chunk_records,
    referenced_images,
    render_document,
    write_zip,
)

err = Console(stderr=True)


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


def _inputs(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower().lstrip(".") in EXTENSIONS))
        else:
            out.append(p)
    return out


def _write_images(doc: Document, outdir: Path, image_dir: str) -> None:
    keys = referenced_images(doc)
    if not keys:
        return
    target = outdir / image_dir
    target.mkdir(parents=True, exist_ok=True)
    for key in keys:
        (target / key).write_bytes(doc.assets.get(key))


def write_output(doc: Document, src: Path, outdir: Path, fmt: str, ropts: RenderOptions) -> Path:
    stem = src.stem
    outdir.mkdir(parents=True, exist_ok=True)
    if fmt == "zip":
        target = outdir / f"{stem}.zip"
        with open(target, "wb") as fh:
            write_zip(doc, fh, stem, ropts, ResultType.ALL)
        return target
    image_dir = f"{stem}_images"
    ropts = RenderOptions(ropts.tables, ropts.images, ropts.page_markers, ropts.page_format, image_dir)
    if fmt == "md":
        target = outdir / f"{stem}.md"
        target.write_text(render_document(doc, ropts), encoding="utf-8")
    elif fmt == "jsonl":
        target = outdir / f"{stem}.jsonl"
        records = chunk_records(doc, ropts)
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        target = outdir / f"{stem}.json"
        target.write_text(json.dumps(document_to_dict(doc), ensure_ascii=False, indent=1), encoding="utf-8")
    if ropts.images is ImageMode.LINK:
        _write_images(doc, outdir, image_dir)
    return target


@click.group()
@click.version_option(package_name="docrecon")
def main() -> None:
    """docrecon: faithful Markdown, JSONL and JSON from PDF, Office, text and image documents."""


@main.command("parse")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "outdir", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option("--pages", help="page range, 1-based inclusive: 3-9, 4, 5-, -2")
@click.option("--format", "fmt", type=click.Choice(["md", "jsonl", "json", "zip"]), default="md", show_default=True)
@click.option("--tables", type=click.Choice([m.value for m in TableMode]), default="auto", show_default=True)
@click.option("--ocr", type=click.Choice([m.value for m in OcrMode]), default="auto", show_default=True)
@click.option("--page-markers/--no-page-markers", default=False, help="page-number markers in the Markdown")
@click.option("--password", default=None, help="password of an encrypted PDF")
@click.option("--no-notes", is_flag=True, help="leave PPTX speaker notes out")
def parse_cmd(
    inputs: tuple[Path, ...], outdir: Path, pages: str | None, fmt: str, tables: str, ocr: str,
    page_markers: bool, password: str | None, no_notes: bool,
) -> None:
    """Parse INPUT files (or folders of them) into OUTDIR/<stem>.<format>."""
    try:
        start, end = parse_pages(pages)
    except DocreconError as exc:
        err.print(f"[red]error[/red] ({exc.code}): {exc.message}")
        sys.exit(exc.exit_code)
    opts = ParseOptions(page_start=start, page_end=end, ocr=OcrMode(ocr), password=password,
                        include_notes=not no_notes)
    ropts = RenderOptions(tables=TableMode(tables), page_markers=page_markers)
    files = _inputs(inputs)
    if not files:
        err.print("[red]error[/red]: no supported documents found")
        sys.exit(2)
    failures = _run_batch(files, outdir, fmt, opts, ropts)
    if len(files) > 1:
        err.print(f"{len(files) - len(failures)} succeeded, {len(failures)} failed")
    if failures:
        sys.exit(failures[0][1].exit_code)


def _run_batch(
    files: list[Path], outdir: Path, fmt: str, opts: ParseOptions, ropts: RenderOptions
) -> list[tuple[Path, DocreconError]]:
    failures: list[tuple[Path, DocreconError]] = []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, disable=not err.is_terminal, transient=True,
    ) as bar:
        for path in files:
            task = bar.add_task(path.name, total=None)

            def on_progress(e: ProgressEvent, task: TaskID = task) -> None:
                bar.update(task, completed=e.done, total=e.total or None)

            assets = DirAssets()
            try:
                doc = parse(path, opts, progress=on_progress, assets=assets)
                target = write_output(doc, path, outdir, fmt, ropts)
                note = f" ({len(doc.failed_pages)} pages failed)" if doc.failed_pages else ""
                err.print(f"[green]ok[/green] {path} -> {target}{note}")
            except DocreconError as exc:
                failures.append((path, exc))
                err.print(f"[red]error[/red] {path} ({exc.code}): {exc.message}")
            except (OSError, zipfile.BadZipFile) as exc:
                wrapped = DocreconError(f"{type(exc).__name__}: {exc}")
                failures.append((path, wrapped))
                err.print(f"[red]error[/red] {path}: {wrapped.message}")
            finally:
                assets.cleanup()
                bar.remove_task(task)
    return failures


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
