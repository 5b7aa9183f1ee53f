"""Speed and memory of docrecon vs pymupdf4llm on the same PDFs, in one run, alternating.

    .venv/bin/python bench/bench_pdf.py [--set ../shared/eval/dev] [--rounds 3]
    .venv/bin/python bench/bench_pdf.py --workers 1 2    # supervised workers instead of the peer

The peer (pymupdf4llm 1.28.2, AGPL) lives only in its own virtualenv, ``bench/.venv-peer``,
created on first use; it is never a docrecon dependency. Each measurement runs in a fresh
subprocess that times the conversion loop only (imports excluded) and reports its peak RSS.
Born-digital PDFs of the set (format pdf, not scanned/handwriting) are used.

``--workers N ...`` measures, in the same run, docrecon in-process (``docrecon.parse``) and
through the supervised pool of N child processes (``docrecon.supervise``, what ``docrecon parse
--workers N`` runs), warm: the children are started and have parsed one file before the clock
starts. It prints pages/s, the speed-up over one worker, and the supervision cost per document
(one worker minus in-process). Peak RSS is the parent's only in that mode.
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
if tool.startswith("workers="):
    import tempfile
    from pathlib import Path
    from docrecon.batch import BatchItem, RenderJob, render_task
    from docrecon.options import ParseOptions
    from docrecon.renderers import RenderOptions
    from docrecon.supervise import Supervisor, file_cost
    n = int(tool.split("=")[1])
    out = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    def job(i, f):
        return RenderJob(BatchItem(Path(f), out / str(i)), "md", ParseOptions(), RenderOptions())
    sup = Supervisor(n)
    list(sup.map(render_task, [job(i, files[0]) for i in range(n)]))  # warm-up: start the children
    t0 = time.perf_counter()
    pages = 0
    jobs = [job(i, f) for i, f in enumerate(files)]
    for _, r in sup.map(render_task, jobs, cost=lambda j: file_cost(j.item.src)):  # as `docrecon parse -j N`
        pages += r.pages
    elapsed = time.perf_counter() - t0
    sup.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": elapsed, "peak_rss_mb": rss}))
    sys.exit(0)
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
    ap.add_argument("--workers", type=int, nargs="+", help="compare supervised pools of these sizes, not the peer")
    args = ap.parse_args()
    files = pdfs(Path(args.set))
    if args.workers:
        return bench_workers(files, args.rounds, args.workers)
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


def bench_workers(files: list[str], rounds: int, workers: list[int]) -> int:
    tools = ["docrecon", *(f"workers={n}" for n in workers)]
    results: dict[str, list[dict[str, float]]] = {t: [] for t in tools}
    for i in range(rounds):
        for tool in tools:
            r = run(sys.executable, tool, files)
            results[tool].append(r)
            print(f"round {i + 1} {tool:12s} {r['pages']} pages in {r['seconds']:.2f} s = "
                  f"{r['pages'] / r['seconds']:.1f} pages/s")
    best = {t: max(x["pages"] / x["seconds"] for x in rs) for t, rs in results.items()}
    fastest = {t: min(x["seconds"] for x in rs) for t, rs in results.items()}
    print(f"\n{len(files)} PDFs; best of {rounds} rounds")
    for t in tools:
        print(f"  {t:12s} {best[t]:7.1f} pages/s")
    if "workers=1" in best:
        for n in (n for n in workers if n != 1):
            print(f"  speed-up workers={n} / workers=1: {best[f'workers={n}'] / best['workers=1']:.2f}x")
        cost = (fastest["workers=1"] - fastest["docrecon"]) / len(files) * 1000
        print(f"  supervision cost (workers=1 minus in-process): {cost:.0f} ms per document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
