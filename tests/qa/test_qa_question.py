from __future__ import annotations

import pytest

from docrecon.qa.question import AnswerType, classify, has_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who approved the budget?", AnswerType.NAME),
        ("Who wrote this report?", AnswerType.AUTHOR),
        ("When does the contract end?", AnswerType.DATE),
        ("In which year was the plant opened?", AnswerType.DATE),
        ("How much does the repair cost?", AnswerType.NUMBER),
        ("How long does the form take to complete?", AnswerType.DURATION),
        ("Which section covers travel?", AnswerType.SECTION),
        ("What is the title of the document?", AnswerType.TITLE),
        ("What does the warranty include?", AnswerType.OTHER),
        ("这份文件是谁编写的？", AnswerType.AUTHOR),
        ("负责人是谁？", AnswerType.NAME),
        ("合同什么时候到期？", AnswerType.DATE),
        ("维修费用是多少？", AnswerType.NUMBER),
        ("填写这张表需要多长时间？", AnswerType.DURATION),
        ("哪一节介绍了差旅制度？", AnswerType.SECTION),
        ("报告的标题是什么？", AnswerType.TITLE),
    ],
)
def test_question_types(question: str, kind: AnswerType) -> None:
    assert classify(question).type is kind


def test_content_terms_drop_question_and_asking_words() -> None:
    assert classify("Which section covers separation of duties?").terms == ("separation", "duties")
    assert classify("In which year was the typewriter patented?").terms == ("typewriter", "patented")
    zh = classify("哪一节介绍了分析师的背景？").terms
    assert "背景" in zh and "哪一节" not in zh and "介绍" not in zh
    # full-width letters and digits fold (NFKC) like the indexed text
    assert classify("ＦＹ２０２３的收入是多少？").terms == classify("FY2023的收入是多少？").terms


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Filed on 13 January 2009.", AnswerType.DATE, True),
        ("The report is dated 2024-11-15.", AnswerType.DATE, True),
        ("报告发布于2022年07月19日", AnswerType.DATE, True),
        ("The committee meets often.", AnswerType.DATE, False),
        ("Completing the form takes about 20 minutes.", AnswerType.DURATION, True),
        ("拥有5年研究经验", AnswerType.DURATION, True),
        ("报销须在十五个工作日内提交", AnswerType.DURATION, True),
        ("The form has comments.", AnswerType.DURATION, False),
        ("每晚六百元", AnswerType.NUMBER, True),
        ("Total: $4,287.50", AnswerType.NUMBER, True),
        ("no figures here", AnswerType.NUMBER, False),
        ("Prepared by Sarah Martinez", AnswerType.NAME, True),
        ("M. Walley, G. Sigthorsson", AnswerType.AUTHOR, True),
        ("prepared by the team", AnswerType.NAME, False),
    ],
)
def test_has_type(text: str, kind: AnswerType, expected: bool) -> None:
    assert has_type(text, kind) is expected


def test_counted_noun() -> None:
    assert classify("How many seats does screen 2 have?").focus == "seats"
    assert classify("How much does the repair cost?").focus == ""
    assert classify("Who wrote it?").focus == ""
