"""The parse command: outputs per format, batch folders, page ranges, exit codes per error."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfgen import encrypted_pdf, numbered_pages_pdf, two_column_pdf

from docrecon.cli import main


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "paper.pdf").write_bytes(two_column_pdf())
    (d / "pages.pdf").write_bytes(numbered_pages_pdf(6))
    return d


@pytest.mark.parametrize("fmt", ["md", "jsonl", "json", "zip"])
def test_formats(files: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["parse", str(files / "paper.pdf"), "-o", str(out), "--format", fmt])
    assert res.exit_code == 0, res.output
    target = out / f"paper.{fmt}"
    assert target.exists()
    if fmt == "md":
        text = target.read_text()
        assert "# Layout Analysis" in text and "![](paper_images/p1_img1.png)" in text
        assert (out / "paper_images" / "p1_img1.png").exists()
    elif fmt == "json":
        assert json.loads(target.read_text())["schema_version"] == "1.0"
    elif fmt == "jsonl":
        assert all(json.loads(x)["page_content"] for x in target.read_text().splitlines())
    else:
        assert "paper.md" in zipfile.ZipFile(target).namelist()


def test_batch_folder_and_pages(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["parse", str(files), "-o", str(out), "--pages", "2-3"])
    assert res.exit_code == 0, res.output
    assert "2 succeeded, 0 failed" in res.output
    text = (out / "pages.md").read_text()
    assert "page number 2" in text and "page number 3" in text and "page number 4" not in text


def test_batch_with_a_failure_reports_and_exits_nonzero(files: Path, tmp_path: Path) -> None:
    (files / "locked.pdf").write_bytes(encrypted_pdf())
    res = CliRunner().invoke(main, ["parse", str(files), "-o", str(tmp_path / "out")])
    assert res.exit_code == 5
    assert "2 succeeded, 1 failed" in res.output and "encrypted" in res.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--pages", "5-2"], 2, "after end page"),
        (["--pages", "x"], 2, "bad page range"),
        (["--pages", "40"], 2, "beyond the last page"),
    ],
)
def test_exit_codes(files: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    res = CliRunner().invoke(main, ["parse", str(files / "pages.pdf"), "-o", str(tmp_path), *args])
    assert res.exit_code == code
    assert message in res.output


def test_mismatch_and_corrupt_exit_codes(tmp_path: Path) -> None:
    fake = tmp_path / "photo.png"
    fake.write_bytes(numbered_pages_pdf(1))
    res = CliRunner().invoke(main, ["parse", str(fake), "-o", str(tmp_path / "o")])
    assert res.exit_code == 3 and "format_mismatch" in res.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00" * 50)
    res = CliRunner().invoke(main, ["parse", str(broken), "-o", str(tmp_path / "o")])
    assert res.exit_code == 6 and "corrupt_document" in res.output
