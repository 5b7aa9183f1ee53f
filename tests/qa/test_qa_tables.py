from __future__ import annotations

from qadocs import block, document, table

from docrecon.model import BlockType, Document
from docrecon.qa.answer import extractive_answer, search
from docrecon.qa.index import QaIndex
from docrecon.qa.tables import cells, parse_pipe


def test_parse_pipe_folds_leading_label_rows_into_the_header() -> None:
    text = (
        "Sales > Regions\nTable 2: revenue\n| Revenue | Revenue | Revenue |\n| --- | --- | --- |\n"
        "| | 2023 | 2024 |\n| North | 10 | 12 |\n| Notes | | |"
    )
    t = parse_pipe(text)
    assert t is not None
    assert t.caption == "Sales > Regions\nTable 2: revenue"
    assert t.header == ["Revenue", "Revenue 2023", "Revenue 2024"]
    assert t.rows == [["North", "10", "12"], ["Notes", "", ""]]
    refs = cells(t)  # the label-only row is not a row of values
    first = [(c.row, c.col, c.value, c.header) for c in refs][:2]
    assert first == [(0, 0, "North", "Revenue"), (0, 1, "10", "Revenue 2023")]
    assert all(c.row == 0 for c in refs)
    assert parse_pipe("no table here") is None


def table_to_text(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join("---" for _ in rows[0]) + " |"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def _sales_doc() -> Document:
    rows = [["城市", "第一季度"], ["北京", "420"]]
    return document([[block(1, 0, BlockType.TABLE, table=table(rows))]], "sales.pdf")


def _sales() -> QaIndex:
    rows = [["城市", "第一季度", "第二季度", "第三季度", "第四季度"], ["北京", "420", "455", "470", "512"],
            ["上海", "398", "433", "461", "490"], ["广州", "310", "365", "402", "451"],
            ["深圳", "305", "351", "377", "430"]]
    doc = document([[
        block(1, 0, BlockType.HEADING, "销售情况", level=1),
        block(1, 1, BlockType.CAPTION, "表1 各城市季度销售额（万元）", caption_of="p1/b2"),
        block(1, 2, BlockType.TABLE, table=table(rows)),
        block(1, 3, BlockType.PARAGRAPH, "全年销售额同比增长百分之十二。"),
    ]], "sales.pdf")
    wide = [["Site", *[f"Revenue {y}" for y in range(2019, 2025)]],
            ["Lyon", *[f"{y * 1000 + 17:,} EUR" for y in range(2019, 2025)]],
            ["Porto", *[f"{y * 900 + 3:,} EUR" for y in range(2019, 2025)]]]
    sites = document([[block(1, 0, BlockType.TABLE, table=table(wide))]], "sites.pdf")
    ix = QaIndex()
    ix.add("s", doc, "sales.pdf")
    ix.add("w", sites, "sites.pdf")
    return ix


def test_cell_where_named_row_and_column_meet() -> None:
    ix = _sales()
    q = "广州第二季度的销售额是多少？"
    answer = extractive_answer(q, search(ix, q, ["s", "w"]))
    assert answer.text.startswith("广州 — ") and "第二季度: 365" in answer.text
    assert "城市" not in answer.text and "表1" not in answer.text  # not the header row or the caption
    c = answer.citations[0]
    assert (c.name, c.page, c.block_id) == ("sales.pdf", 1, "p1/b2")
    assert c.bbox == block(1, 2, BlockType.TABLE).bbox  # cited with the table's box


def test_long_row_gives_only_the_asked_cell() -> None:
    ix = _sales()
    q = "What was the revenue of Lyon in 2023?"
    answer = extractive_answer(q, search(ix, q, ["s", "w"]))
    assert answer.text == "Lyon — Revenue 2023: 2,023,017 EUR [1]"
    assert answer.citations[0].name == "sites.pdf"


def test_parse_pipe_carries_a_spanning_header_written_once_over_its_blank_cells() -> None:
    ends = parse_pipe("| Test | | Adults | | Children |\n| --- | --- | --- | --- | --- |\n"
                      "| | Rate | Range | Rate | Range |\n| Recall | 71.2 | 60-80 | 64.0 | 55-72 |")
    assert ends is not None and ends.header == ["Test", "Adults Rate", "Adults Range", "Children Rate",
                                                "Children Range"]
    starts = parse_pipe("| Region | 2023 | | 2024 | |\n| --- | --- | --- | --- | --- |\n"
                        "| | H1 | H2 | H1 | H2 |\n| North | 1 | 2 | 3 | 4 |")
    assert starts is not None and starts.header == ["Region", "2023 H1", "2023 H2", "2024 H1", "2024 H2"]
    rows = [["Test", "", "Adults", "", "Children"], ["", "Rate", "Range", "Rate", "Range"],
            ["Recall", "71.2", "60-80", "64.0", "55-72"]]
    ix = QaIndex()
    ix.add("t", document([[block(1, 0, BlockType.TABLE, table=table(rows, header_rows=2))]], "trial.pdf"), "trial.pdf")
    q = "What is the recall rate for children?"
    assert "64.0" in extractive_answer(q, search(ix, q, ["t"])).text


def test_a_table_in_sections_reads_its_title_section_and_label_rows() -> None:
    rows = [["Training plan"] * 4,
            ["Start: 2021/03/02 Sessions: 2–3 per week Aim: stay active"] * 4,
            ["Endurance"] * 4,
            ["No", "Aim of training", "Kind of training", "Load"],
            ["1", "Heart and lungs", "Rowing", "Light"],
            ["2", "Heart and lungs", "Cycling", "Medium"],
            ["Strength"] * 4,
            ["No", "Aim of training", "Kind of training", "Load"],
            ["1", "Legs", "Lunges", "Heavy (10–12 reps)"]]
    doc = document([[block(1, 0, BlockType.TABLE, table=table(rows))]], "plan.png")
    ix = QaIndex()
    ix.add("p", doc, "plan.png")
    ix.add("s", _sales_doc(), "sales.pdf")
    text = ix.search("rowing load", ["p"], k=1)[0].chunk.text
    t = parse_pipe(text)
    assert t is not None and t.caption.endswith("Training plan")
    assert t.header == ["No", "Aim of training", "Kind of training", "Load"]
    assert ["Endurance", "", "", ""] in t.rows  # a section row: one label
    q = "What is the load of rowing?"
    assert "Load: Light" in extractive_answer(q, search(ix, q, ["p", "s"])).text
    q = "How many sessions per week does the training plan have?"
    assert extractive_answer(q, search(ix, q, ["p", "s"])).text.startswith("Sessions: 2–3 per week")
    two_level = [["Categories"] * 4, ["Old scheme", "Old scheme", "New scheme", "New scheme"],
                 ["Code", "Meaning", "Code", "Meaning"], ["1", "Early", "1a", "Shaped the design"],
                 ["", "", "1b", "Reviewed only"]]
    t = parse_pipe(table_to_text(two_level))
    assert t is not None
    assert t.header == ["Old scheme Code", "Old scheme Meaning", "New scheme Code", "New scheme Meaning"]
    assert t.rows[1] == ["", "", "1b", "Reviewed only"]
