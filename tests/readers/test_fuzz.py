"""Fuzz targets, one per reader: hypothesis damages a generated golden input (``fuzzing.py``:
bit flips, truncation, insertions, deletions, repeated spans, and edits, drops or splices of
zip members for Office packages) and the damaged file is parsed in a supervised child (OCR
off). Parsing may only return a result or raise a :class:`DocreconError` subclass; a traceback,
a native crash, a memory blow-up or a hang (the child's limits) is a finding.

CI runs ``fuzzing.CI_EXAMPLES`` examples per target, derandomized (about 30 s in all); set
``DOCRECON_FUZZ_EXAMPLES=5000`` for a longer local run (``docs/fuzzing.md``).
"""

from __future__ import annotations

from collections.abc import Iterator

import childtasks
import pytest
from fuzzing import MAKERS, ZIPPED, Edit, MemberEdit, apply_plan, examples, plans
from hypothesis import HealthCheck, given, settings
from odd_office import chart_docx, chart_xml, odd_shapes_pptx
from office_docs import sample_xlsx, soffice_convert
from rawpdf import garbled_font_pdf, pages_pdf, text_ops

from docrecon.errors import DocreconError
from docrecon.supervise import Limits, Supervisor

#: one target per reader (image: PNG, GIF, TIFF share the Pillow reader but not its paths), plus
#: inputs for paths the samples do not reach: DOCX charts, PPTX shapes python-pptx does not read
#: and uncompressed PDFs (edits reach the content operators, fonts and ToUnicode maps)
EXTRA = {"docx-chart": "docx", "pptx-odd": "pptx", "pdf-plain": "pdf", "pdf-type3": "pdf"}
TARGETS = sorted([*MAKERS, "xls", *EXTRA])
#: fewer examples where one parse is slow
SLOW = {"pdf": 0.6, "pdf-plain": 0.6, "pdf-type3": 0.6}


@pytest.fixture(scope="module")
def supervisor() -> Iterator[Supervisor]:
    with Supervisor(1, Limits(memory_mb=2048, document_timeout=15, page_timeout=None)) as sup:
        yield sup


@pytest.fixture(scope="module")
def goldens() -> dict[str, bytes]:
    made = {ext: make() for ext, make in MAKERS.items()}
    made["xls"] = soffice_convert(sample_xlsx(), "xlsx", "xls")
    made["docx-chart"] = chart_docx([chart_xml("Sales"), chart_xml(None, "PIE")])
    made["pptx-odd"] = odd_shapes_pptx()
    made["pdf-plain"] = pages_pdf([text_ops(["A heading", "Some body text on one line."], 72, 700),
                                   text_ops(["Sideways text"], 300, 400, matrix="0 1 -1 0")], rotate=90)
    made["pdf-type3"] = garbled_font_pdf(["Hidden words"], ["Readable line"], latin1=True)
    return made


def parse_in_child(sup: Supervisor, data: bytes, ext: str) -> str | None:
    """None when the parse ends in a result or the error tree; otherwise what went wrong."""
    try:
        return sup.run(childtasks.parse_variant, (data, f"fuzz.{ext}", None))
    except DocreconError as exc:  # the child died: crash, memory or time limit
        return f"the parsing child died: {type(exc).__name__}: {exc}"


@pytest.mark.parametrize("target_name", TARGETS)
def test_fuzz_reader(target_name: str, supervisor: Supervisor, goldens: dict[str, bytes]) -> None:
    golden = goldens[target_name]
    ext = EXTRA.get(target_name, target_name)
    assert parse_in_child(supervisor, golden, ext) is None  # the undamaged input parses

    @settings(max_examples=max(1, int(examples() * SLOW.get(target_name, 1.0))), deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck), print_blob=True)
    @given(plan=plans(ext in ZIPPED))
    def target(plan: list[Edit | MemberEdit]) -> None:
        finding = parse_in_child(supervisor, apply_plan(golden, plan), ext)
        assert finding is None, finding

    target()
