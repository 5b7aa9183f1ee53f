"""PPTX shapes python-pptx does not read (issue 14, item 5): a ``p:contentPart``, an
``mc:AlternateContent``, a ``p:graphicFrame`` with an unknown ``a:graphicData`` URI, SmartArt
(text in its data part) and a ``p:sp`` without geometry used to raise ``NotImplementedError``
(``shape.shape_type``) or vanish, and the deck yielded nothing. Now each is skipped with a
warning, its text kept, and the rest of the deck is read."""

from __future__ import annotations

import io

import pytest
from lxml import etree

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import OcrMode, ParseOptions

NS = (
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" '
    'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"'
)
XFRM = '<a:off x="{x}" y="{y}"/><a:ext cx="3000000" cy="500000"/>'


def _nv(tag: str, sid: int) -> str:
    return f'<p:nv{tag}Pr><p:cNvPr id="{sid}" name="s{sid}"/><p:cNv{tag}Pr/><p:nvPr/></p:nv{tag}Pr>'


def _frame(uri: str, inner: str, sid: int, y: int) -> str:
    return (f'<p:graphicFrame {NS}>{_nv("GraphicFrame", sid)}<p:xfrm>{XFRM.format(x=457200, y=y)}</p:xfrm>'
            f'<a:graphic><a:graphicData uri="{uri}">{inner}</a:graphicData></a:graphic></p:graphicFrame>')


def _sp(text: str, sid: int, y: int, geometry: bool = True) -> str:
    geom = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' if geometry else ""
    return (f'<p:sp {NS}>{_nv("Sp", sid)}<p:spPr><a:xfrm>{XFRM.format(x=457200, y=y)}</a:xfrm>{geom}</p:spPr>'
            f'<p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>')


def hostile_deck() -> bytes:
    """Slide 1: a title and five shapes python-pptx does not read; slide 2: an ordinary slide."""
    from pptx import Presentation
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[5])
    s1.shapes.title.text = "Odd shapes"
    data = (f'<dgm:dataModel {NS}><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/>'
            '<a:p><a:r><a:t>Smart step one</a:t></a:r></a:p></dgm:t></dgm:pt><dgm:pt modelId="2"><dgm:t>'
            '<a:bodyPr/><a:p><a:r><a:t>Smart step two</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst>'
            '</dgm:dataModel>').encode()
    part = Part(PackURI("/ppt/diagrams/data1.xml"),
                "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", s1.part.package, data)
    rid = s1.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData")
    extra = [
        # ink: python-pptx gives a BaseShape whose shape_type raises NotImplementedError
        f'<p:contentPart {NS} r:id="rIdInk"><p14:nvContentPartPr><p14:cNvPr id="10" name="ink"/>'
        f'<p14:cNvContentPartPr/><p14:nvPr/></p14:nvContentPartPr><p14:xfrm>{XFRM.format(x=0, y=5000000)}'
        '</p14:xfrm></p:contentPart>',
        # a graphic frame of an unknown kind holding text
        _frame("http://example.com/unknown-graphic", '<x:thing xmlns:x="urn:x"><a:p><a:r><a:t>Unknown frame'
               ' text</a:t></a:r></a:p></x:thing>', 11, 1500000),
        # SmartArt: its text is in the data part
        _frame("http://schemas.openxmlformats.org/drawingml/2006/diagram",
               f'<dgm:relIds r:dm="{rid}" r:lo="rIdX" r:qs="rIdY" r:cs="rIdZ"/>', 12, 2200000),
        # alternate content: a shape in a namespace nobody knows, a known shape as the fallback
        f'<mc:AlternateContent {NS}><mc:Choice Requires="p14"><p14:thing><a:p><a:r><a:t>Choice text</a:t>'
        f'</a:r></a:p></p14:thing></mc:Choice><mc:Fallback>{_sp("Fallback text", 13, 2900000)}</mc:Fallback>'
        '</mc:AlternateContent>',
        # a shape without geometry that is not a text box: shape_type raises, the text frame reads
        _sp("No geometry text", 14, 3600000, geometry=False),
    ]
    tree = s1.shapes._spTree
    for xml in extra:
        tree.append(etree.fromstring(xml))
    s2 = prs.slides.add_slide(prs.slide_layouts[1])
    s2.shapes.title.text = "Plain slide"
    s2.placeholders[1].text = "Plain body"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc() -> Document:
    return docrecon.parse(hostile_deck(), ParseOptions(ocr=OcrMode.OFF), name="odd.pptx")


def test_the_deck_is_read_with_the_text_of_unknown_shapes(doc: Document) -> None:
    texts = [b.text for b in doc.pages[0].blocks]
    assert texts[0] == "Odd shapes"
    assert texts[1:] == ["Unknown frame text", "Smart step one", "Smart step two", "Fallback text",
                         "No geometry text"]
    assert all(b.type is BlockType.PARAGRAPH for b in doc.pages[0].blocks[1:])
    assert [b.text for b in doc.pages[1].blocks][:2] == ["Plain slide", "Plain body"]


def test_one_warning_names_the_skipped_kinds(doc: Document) -> None:
    assert doc.warnings == [
        "slide 1: 3 shape(s) python-pptx does not read (contentPart, graphicFrame "
        "(http://example.com/unknown-graphic), graphicFrame (http://schemas.openxmlformats.org/drawingml/2006/"
        "diagram)) skipped; their text is kept"
    ]


def test_unknown_text_follows_the_shape_position() -> None:
    doc = docrecon.parse(hostile_deck(), ParseOptions(ocr=OcrMode.OFF), name="odd.pptx")
    smart = next(b for b in doc.pages[0].blocks if b.text == "Smart step one")
    assert smart.bbox is not None and smart.bbox.y0 == pytest.approx(2200000 / 12700)
    md = docrecon.render_markdown(doc)
    assert md.index("Unknown frame text") < md.index("Smart step two") < md.index("Fallback text")
