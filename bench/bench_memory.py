"""Peak memory on a long PDF: concatenates the set's born-digital PDFs into one of N pages
(default 1,000) and parses it in a fresh subprocess with pictures spilled to disk.

    .venv/bin/python bench/bench_memory.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_pdf import pdfs  # noqa: E402

RUNNER = r"""
import json, resource, sys, time
import docrecon
from docrecon.model import DirAssets
from docrecon.renderers import render_document
assets = DirAssets()
t0 = time.perf_counter()
doc = docrecon.parse(sys.argv[1], assets=assets)
md = render_document(doc)
elapsed = time.perf_counter() - t0
assets.cleanup()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pages": len(doc.pages), "seconds": elapsed, "peak_rss_mb": rss, "md_chars": len(md)}))
"""


def build(n: int, sources: list[str], target: Path) -> None:
    out = pdfium.PdfDocument.new()
    srcs = [pdfium.PdfDocument(s) for s in sources]
    while len(out) < n:
        for src in srcs:
            take = min(len(src), n - len(out))
            if take <= 0:
                break
            out.import_pages(src, list(range(take)))
    out.save(str(target))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(HERE.parent.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "long.pdf"
        build(args.pages, pdfs(Path(args.set)), target)
        size = target.stat().st_size / 1e6
        out = subprocess.run([sys.executable, "-c", RUNNER, str(target)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{r['pages']} pages ({size:.1f} MB PDF) in {r['seconds']:.1f} s = {r['pages'] / r['seconds']:.1f} pages/s; "
          f"peak RSS {r['peak_rss_mb']:.0f} MB; Markdown {r['md_chars']} chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
