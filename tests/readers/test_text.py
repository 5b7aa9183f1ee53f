"""TXT and MD readers."""

from __future__ import annotations

from golden import DATA, assert_golden

import docrecon
from docrecon.model import BlockType

MARKDOWN = """# Title

Intro with **bold** and a [link](https://example.com).

## Section

- one
    - nested
- two

1. first
2. second

| a | b |
|---|---|
| 1 | 2 |

```python
print("hi")
```

![diagram](img/d.png)

<table><tr><th colspan="2">wide</th></tr><tr><td>x</td><td>y</td></tr></table>
"""


def test_markdown_golden() -> None:
    doc = docrecon.parse(MARKDOWN.encode(), name="note.md")
    types = [b.type for b in doc.blocks()]
    assert types[:2] == [BlockType.TITLE, BlockType.PARAGRAPH]
    assert BlockType.CODE in types and types.count(BlockType.TABLE) == 2
    nested = next(b for b in doc.blocks() if b.text == "nested")
    assert nested.level == 1
    assert_golden(doc, DATA / "md" / "note")


def test_txt_paragraphs_no_headings() -> None:
    text = "# not a heading\nsecond line\n\nNext paragraph.\n\n\nLast one.\n"
    doc = docrecon.parse(text.encode("utf-16"), name="notes.txt")
    blocks = doc.blocks()
    assert [b.type for b in blocks] == [BlockType.PARAGRAPH] * 3
    assert blocks[0].text == "# not a heading\nsecond line"
    assert_golden(doc, DATA / "txt" / "notes")


def test_markdown_built_to_be_quadratic_is_read_with_bounded_patterns() -> None:
    from docrecon.options import OcrMode, ParseOptions
    from docrecon.readers.office_markdown import MAX_EMPHASIS_SPAN, plain

    opts = ParseOptions(ocr=OcrMode.OFF)
    # unclosed tags: Python's HTML parser is quadratic on them; the block stays a paragraph
    doc = docrecon.parse(("<a " * 20000).encode(), opts, name="tags.md")
    assert doc.pages[0].blocks[0].text.startswith("<a <a")
    # unclosed emphasis and link openers: every pattern is bounded, the text is kept
    doc = docrecon.parse(("*a " * 20000 + "\n\n" + "[" * 50000).encode(), opts, name="emph.md")
    assert "*a *a" in doc.pages[0].blocks[0].text
    assert plain("*short*") == "short"
    long = "*" + "x" * (MAX_EMPHASIS_SPAN + 10) + "*"
    assert plain(long) == long  # beyond the bound the markup stays
