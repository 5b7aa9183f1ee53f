from __future__ import annotations

from qadocs import block, document

from docrecon.model import BlockType
from docrecon.qa.answer import extractive_answer, search
from docrecon.qa.index import QaIndex
from docrecon.qa.keyvalue import fields, label_value


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(f.label, f.value) for f in fields(text)]


def test_fields_merged_on_one_line() -> None:
    assert _pairs("Report ID: INV-77 Warehouse: North Depot") == [("Report ID", "INV-77"), ("Warehouse", "North Depot")]
    assert _pairs("Total Cost: $1,250.00 Critical Items: 3 Overall Accuracy: 98.1%") == [
        ("Total Cost", "$1,250.00"),
        ("Critical Items", "3"),
        ("Overall Accuracy", "98.1%"),
    ]


def test_cjk_and_full_width_colons() -> None:
    assert _pairs("编写：王小明，日期：2024年5月1日") == [("编写", "王小明"), ("日期", "2024年5月1日")]
    assert _pairs("资格编号：S0120521020003邮箱：li@example.com") == [
        ("资格编号", "S0120521020003"),
        ("邮箱", "li@example.com"),
    ]
    assert _pairs("总股本(百万股)： 227.92流通股(百万股)： 167.01") == [
        ("总股本(百万股)", "227.92"),
        ("流通股(百万股)", "167.01"),
    ]


def test_not_fields() -> None:
    assert _pairs("The meeting starts at 10:30 in room 4") == []
    assert _pairs("See https://example.com for details") == []
    assert _pairs("Primary Contact:") == []  # a label without a value


def test_label_value_lines_without_a_colon() -> None:
    f = label_value("证券分析师王小明", ["证券", "分析", "分析师"])
    assert f is not None and (f.label, f.value) == ("证券分析师", "王小明")
    f = label_value("Departure 10:30 Gate B", ["departure", "time"])
    assert f is not None and (f.label, f.value) == ("Departure", "10:30 Gate B")
    f = label_value("Riverton, NJ 08077", ["riverton"])  # a place and its postal code: no comma in the value
    assert f is not None and (f.label, f.value) == ("Riverton", "NJ 08077")
    assert label_value("Gateway open", ["gate"]) is None  # a Latin label ends at a word boundary
    assert label_value("Unused days expire in March.", ["unused", "days"]) is None  # a sentence, not a field
    assert label_value("Departure: 10:30", ["departure"]) is None  # a colon field is read by fields()


def test_field_named_by_the_line_before_it() -> None:
    doc = document([[
        block(1, 0, BlockType.PARAGRAPH, "证券分析师王小明"),
        block(1, 1, BlockType.PARAGRAPH, "邮箱：wang@example.com"),
        block(1, 2, BlockType.PARAGRAPH, "研究助理李小红"),
        block(1, 3, BlockType.PARAGRAPH, "邮箱：li@example.com"),
    ]], "cover.pdf")
    ix = QaIndex()
    ix.add("c", doc, "cover.pdf")
    for q, mail in [("研究助理李小红的邮箱是什么？", "li@example.com"), ("证券分析师王小明的邮箱是什么？", "wang@")]:
        answer = extractive_answer(q, search(ix, q, ["c"]))
        assert mail in answer.text and "邮箱" in answer.text  # the e-mail, not the line that repeats the question
