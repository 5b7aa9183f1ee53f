"""The zip's JSONL lines (spec §2.8): docrecon.chunk's chunks, lean org_data/big_data windows."""

from __future__ import annotations

from docbuild import block, document, handbook

import docrecon
from docrecon.model import BlockType
from docrecon.renderers import chunk_records
from docrecon.renderers.chunks import BIG_LIMIT, ORG_LIMIT


def _long_report() -> docrecon.Document:
    """A title, one short chapter and one long chapter with two long sub-sections."""
    blocks = [block(1, 0, BlockType.TITLE, "Annual Report"),
              block(1, 1, BlockType.HEADING, "Summary", level=1),
              block(1, 2, BlockType.PARAGRAPH, "Revenue grew twelve percent in the year.")]
    i = 3
    blocks.append(block(1, i, BlockType.HEADING, "Operations", level=1))
    for sub in ("Plants", "Logistics"):
        i += 1
        blocks.append(block(1, i, BlockType.HEADING, sub, level=2))
        for n in range(30):
            i += 1
            text = f"{sub} paragraph {n}: " + "the site reports steady output and safe working days. " * 4
            blocks.append(block(1, i, BlockType.PARAGRAPH, text.strip()))
    return document([blocks], "report.pdf")


def test_lines_keep_the_spec_keys_and_the_chunks_of_docrecon_chunk() -> None:
    doc = handbook()
    records = chunk_records(doc)
    chunks = docrecon.chunk(doc)
    assert all({"page_content", "org_data", "big_data", "pages", "boxes", "id", "heading_path"} <= set(r)
               for r in records)
    assert [r["heading_path"] for r in records] == [list(c.heading_path) for c in chunks]
    assert [r["id"] for r in records if "[image]" not in r["page_content"]] == [c.id for c in chunks
                                                                              if c.kind != "figure"]
    fig = next(r for r in records if "Berlin campus" in r["page_content"])
    assert "[image]" in fig["page_content"]  # pictures become placeholders (spec §2.8)
    assert next(c for c in chunks if "Berlin campus" in c.text).text.count("[image]") == 0
    tab = next(r for r in records if "| Berlin |" in r["page_content"])
    assert tab["org_data"].startswith("## Offices") and tab["pages"] == [2]
    assert tab["boxes"][0]["page"] == 2


def test_big_data_is_bounded_and_holds_the_chunk() -> None:
    records = chunk_records(_long_report())
    summary = next(r for r in records if "twelve percent" in r["page_content"])
    # a small document part: the largest section that fits (here the whole title section does not)
    assert summary["big_data"].startswith("## Summary") and summary["org_data"].startswith("## Summary")
    deep = [r for r in records if "Logistics paragraph" in r["page_content"]]
    assert len(deep) > 3
    for r in deep:
        assert len(r["big_data"]) <= BIG_LIMIT + 1 and len(r["org_data"]) <= ORG_LIMIT + 1
        first = r["page_content"].split("\n", 1)[1].split(":", 1)[0]
        assert first in r["big_data"] and first in r["org_data"]
        assert r["org_data"].startswith("### Logistics")
        assert r["heading_path"] == ["Annual Report", "Operations", "Logistics"]
    # windows move with the chunk instead of repeating one capped prefix
    assert len({r["big_data"] for r in deep}) > 1
    assert all(len(r["big_data"]) <= BIG_LIMIT + 1 for r in records)
