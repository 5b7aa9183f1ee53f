from __future__ import annotations

from qadocs import block, document

from docrecon.model import BlockType
from docrecon.qa import front
from docrecon.qa.answer import NO_ANSWER_EN, extractive_answer, search
from docrecon.qa.index import QaIndex


def _report() -> QaIndex:
    zh = document([
        [
            block(1, 0, BlockType.TITLE, "季度经营分析报告"),
            block(1, 1, BlockType.PARAGRAPH, "编写：王小明，日期：2024年3月5日"),
            block(1, 2, BlockType.HEADING, "一、销售情况", level=1),
            block(1, 3, BlockType.PARAGRAPH, "本季度销售额为一千二百万元，同比增长百分之八。"),
        ],
        [
            block(2, 0, BlockType.HEADING, "二、人员变动", level=1),
            block(2, 1, BlockType.PARAGRAPH, "本季度新入职员工12人，离职3人。"),
        ],
    ], "report.docx")
    en = document([[
        block(1, 0, BlockType.TITLE, "Warehouse Quarterly Review"),
        block(1, 1, BlockType.PARAGRAPH, "Prepared by Jane Doe"),
        block(1, 2, BlockType.PARAGRAPH, "March 2024"),
        block(1, 3, BlockType.HEADING, "Safety", level=1),
        block(1, 4, BlockType.PARAGRAPH, "Forklift drivers renew their licence every two years."),
        block(1, 5, BlockType.HEADING, "Stock levels", level=1),
        block(1, 6, BlockType.PARAGRAPH, "Pallet counts rose in every aisle."),
    ]], "review.pptx")
    ix = QaIndex()
    ix.add("zh", zh, "report.docx")
    ix.add("en", en, "review.pptx")
    return ix


def _ask(ix: QaIndex, q: str) -> str:
    return extractive_answer(q, search(ix, q, ["zh", "en"])).text


def test_author_title_and_date_from_front_matter() -> None:
    ix = _report()
    assert "王小明" in _ask(ix, "这份报告是谁编写的？")
    assert "季度经营分析报告" in _ask(ix, "这份报告的标题是什么？")
    assert "2024年3月5日" in _ask(ix, "这份报告是哪天发布的？")
    answer = extractive_answer(q := "Who prepared the warehouse review?", search(ix, q, ["zh", "en"]))
    assert "Jane Doe" in answer.text and answer.citations[0].block_id == "p1/b1"


def test_section_questions_answer_with_the_heading() -> None:
    ix = _report()
    zh = extractive_answer(q := "哪一节讲了新入职员工？", search(ix, q, ["zh", "en"]))
    assert "二、人员变动" in zh.text and zh.citations[0].page == 2
    assert "Safety" in _ask(ix, "Which section covers forklift licences?")


def test_front_matter_is_not_an_answer_to_everything() -> None:
    ix = _report()
    assert _ask(ix, "Who is the chief financial officer?") == NO_ANSWER_EN
    # "作者" inside running text is not an author line
    text = "分析逻辑基于作者的职业理解，结论不受任何第三方的影响。"
    doc = document([[block(1, 0, BlockType.TITLE, "分析师声明"), block(1, 1, BlockType.PARAGRAPH, text)]], "d.pdf")
    ix.add("d", doc, "d.pdf")
    assert front.author_spans(ix.search("作者", ["d"], k=1)[0]) == []
