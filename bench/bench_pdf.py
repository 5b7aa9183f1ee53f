"""Speed and memory of docrecon vs pymupdf4llm on the same PDFs, in one run, alternating.

    .venv/bin/python bench/bench_pdf.py [--set ../shared/eval/dev] [--rounds 3]

The peer (pymupdf4llm 1.28.2, AGPL) lives only in its own virtualenv, ``bench/.venv-peer``,
created on first use; it is never a docrecon dependency. Each measurement runs in a fresh
subprocess that times the conversion loop only (imports excluded) and reports its peak RSS.
Born-digital PDFs of the set (format pdf, not scanned/handwriting) are used.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER_VENV = HERE / ".venv-peer"

RUNNER = r"""
import json, resource, sys, time
tool, files = sys.argv[1], sys.argv[2:]
if tool == "docrecon":
    import docrecon
    from docrecon.renderers import render_document
    def convert(path):
        doc = docrecon.parse(path)
        render_document(doc)
        return len(doc.pages)
else:
    import pymupdf, pymupdf4llm
    def convert(path):
        pymupdf4llm.to_markdown(path)
        with pymupdf.open(path) as d:
            return d.page_count
convert(files[0])  # warm-up (lazy imports, font caches)
pages = 0
t0 = time.perf_counter()
for f in files:
    pages += convert(f)
elapsed = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pages": pages, "seconds": elapsed, "peak_rss_mb": rss}))
"""


def ensure_peer() -> Path:
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pymupdf4llm==1.28.2"], check=True)
    return py


def pdfs(set_dir: Path) -> list[str]:
    rows = [json.loads(x) for x in (set_dir / "manifest.jsonl").read_text().splitlines() if x.strip()]
    return [
        str(set_dir / r["input"]) for r in rows
        if r["format"] == "pdf" and not {"scanned", "handwriting"} & set(r["features"])
    ]


def run(python: str, tool: str, files: list[str]) -> dict[str, float]:
    out = subprocess.run([python, "-c", RUNNER, tool, *files], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(HERE.parent.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    files = pdfs(Path(args.set))
    peer = str(ensure_peer())
    results: dict[str, list[dict[str, float]]] = {"docrecon": [], "pymupdf4llm": []}
    for i in range(args.rounds):
        for tool, py in (("docrecon", sys.executable), ("pymupdf4llm", peer)):
            r = run(py, tool, files)
            results[tool].append(r)
            print(f"round {i + 1} {tool:12s} {r['pages']} pages in {r['seconds']:.2f} s = "
                  f"{r['pages'] / r['seconds']:.1f} pages/s, peak RSS {r['peak_rss_mb']:.0f} MB")
    best = {t: max(x["pages"] / x["seconds"] for x in rs) for t, rs in results.items()}
    mem = {t: max(x["peak_rss_mb"] for x in rs) for t, rs in results.items()}
    print(f"\n{len(files)} PDFs; best of {args.rounds} rounds")
    for t in results:
        print(f"  {t:12s} {best[t]:7.1f} pages/s   peak RSS {mem[t]:.0f} MB")
    print(f"  ratio docrecon / pymupdf4llm: {best['docrecon'] / best['pymupdf4llm']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
