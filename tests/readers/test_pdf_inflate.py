"""readers.pdf_inflate.check_streams: flate bombs found by inflating (counted, not trusted)."""

from __future__ import annotations

import pytest
from hostile import flate_bomb_pdf
from pdfgen import structure_pdf

from docrecon.errors import TooLarge
from docrecon.readers.pdf_inflate import check_streams


@pytest.mark.parametrize("double", [False, True], ids=["single", "double"])
def test_flate_bombs_are_too_large(double: bool) -> None:
    with pytest.raises(TooLarge, match="inflates to more than"):
        check_streams(flate_bomb_pdf(1024, double=double), 256 << 20)


def test_a_healthy_pdf_passes_and_a_small_limit_catches_its_streams() -> None:
    pdf = structure_pdf(3)
    check_streams(pdf, 256 << 20)
    with pytest.raises(TooLarge):
        check_streams(pdf, 100)


def test_a_damaged_stream_is_left_to_the_reader() -> None:
    pdf = flate_bomb_pdf(4)
    cut = pdf.replace(b"stream\n\x78\xda", b"stream\n\x00\x00", 1)
    check_streams(cut, 1 << 20)
