"""The command line: a thin click layer over :func:`docrecon.parse` and the renderers.

Every document is parsed and written by a supervised child process (:mod:`docrecon.supervise`),
``--workers`` at a time: a crash, hang or memory blow-up fails that file, and the batch goes on.
Exit codes come from the error classes (``DocreconError.exit_code``); a batch exits with the
first failing input's code after printing a summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from docrecon.batch import FORMATS, SUFFIX, BatchItem, Outcome, RenderJob, discover, plan, render_task, write_output
from docrecon.errors import DocreconError, InputError, InvalidOption, NotFound
from docrecon.options import OcrMode, ParseOptions
from docrecon.pipeline import ProgressEvent
from docrecon.renderers import RenderOptions, TableMode
from docrecon.supervise import Limits, Supervisor, default_workers, file_cost

__all__ = ["main", "parse_pages", "write_output"]

_LIMITS = Limits()


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
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="documents parsed at once, each in its own process  [default: number of cores]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=_LIMITS.document_timeout,
              show_default=True, help="wall-clock limit per document, seconds")
@click.option("--page-timeout", type=click.FloatRange(min=0, min_open=True), default=_LIMITS.page_timeout,
              show_default=True, help="wall-clock limit per page, seconds")
@click.option("--memory-limit", type=click.IntRange(min=256), default=_LIMITS.memory_mb, show_default=True,
              help="address-space limit of each worker process, MiB")
def parse_cmd(
    inputs: tuple[Path, ...], outdir: Path, pages: str | None, fmt: str, tables: str, ocr: str,
    page_markers: bool, password: str | None, no_notes: bool, verbose: bool, quiet: bool, as_json: bool,
    workers: int | None, timeout: float, page_timeout: float, memory_limit: int,
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
    limits = Limits(memory_mb=memory_limit, document_timeout=timeout, page_timeout=page_timeout)
    jobs = [RenderJob(item, fmt, opts, ropts) for item in plan(found, outdir, f".{SUFFIX.get(fmt, fmt)}")]
    run_batch(jobs, report, workers or default_workers(), limits)
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

    def done(self, path: Path, outcome: Outcome) -> None:
        target = outcome.output
        warnings = [f"{outcome.failed_pages} pages failed"] if outcome.failed_pages else []
        if outcome.empty:
            warnings.append("no text found" + ("" if outcome.ocr_used else " (OCR is off)"))
        note = f" ({'; '.join(warnings)})" if warnings else ""
        if self.verbosity >= 1:
            self.console.print(f"[green]ok[/green] {escape(str(path))} -> {escape(str(target))}{escape(note)}")
        for w in warnings:
            if self.verbosity < 1:
                self.console.print(f"[yellow]warning[/yellow] {escape(str(path))}: {escape(w)}")
        self.note(f"  {outcome.pages} pages")
        self.results.append({"input": str(path), "output": str(target), "status": "ok",
                             "pages": outcome.pages, "warnings": warnings})

    def finish(self, as_json: bool) -> None:
        ok = len(self.results) - len(self.failures)
        if as_json:
            click.echo(json.dumps({"succeeded": ok, "failed": len(self.failures), "files": self.results},
                                  ensure_ascii=False))
        if len(self.results) > 1 and self.verbosity >= 1:
            self.console.print(f"{ok} succeeded, {len(self.failures)} failed")


def run_batch(jobs: list[RenderJob], report: Reporter, workers: int, limits: Limits) -> None:
    """Parse and write every job in supervised children, ``workers`` at a time; outcomes go to
    ``report`` as they finish. One display: the files done, plus a bar per file being parsed."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=report.console, disable=not report.console.is_terminal or report.verbosity == 0, transient=True,
    ) as bar, Supervisor(min(workers, max(1, len(jobs))), limits) as supervisor:
        overall = bar.add_task("files", total=len(jobs))
        tasks: dict[int, TaskID] = {}

        def on_progress(index: int, e: ProgressEvent) -> None:
            if index not in tasks:
                tasks[index] = bar.add_task(escape(jobs[index].item.src.name), total=None)
            bar.update(tasks[index], completed=e.done, total=e.total or None)

        for index, result in supervisor.map(render_task, jobs, on_progress, cost=lambda j: file_cost(j.item.src)):
            if index in tasks:
                bar.remove_task(tasks.pop(index))
            bar.advance(overall)
            item: BatchItem = jobs[index].item
            if isinstance(result, DocreconError):
                report.fail(item.src, result)
            else:
                report.done(item.src, result)


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
