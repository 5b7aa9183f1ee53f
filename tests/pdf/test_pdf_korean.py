"""Korean is CJK but puts spaces between words: the spaces stay, within and across lines;
Chinese stays without spaces."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import docrecon
from docrecon.geometry.text import join_lines
from tests.pdfgen import CJK_FONT


def _pdf(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("WQY", 12)
    y = 780.0
    for line in lines:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()
    return buf.getvalue()


def test_korean_word_spaces_are_kept() -> None:
    lines = ["미래 국가 정보보안 기술 발전 방향을 정리한 보고서의", "내용을 요약하면 다음과 같다 데이터 보안 기술"]
    doc = docrecon.parse(_pdf(lines), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = docrecon.render_markdown(doc)
    assert "미래 국가 정보보안 기술 발전 방향을 정리한 보고서의 내용을 요약하면 다음과 같다" in md


def test_chinese_lines_join_without_spaces() -> None:
    assert join_lines(["公司拟签署项目", "投资协议书"]) == "公司拟签署项目投资协议书"
    assert join_lines(["보고서의", "내용을"]) == "보고서의 내용을"
