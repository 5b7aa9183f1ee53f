"""Batch runs of the parse command (issue 15, defects 1 and 2): no output overwrites another
result or an input, names print verbatim, missing inputs exit 9 without stopping the batch,
extension-less files are sniffed, empty output warns, -v/-q and the --json summary."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from docx import Document as DocxDocument
from pdfgen import numbered_pages_pdf
from PIL import Image

from docrecon.batch import Discovered, plan
from docrecon.cli import main


def _docx(text: str) -> bytes:
    doc = DocxDocument()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["parse", *args])
    return res.exit_code, res.stdout, res.stderr


def test_issue15_same_stem_in_one_folder_keeps_both(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.docx").write_bytes(_docx("word text"))
    (src / "good.pdf").write_bytes(numbered_pages_pdf(1))
    code, _, err = _run(str(src), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "word text" in (tmp_path / "out" / "good.docx.md").read_text()
    assert "page number 1" in (tmp_path / "out" / "good.pdf.md").read_text()
    assert not (tmp_path / "out" / "good.md").exists()


def test_issue15_subfolders_are_mirrored(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "x.docx").write_bytes(_docx(f"from {sub}"))
    code, _, err = _run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "from a" in (tmp_path / "out" / "a" / "x.md").read_text()
    assert "from b" in (tmp_path / "out" / "b" / "x.md").read_text()


def test_issue15_never_writes_over_an_input(tmp_path: Path) -> None:
    same = tmp_path / "same"
    same.mkdir()
    (same / "x.md").write_text("# original\n", encoding="utf-8")
    code, _, err = _run(str(same / "x.md"), "-o", str(same))
    assert code == 0, err
    assert (same / "x.md").read_text(encoding="utf-8") == "# original\n"
    assert "original" in (same / "x.md.md").read_text(encoding="utf-8")


def test_plan_names_colliding_file_arguments_apart(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "r.pdf", tmp_path / "b" / "r.pdf"
    items = plan([Discovered(a, None), Discovered(b, None)], tmp_path / "out", ".md")
    assert len({str(i.target) for i in items}) == 2


def test_issue15_names_print_verbatim_and_unwrapped(tmp_path: Path) -> None:
    name = "Q3 report [draft] " + "with a very long name " * 5 + ".docx"
    (tmp_path / name).write_bytes(_docx("hello"))
    code, _, err = _run(str(tmp_path / name), "-o", str(tmp_path / "out"))
    assert code == 0, err
    line = next(x for x in err.splitlines() if x.startswith("ok "))
    assert name in line and len(line) > 80


def test_issue15_missing_input_exits_9_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.docx").write_bytes(_docx("still parsed"))
    code, _, err = _run(str(tmp_path / "nope.pdf"), str(tmp_path / "ok.docx"), "-o", str(tmp_path / "out"))
    assert code == 9
    assert "not_found" in err and "nope.pdf" in err
    assert "still parsed" in (tmp_path / "out" / "ok.md").read_text()
    assert "1 succeeded, 1 failed" in err


def test_issue15_extensionless_file_in_folder_is_sniffed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "scan").write_bytes(numbered_pages_pdf(1))
    (src / "notes").write_bytes(b"\x00\x01\x02 binary junk" * 10)
    code, _, err = _run(str(src), "-o", str(tmp_path / "out"), "-v")
    assert code == 0, err
    assert "page number 1" in (tmp_path / "out" / "scan.md").read_text()
    assert "skipped" in err and "notes" in err


def test_issue15_empty_output_warns(tmp_path: Path) -> None:
    png = tmp_path / "blank.png"
    Image.new("RGB", (200, 100), "white").save(png)
    code, out, err = _run(str(png), "-o", str(tmp_path / "out"), "--ocr", "off", "--json")
    assert code == 0, err
    assert "no text found" in err
    summary = json.loads(out)
    assert summary["files"][0]["warnings"] == ["no text found (OCR is off)"]


def test_issue15_quiet_and_json_summary(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(_docx("a"))
    code, out, err = _run(str(tmp_path / "a.docx"), str(tmp_path / "gone.pdf"), "-o", str(tmp_path / "o"),
                          "-q", "--json")
    assert code == 9
    assert "ok " not in err and "succeeded" not in err and "not_found" in err
    summary = json.loads(out)
    assert (summary["succeeded"], summary["failed"]) == (1, 1)
    assert {f["status"] for f in summary["files"]} == {"ok", "error"}
    ok = next(f for f in summary["files"] if f["status"] == "ok")
    assert ok["output"].endswith("a.md") and ok["pages"] == 1
