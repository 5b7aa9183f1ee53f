"""CSV reader: encodings, delimiters, quoted fields with newlines."""

from __future__ import annotations

import pytest
from golden import DATA, assert_golden

import docrecon
from docrecon.model import Table

ROWS = "名前,年齢,住所\n佐藤太郎,30,東京\n髙橋淳,35,名古屋\n"


def _table(data: bytes) -> Table:
    doc = docrecon.parse(data, name="t.csv")
    table = doc.blocks()[0].table
    assert table is not None
    return table


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "cp932"])
def test_encodings(encoding: str) -> None:
    table = _table(ROWS.encode(encoding))
    assert [c.text for c in table.cells[:3]] == ["名前", "年齢", "住所"]
    assert table.cells[-1].text == "名古屋"


def test_gbk_simplified_chinese() -> None:
    table = _table("城市;人口\n北京市;2189万\n上海市;2487万\n".encode("gbk"))
    assert [c.text for c in table.cells] == ["城市", "人口", "北京市", "2189万", "上海市", "2487万"]


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiters(sep: str) -> None:
    table = _table(sep.join(["a", "b", "c"]).encode() + b"\n" + sep.join(["1", "2", "3"]).encode() + b"\n")
    assert (table.n_rows, table.n_cols) == (2, 3)


def test_quoted_newlines_golden() -> None:
    data = b'id,comment,amount\n1,"multi\nline, with comma",3.5\n2,"say ""hi""",4\n'
    doc = docrecon.parse(data, name="quoted.csv")
    table = doc.blocks()[0].table
    assert table is not None and table.cells[4].text == "multi\nline, with comma"
    assert_golden(doc, DATA / "csv" / "quoted")
