from __future__ import annotations

from qadocs import block, document

from docrecon.model import BlockType
from docrecon.qa.answer import extractive_answer, search
from docrecon.qa.index import QaIndex
from docrecon.qa.spans import sentence_spans


def _index() -> QaIndex:
    doc = document([[
        block(1, 0, BlockType.PARAGRAPH, "Docling bundles PDF document conversion to"),
        block(1, 1, BlockType.PARAGRAPH, "JSON and Markdown in an easy self contained package."),
        block(1, 2, BlockType.PARAGRAPH, "Steps to install the tool"),
        block(1, 3, BlockType.LIST_ITEM, "1. Download the wheel", list_id="L", marker="1."),
        block(1, 4, BlockType.PARAGRAPH, "事件：公司公告项目一期计划建设年产四千万千米金刚线产能，预计一期总投资额约"),
        block(1, 5, BlockType.PARAGRAPH, "6.66亿元；后续项目尚未具体约定。"),
        block(1, 6, BlockType.PARAGRAPH, "Model: X200 Serial"),
        block(1, 7, BlockType.PARAGRAPH, "Number: 4471"),
    ]], "notes.pdf")
    ix = QaIndex()
    ix.add("n", doc, "notes.pdf")
    return ix


def test_sentence_runs_on_across_block_breaks() -> None:
    ix = _index()
    hit = ix.search("Docling PDF conversion", ["n"], k=1)[0]
    texts = [s.text for s in sentence_spans(hit)]
    assert "Docling bundles PDF document conversion to JSON and Markdown in an easy self contained package." in texts
    # a list item and a "label: value" line start something new
    assert "Steps to install the tool" in texts and "Model: X200 Serial" in texts
    q = "What does Docling bundle PDF document conversion to?"
    answer = extractive_answer(q, search(ix, q, ["n"]))
    assert "JSON and Markdown" in answer.text and answer.citations[0].block_id == "p1/b0"


def test_chinese_sentence_runs_on() -> None:
    ix = _index()
    q = "项目一期总投资额约多少？"
    answer = extractive_answer(q, search(ix, q, ["n"]))
    assert "6.66亿元" in answer.text and len(answer.text) <= 200
