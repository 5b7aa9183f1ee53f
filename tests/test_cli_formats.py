"""docrecon parse --format html / text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfgen import two_column_pdf

from docrecon.cli import main


@pytest.mark.parametrize(("fmt", "suffix"), [("html", "html"), ("text", "txt")])
def test_html_and_text_formats(tmp_path: Path, fmt: str, suffix: str) -> None:
    src = tmp_path / "paper.pdf"
    src.write_bytes(two_column_pdf())
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["parse", str(src), "-o", str(out), "--format", fmt])
    assert res.exit_code == 0, res.output
    text = (out / f"paper.{suffix}").read_text()
    assert "Layout Analysis" in text
    if fmt == "html":
        assert '<img src="paper_images/p1_img1.png"' in text and (out / "paper_images" / "p1_img1.png").exists()
    else:
        assert "<" not in text and not (out / "paper_images").exists()
