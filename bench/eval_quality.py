"""Quality benchmark: run docrecon over an evaluation folder laid out like ../shared/eval/dev
(manifest.jsonl, inputs/, truth/) and score it with the set's score.py.

    .venv/bin/python bench/eval_quality.py [--set ../shared/eval/dev] [--format pdf ...]
        [--feature tables ...] [--exclude-feature scanned ...] [--ids ID ...] [--out DIR]

Prints per-case (with --per-case), per-format and per-feature composite scores. Needs
rapidfuzz, apted and markdown-it-py (the dev extra). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import docrecon
from docrecon.renderers import RenderOptions, TableMode, render_document

HERE = Path(__file__).resolve().parent


def select(rows: list[dict], args: argparse.Namespace) -> list[dict]:
    out = []
    for r in rows:
        if args.ids and r["id"] not in args.ids:
            continue
        if args.format and r["format"] not in args.format:
            continue
        if args.feature and not set(args.feature) & set(r["features"]):
            continue
        if args.exclude_feature and set(args.exclude_feature) & set(r["features"]):
            continue
        out.append(r)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(HERE.parent.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--format", nargs="*")
    ap.add_argument("--feature", nargs="*")
    ap.add_argument("--exclude-feature", nargs="*")
    ap.add_argument("--ids", nargs="*")
    ap.add_argument("--out", default=str(HERE / "out-eval"))
    ap.add_argument("--tables", default="auto", choices=[m.value for m in TableMode])
    ap.add_argument("--per-case", action="store_true")
    args = ap.parse_args()
    set_dir = Path(args.set)
    rows = [json.loads(line) for line in (set_dir / "manifest.jsonl").read_text().splitlines() if line.strip()]
    cases = select(rows, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for f in out.glob("*.md"):
        f.unlink()
    opts = RenderOptions(tables=TableMode(args.tables))
    pages = 0
    t0 = time.perf_counter()
    for r in cases:
        try:
            doc = docrecon.parse(set_dir / r["input"])
        except docrecon.DocreconError as exc:
            print(f"{r['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        pages += len(doc.pages)
        (out / f"{r['id']}.md").write_text(render_document(doc, opts), encoding="utf-8")
    elapsed = time.perf_counter() - t0
    scores_path = out / "scores.json"
    cmd = [sys.executable, str(set_dir.parent / "score.py"), str(out), "--set", str(set_dir),
           "--json", str(scores_path), "--ids", *[r["id"] for r in cases]]
    if args.per_case:
        cmd.append("--per-case")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if not args.per_case else None)
    report(json.loads(scores_path.read_text()), cases)
    print(f"{len(cases)} cases, {pages} pages in {elapsed:.1f} s ({pages / elapsed:.1f} pages/s incl. all formats)")
    return 0


def report(scores: dict, cases: list[dict]) -> None:
    per_case = scores.get("cases") or scores.get("per_case") or {}
    if isinstance(per_case, list):
        per_case = {c["id"]: c for c in per_case}
    by_format: dict[str, list[float]] = defaultdict(list)
    by_feature: dict[str, list[float]] = defaultdict(list)
    allv = []
    for r in cases:
        c = per_case.get(r["id"])
        if not c or c.get("score") is None:
            continue
        s = float(c["score"])
        allv.append(s)
        by_format[r["format"]].append(s)
        for f in r["features"]:
            by_feature[f].append(s)
    print("per format:")
    for k, v in sorted(by_format.items()):
        print(f"  {k:10s} {sum(v) / len(v):6.1f}  (n={len(v)})")
    print("per feature:")
    for k, v in sorted(by_feature.items()):
        print(f"  {k:18s} {sum(v) / len(v):6.1f}  (n={len(v)})")
    if allv:
        print(f"composite: {sum(allv) / len(allv):.1f} over {len(allv)} cases")


if __name__ == "__main__":
    raise SystemExit(main())
