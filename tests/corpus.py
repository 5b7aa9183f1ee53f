"""A small folder of generated documents for the loader and docs-example tests."""

from __future__ import annotations

from pathlib import Path

from pdfgen import structure_pdf, two_column_pdf

NOTE = """# Travel policy

## Trains

Trains are booked in second class for trips under four hours.

## Hotels

Hotels are capped at 150 euros per night in every city.
"""


def make_corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True, exist_ok=True)
    (root / "design.pdf").write_bytes(structure_pdf(2))
    (root / "sub" / "paper.pdf").write_bytes(two_column_pdf())
    (root / "policy.md").write_text(NOTE, encoding="utf-8")
    return root
