"""Q&A answer benchmark: is the gold answer in the answer, short, and cited on the right page?

    .venv/bin/python bench/qa/bench_answers.py [--json out.json] [--show]

Questions (``answers.jsonl``) were written by reading the ``../shared/eval/dev`` documents
(never copied here); each names its session (the document holding the answer plus distractors),
the gold strings (any one counts) and the pages that hold them (``null``: any page of the file;
no gold: unanswerable). ``"split": "holdout"`` marks questions written after the answer stage
was tuned on the others (the "dev" split), scored apart; ``"split": "fresh"`` marks a later set,
written by reading documents mostly not used before, before the answer stage was changed again
(kept as a check: rules must not be tuned on its text either); ``"split": "fresh2"`` is a third such
set, on documents not used before (round 3), and ``"split": "fresh3"`` a fourth (round 4,
English typed and span questions). Answers go through
:func:`docrecon.qa.answer.search` and :func:`docrecon.qa.llm.stream_answer` without an LLM, the
path ``docrecon ask`` and the chat SSE share. Scores, per language and kind:

- **hit**: a gold string is in the answer (NFKC, case and white space folded, dash and range marks
  "–", "~", "∼" read as "-");
- **concise**: a hit in an answer of at most 200 characters (citation markers not counted);
- **citation page**: the first citation names the gold file and one of its pages;
- **false no-answer**: an answerable question got the no-answer reply;
- **no-answer accuracy**: an unanswerable question got the no-answer reply.

Latency is search + answer to the final delta in a 5-document session (the question's session
padded with other documents), on documents parsed and indexed beforehand: "cold" with the answer
stage's per-text cache emptied before every question, "warm" with it kept (a session asked again).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench_qa import DEV, load_doc

from docrecon.config import QaSettings
from docrecon.qa import answer as answer_stage
from docrecon.qa.index import QaIndex
from docrecon.qa.llm import AnswerDelta, stream_answer

HERE = Path(__file__).resolve().parent
CONCISE = 200
_MARK = re.compile(r"\[\d+\]")


def load_questions() -> list[dict[str, Any]]:
    lines = (HERE / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


#: range and dash marks a scan or a font may give for one another ("3–4", "3~4", "3∼4")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212~\u223c\u301c\uff5e"})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return "".join(text.translate(_DASHES).split())


async def _answer(question: str, index: QaIndex, session: list[str]) -> AnswerDelta:
    hits = answer_stage.search(index, question, session, k=5)
    text = ""
    final = AnswerDelta("", final=True)
    async for delta in stream_answer(question, hits, QaSettings()):
        text += delta.text
        if delta.final:
            final = delta
    return AnswerDelta(text, True, final.source, final.citations, final.passages)


def score(q: dict[str, Any], answer: AnswerDelta) -> dict[str, Any]:
    text = _MARK.sub("", answer.text).strip()
    found = bool(answer.citations)
    if not q["gold"]:
        return {"id": q["id"], "no_answer_ok": not found, "answer": text}
    hit = any(norm(g) in norm(text) for g in q["gold"])
    first = answer.citations[0] if answer.citations else None
    page_ok = first is not None and first.doc_id == q["case"] and (q["page"] is None or first.page in q["page"])
    return {
        "id": q["id"],
        "hit": hit,
        "concise": hit and len(text) <= CONCISE,
        "page": page_ok,
        "false_no_answer": not found,
        "answer": text,
    }


def _rate(rows: Iterable[dict[str, Any]], key: str) -> float | None:
    vals = [bool(r[key]) for r in rows if key in r]
    return round(sum(vals) / len(vals), 3) if vals else None


def summarize(rows: list[dict[str, Any]], questions: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {q["id"]: q for q in questions}
    keys = ("hit", "concise", "page", "false_no_answer")

    def block(sel: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": len(sel)}
        for k in keys:
            out[k] = _rate(sel, k)
        out["no_answer_accuracy"] = _rate(sel, "no_answer_ok")
        return {k: v for k, v in out.items() if v is not None}

    result: dict[str, Any] = {"all": block(rows)}
    for lang in ("en", "zh"):
        result[lang] = block([r for r in rows if by_id[r["id"]]["lang"] == lang])
    kinds = sorted({q["kind"] for q in questions})
    result["by_kind"] = {
        f"{kind}/{lang}": block([r for r in rows if (by_id[r["id"]]["kind"], by_id[r["id"]]["lang"]) == (kind, lang)])
        for kind in kinds
        for lang in ("en", "zh")
    }
    return result


def run(show: bool) -> dict[str, Any]:
    questions = load_questions()
    manifest = [json.loads(x)["id"] for x in (DEV / "manifest.jsonl").read_text().splitlines()]
    needed = sorted({c for q in questions for c in q["session"]})
    index = QaIndex(":memory:")
    for case in manifest:
        index.add(case, load_doc(case), case)
    rows = []
    for q in questions:
        answer = asyncio.run(_answer(q["question"], index, q["session"]))
        row = score(q, answer)
        rows.append(row)
        if show:
            bad = not row.get("hit", row.get("no_answer_ok")) or not row.get("page", True)
            mark = "  " if not bad else "XX"
            cite = answer.citations[0] if answer.citations else None
            where = f"{cite.doc_id} p{cite.page}" if cite else "-"
            print(f"{mark} {q['id']} {q['question']} {answer.source}")
            print(f"     gold={q['gold']} page={q['page']} | {where}\n     {row['answer'][:240]!r}")
    split = {q["id"]: q.get("split", "dev") for q in questions}
    result: dict[str, Any] = {}
    for name in ("dev", "holdout", "fresh", "fresh2", "fresh3"):
        part = [q for q in questions if split[q["id"]] == name]
        if part:
            result[name] = summarize([r for r in rows if split[r["id"]] == name], part)
    result["all_splits"] = summarize(rows, questions)
    result["documents_in_sessions"] = len(needed)
    result["latency_5_docs_ms"] = {"cold": latency(questions, index, manifest, cold=True),
                                   "warm": latency(questions, index, manifest, cold=False)}
    index.close()
    return result


def latency(questions: list[dict[str, Any]], index: QaIndex, manifest: list[str], cold: bool) -> dict[str, float]:
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(3):
        for q in questions:
            others = [c for c in manifest if c not in q["session"]]
            session = (q["session"] + rng.sample(others, 5))[:5]
            if cold:
                answer_stage._ctx.cache_clear()
            t0 = time.perf_counter()
            asyncio.run(_answer(q["question"], index, session))
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50": round(statistics.median(times), 2),
        "p95": round(times[int(len(times) * 0.95) - 1], 2),
        "n": len(times),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path, help="also write the result here")
    ap.add_argument("--show", action="store_true", help="print every question, its answer and its citation")
    args = ap.parse_args()
    result = run(args.show)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
