"""Every reader turns damaged input into the error tree: truncated, bit-flipped and wrongly
typed variants of generated documents (seeded, so the run is deterministic) come out as a
result or a :class:`DocreconError` subclass, never a traceback, a crash or a hang.

The variants run in supervised children (two at a time) with a per-document limit, so a hang
or a native crash shows up as a finding instead of stalling the run.
"""

from __future__ import annotations

import random

import childtasks
import pytest
from fuzzing import MAKERS

from docrecon.supervise import Limits, Supervisor

WRONG = {"pdf": "docx", "docx": "pdf", "pptx": "xlsx", "xlsx": "pptx", "png": "jpg", "gif": "pdf",
         "tiff": "png", "md": "pdf", "csv": "xlsx", "txt": "docx"}


def variants(ext: str, data: bytes, flips: int = 6) -> list[tuple[bytes, str, str | None]]:
    rng = random.Random(f"{ext}-{len(data)}")
    out: list[tuple[bytes, str, str | None]] = []
    for frac in (0.02, 0.3, 0.6, 0.9, 0.99):
        out.append((data[: max(1, int(len(data) * frac))], f"cut.{ext}", None))
    for _ in range(flips):
        damaged = bytearray(data)
        for _ in range(max(1, len(data) // 2000)):
            i = rng.randrange(len(damaged))
            damaged[i] ^= 1 << rng.randrange(8)
        out.append((bytes(damaged), f"flip.{ext}", None))
    out.append((data, f"typed.{ext}", WRONG[ext]))
    out.append((data, f"named.{WRONG[ext]}", None))
    return out


@pytest.fixture(scope="module")
def supervisor() -> Supervisor:
    sup = Supervisor(2, Limits(document_timeout=20, page_timeout=None))
    yield sup  # type: ignore[misc]
    sup.close()


@pytest.mark.parametrize("ext", sorted(MAKERS))
def test_damaged_inputs_end_in_the_error_tree(ext: str, supervisor: Supervisor) -> None:
    cases = variants(ext, MAKERS[ext]())
    findings = []
    for i, result in supervisor.map(childtasks.parse_variant, cases):
        if result is not None:
            findings.append(f"{cases[i][1]} (variant {i}): {result}")
    assert not findings, "\n\n".join(findings)
