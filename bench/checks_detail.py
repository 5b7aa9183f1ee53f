"""Show which unit checks of a checks-truth case fail (debug aid for eval_quality.py output)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def main() -> None:
    spec = importlib.util.spec_from_file_location("score", SET / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    pred_dir = Path(sys.argv[1])
    for case_id in sys.argv[2:]:
        md = (pred_dir / f"{case_id}.md").read_text()
        lines = (SET / "dev" / "truth" / f"{case_id}.checks.jsonl").read_text().splitlines()
        checks = [json.loads(x) for x in lines if x.strip()]
        blocks = score.parse_markdown(md)
        for c in checks:
            res = score.run_checks([c], md, blocks)
            if not res:
                continue
            print(case_id, "PASS" if res[0][2] else "FAIL", json.dumps(c, ensure_ascii=False)[:220])


if __name__ == "__main__":
    main()
