from __future__ import annotations

from qadocs import block, document, handbook

from docrecon.model import BlockType
from docrecon.qa.answer import NO_ANSWER_EN, NO_ANSWER_ZH, extractive_answer, search
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


def _form() -> QaIndex:
    pages = [
        [block(1, 0, BlockType.TITLE, "Repair estimate"),
         block(1, 1, BlockType.PARAGRAPH, "Completing this form takes about 20 minutes."),
         block(1, 2, BlockType.PARAGRAPH, "Cashier: Tom Lee Terminal: 4 Model: RX-300")],
        [block(2, 0, BlockType.PARAGRAPH, "Parts are ordered once the estimate is signed.")],
        [block(3, 0, BlockType.PARAGRAPH, "当前价格(元)：82.42"),
         block(3, 1, BlockType.PARAGRAPH, "高测股份是一家光伏设备公司。")],
        [block(4, 0, BlockType.PARAGRAPH, "Comments on the estimate can be added to the form at any time.")],
    ]
    ix = QaIndex()
    ix.add("f", document(pages, "estimate.pdf"), "estimate.pdf")
    return ix


def test_answer_type_picks_the_sentence_with_a_duration() -> None:
    ix = _form()
    q = "How long does the form take to complete?"
    answer = extractive_answer(q, search(ix, q, ["f"]))
    assert answer.text == "Completing this form takes about 20 minutes. [1]"
    assert answer.citations[0].page == 1


def test_key_value_fields_answer_the_label_asked() -> None:
    ix = _form()
    cases = [("Who was the cashier?", "Cashier: Tom Lee [1]"), ("Which model was repaired?", "Model: RX-300 [1]")]
    for q, expected in cases:
        answer = extractive_answer(q, search(ix, q, ["f"]))
        assert answer.text == expected and answer.citations[0].block_id == "p1/b2"


def test_chinese_terms_match_whatever_jieba_cuts() -> None:
    ix = _form()
    q = "报告中高测股份的当前价格是多少元？"  # jieba cuts "中高测" here, "高测" in the text
    answer = extractive_answer(q, search(ix, q, ["f"]))
    assert "82.42" in answer.text and answer.citations[0].page == 3


def test_no_answer_threshold_holds_for_near_misses() -> None:
    ix = _form()
    for q, text in [("What is the manager's phone number?", NO_ANSWER_EN), ("维修店的营业时间是几点？", NO_ANSWER_ZH)]:
        assert extractive_answer(q, search(ix, q, ["f"])).text == text


def test_how_many_needs_the_counted_thing() -> None:
    text = "Screen 2 shows Winter Wonderland daily at 4:30 PM, 24 shows in total."
    ix = QaIndex()
    ix.add("c", document([[block(1, 0, BlockType.PARAGRAPH, text)]]), "cinema.pdf")
    seats, shows = "How many seats does screen 2 have?", "How many shows does screen 2 have?"
    assert extractive_answer(seats, search(ix, seats, ["c"])).text == NO_ANSWER_EN
    assert "24 shows" in extractive_answer(shows, search(ix, shows, ["c"])).text
