"""Generated Office files with parts the python libraries do not write: slide shapes
python-pptx does not read (``odd_shapes_pptx``) and DOCX DrawingML charts (``chart_docx``)."""

from __future__ import annotations

import io

from lxml import etree

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


def odd_shapes_pptx(smart_data: bytes | None = None) -> bytes:
    """Slide 1: a title and five shapes python-pptx does not read; slide 2: an ordinary slide.
    ``smart_data``: the bytes of the SmartArt data part instead of its two steps."""
    from pptx import Presentation
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[5])
    s1.shapes.title.text = "Odd shapes"
    data = (f'<dgm:dataModel {NS}><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/>'
            '<a:p><a:r><a:t>Smart step one</a:t></a:r></a:p></dgm:t></dgm:pt><dgm:pt modelId="2"><dgm:t>'
            '<a:bodyPr/><a:p><a:r><a:t>Smart step two</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst>'
            '</dgm:dataModel>').encode() if smart_data is None else smart_data
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


CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
DOCX_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def chart_xml(title: str | None, kind: str = "COLUMN_CLUSTERED") -> bytes:
    from pptx.chart.chart import Chart
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml import parse_xml

    data = CategoryChartData()
    data.categories = ["2023", "2024", "2025"]
    data.add_series("North", (10, 12.5, 14))
    data.add_series("South", (7, 9, 11))
    space = parse_xml(ChartXmlWriter(getattr(XL_CHART_TYPE, kind), data).xml.encode())
    if title is not None:
        chart = Chart(space, None)
        chart.has_title = True
        chart.chart_title.text_frame.text = title
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drawing(rid: str) -> etree._Element:
    return etree.fromstring(
        f'<w:r {DOCX_NS}><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="7" name="Chart 1"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def _in_text_box(run: etree._Element) -> etree._Element:
    """``run`` inside a paragraph of a text box (a floating ``wps`` shape) held by a new run."""
    wrapper = etree.fromstring(
        f'<w:r {DOCX_NS} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="8" name="Box"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:txbx><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p><w:p/></w:txbxContent></wps:txbx>'
        '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
    )
    wrapper.findall(".//{*}txbxContent/{*}p")[-1].append(run)
    return wrapper


def chart_docx(charts: list[bytes | None], in_box: bool = False) -> bytes:
    """A heading, then per chart a paragraph and a paragraph holding the chart (None: a chart
    whose relationship points at nothing; ``in_box``: the chart sits in a text box of that
    paragraph), then a closing paragraph."""
    from docx import Document as Docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = Docx()
    doc.add_heading("Report", level=1)
    for i, xml in enumerate(charts, start=1):
        doc.add_paragraph(f"Text before chart {i}.")
        if xml is None:
            rid = "rIdMissing"
        else:
            part = Part(PackURI(f"/word/charts/chart{i}.xml"), CHART_CT, xml, doc.part.package)
            rid = doc.part.relate_to(part, CHART_RT)
        doc.add_paragraph()._p.append(_in_text_box(_drawing(rid)) if in_box else _drawing(rid))
    doc.add_paragraph("Closing text.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def picture_box_docx() -> bytes:
    """A paragraph, then a text box whose second paragraph holds an inline picture, then a
    closing paragraph."""
    from docx import Document as Docx
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(png, format="PNG")
    png.seek(0)
    doc = Docx()
    doc.add_paragraph("Before the box.")
    holder = doc.add_paragraph()
    run = holder.add_run()
    run.add_picture(png)
    holder._p.remove(run._r)
    holder._p.append(_in_text_box(run._r))
    doc.add_paragraph("After the box.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
