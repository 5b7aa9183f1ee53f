from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docrecon.cli import main


def _pdf(path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    pages = [
        ["Warehouse report", "The Berlin warehouse stores 4,200 pallets of paper."],
        ["Staffing", "The night shift in Hamburg is staffed by 14 forklift drivers."],
    ]
    for title, body in pages:
        c.setFont("Helvetica-Bold", 18)
        c.drawString(72, 760, title)
        c.setFont("Helvetica", 11)
        c.drawString(72, 730, body)
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())


def test_ask_cites_file_and_page(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    _pdf(pdf)
    md = tmp_path / "notes.md"
    md.write_text("# Notes\n\n## Canteen\n\nThe canteen serves lunch from 11:30 to 14:00.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ask", str(pdf), str(md), "-q", "How many forklift drivers work nights?"])
    assert result.exit_code == 0, result.output
    assert "The night shift in Hamburg is staffed by 14 forklift drivers. [1]" in result.output
    assert "[1] report.pdf, page 2:" in result.output

    result = runner.invoke(main, ["ask", str(pdf), str(md), "-q", "When is lunch served?", "--json", "--k", "2"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["source"] == "extractive" and "11:30" in out["answer"]
    assert out["citations"][0]["name"] == "notes.md" and out["citations"][0]["page"] == 1
    assert len(out["passages"]) <= 2


def test_ask_llm_down_falls_back(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Notes\n\nThe canteen serves lunch from 11:30 to 14:00.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ask", str(md), "-q", "When is lunch?", "--llm-url", "http://127.0.0.1:9/v1", "--llm-model", "m"]
    )
    assert result.exit_code == 0, result.output
    assert "LLM unavailable" in result.output and "11:30 to 14:00. [1]" in result.output


def test_ask_nothing_found_and_usage(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Notes\n\nThe canteen serves lunch from 11:30 to 14:00.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ask", str(md), "-q", "What is the capital of Peru?"])
    assert result.exit_code == 0 and "No answer found in the session's documents." in result.output
    assert "Sources:" not in result.output
    assert CliRunner().invoke(main, ["ask", "-q", "x"]).exit_code == 2
