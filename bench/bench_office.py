"""Office speed benchmark: documents generated on the fly, timings printed.

    .venv/bin/python bench/bench_office.py [--repeat 3] [--no-legacy]

* a 50-page DOCX (headings, paragraphs, lists, tables; page breaks)        target < 1 s
* a 10,000-row XLSX (10 columns), with max_sheet_rows=10,000 so nothing is cut   target < 3 s
* legacy conversion overhead: DOC/PPT through LibreOffice vs the same DOCX/PPTX read directly,
  and XLS through xlrd vs the XLSX
Times are the best of ``--repeat`` runs of ``docrecon.parse`` plus Markdown rendering.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "readers"))

from office_docs import big_xlsx, long_docx, sample_pptx, soffice_convert  # noqa: E402

import docrecon  # noqa: E402
from docrecon.options import ParseOptions  # noqa: E402
from docrecon.renderers import render_document  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(data: bytes, name: str, opts: ParseOptions | None = None) -> None:
    render_document(docrecon.parse(data, opts, name=name))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-legacy", action="store_true")
    args = ap.parse_args()
    docx = long_docx(50)
    pages = docrecon.parse(docx, name="long.docx").page_count
    t = best(lambda: run(docx, "long.docx"), args.repeat)
    print(f"DOCX  {pages} pages, {len(docx) // 1024} KiB: {t:.3f} s  (target < 1 s)")
    xlsx = big_xlsx(10_000, 10)
    opts = ParseOptions(max_sheet_rows=10_000)
    t = best(lambda: run(xlsx, "big.xlsx", opts), args.repeat)
    print(f"XLSX  10,000 rows x 10 cols, {len(xlsx) // 1024} KiB: {t:.3f} s  (target < 3 s)")
    t = best(lambda: run(xlsx, "big.xlsx"), args.repeat)
    print(f"XLSX  same, default max_sheet_rows={ParseOptions().max_sheet_rows} (truncated): {t:.3f} s")
    if args.no_legacy:
        return 0
    small_docx = long_docx(5)
    pptx = sample_pptx()
    cases = [
        ("DOC", soffice_convert(small_docx, "docx", "doc"), small_docx, "docx"),
        ("PPT", soffice_convert(pptx, "pptx", "ppt"), pptx, "pptx"),
        ("XLS", soffice_convert(xlsx, "xlsx", "xls"), xlsx, "xlsx"),
    ]
    for label, legacy, modern, ext in cases:
        direct = best(lambda m=modern, e=ext: run(m, f"x.{e}", opts), args.repeat)
        via = best(lambda d=legacy, lab=label: run(d, f"x.{lab.lower()}", opts), args.repeat)
        how = "xlrd" if label == "XLS" else "LibreOffice"
        print(f"{label}   via {how}: {via:.3f} s vs {ext.upper()} direct {direct:.3f} s "
              f"-> overhead {via - direct:+.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
