from __future__ import annotations

from qadocs import handbook

from docrecon.qa.answer import NO_ANSWER_EN, NO_ANSWER_ZH, extractive_answer
from docrecon.qa.index import QaIndex


def _index() -> QaIndex:
    ix = QaIndex()
    ix.add("hb", handbook(), "handbook.pdf")
    return ix


def test_extractive_answer_cites_the_right_page_and_block() -> None:
    ix = _index()
    q = "When do unused leave days expire?"
    answer = extractive_answer(q, ix.search(q, ["hb"]))
    assert answer.found
    assert "Unused days expire in March. [1]" in answer.text
    c = answer.citations[0]
    assert (c.doc_id, c.name, c.page, c.block_id) == ("hb", "handbook.pdf", 1, "p1/b3")
    assert c.quote == "Unused days expire in March."
    assert answer.passages and answer.passages[0].rank == 1


def test_table_row_answer_with_headers() -> None:
    ix = _index()
    q = "How many staff work in Lyon?"
    answer = extractive_answer(q, ix.search(q, ["hb"]))
    assert "Lyon — Staff: 45; Opened: 2015 [1]" in answer.text
    assert answer.citations[0].page == 2 and answer.citations[0].block_id == "p2/b3"


def test_chinese_answer() -> None:
    ix = _index()
    q = "年终奖是按什么发的？"
    answer = extractive_answer(q, ix.search(q, ["hb"]))
    assert answer.text.startswith("年终奖金根据个人绩效发放。[1]")
    assert answer.citations[0].page == 2


def test_no_answer_without_citations() -> None:
    ix = _index()
    for q, text in [("What is the capital of Peru?", NO_ANSWER_EN), ("秘鲁的首都是哪里？", NO_ANSWER_ZH)]:
        answer = extractive_answer(q, ix.search(q, ["hb"]))
        assert answer.text == text and answer.citations == [] and not answer.found
    assert extractive_answer("paid leave", []).text == NO_ANSWER_EN
