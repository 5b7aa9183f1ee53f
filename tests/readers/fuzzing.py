"""Generated golden inputs per reader and hypothesis strategies that damage them (for
``test_fuzz.py`` and ``test_reader_boundary.py``).

A mutation plan is a short list of edits, drawn by hypothesis (so a finding shrinks to the
fewest, smallest edits): bit flips, truncation, inserted or deleted bytes, a duplicated span,
and, for zip packages (DOCX, PPTX, XLSX), the same edits inside one decompressed member, a
member dropped, or a member's bytes replaced by another member's (splicing). Positions are
drawn as integers and taken modulo the length, so a plan applies to any input.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st
from office_docs import png, sample_docx, sample_pptx, sample_xlsx
from pdfgen import structure_pdf

TEXT = (
    "# Title\n\nSome *text* with `code`, a [link](http://x) and a list:\n\n- one\n- two\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n"
)


def convert_image(data: bytes, fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.open(io.BytesIO(data)).save(buf, fmt)
    return buf.getvalue()


MAKERS: dict[str, Callable[[], bytes]] = {
    "pdf": lambda: structure_pdf(2),
    "docx": sample_docx,
    "pptx": sample_pptx,
    "xlsx": sample_xlsx,
    "png": lambda: png("blue", (64, 48)),
    "gif": lambda: convert_image(png("green", (64, 48)), "GIF"),
    "tiff": lambda: convert_image(png("red", (64, 48)), "TIFF"),
    "md": lambda: TEXT.encode(),
    "csv": lambda: b"a,b,c\n1,2,3\n\"x, y\",4,5\n",
    "txt": lambda: "plain text\nwith two lines \u00e9\n".encode(),
}
ZIPPED = frozenset({"docx", "pptx", "xlsx"})

#: examples per fuzz target: a CI run of all 15 targets takes about 20 s; more with
#: ``DOCRECON_FUZZ_EXAMPLES`` (``docs/fuzzing.md``)
CI_EXAMPLES = 150


def examples(default: int = CI_EXAMPLES) -> int:
    return int(os.environ.get("DOCRECON_FUZZ_EXAMPLES", default))


@dataclass(frozen=True)
class Edit:
    """One byte-level edit: ``kind`` in flip / cut / insert / delete / repeat."""

    kind: str
    at: int
    arg: int = 0
    data: bytes = b""

    def apply(self, buf: bytes) -> bytes:
        if not buf:
            return self.data if self.kind == "insert" else buf
        i = self.at % len(buf)
        if self.kind == "flip":
            return buf[:i] + bytes([buf[i] ^ (1 << (self.arg % 8))]) + buf[i + 1 :]
        if self.kind == "cut":
            return buf[: max(1, i)]
        if self.kind == "insert":
            return buf[:i] + self.data + buf[i:]
        if self.kind == "delete":
            return buf[:i] + buf[i + 1 + self.arg % 256 :]
        return buf[:i] + buf[i : i + 1 + self.arg % 256] * 2 + buf[i:]  # repeat a span


@dataclass(frozen=True)
class MemberEdit:
    """An edit of a zip package's members: ``edits`` inside member ``member`` (decompressed),
    ``drop`` it, or ``splice`` the bytes of member ``other`` into its place."""

    kind: str
    member: int
    other: int = 0
    edits: tuple[Edit, ...] = ()

    def apply(self, members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        if not members:
            return members
        i = self.member % len(members)
        name, body = members[i]
        if self.kind == "drop":
            return members[:i] + members[i + 1 :]
        if self.kind == "splice":
            body = members[self.other % len(members)][1]
        else:
            for edit in self.edits:
                body = edit.apply(body)
        return [*members[:i], (name, body), *members[i + 1 :]]


positions = st.integers(min_value=0, max_value=1 << 32)
edits: st.SearchStrategy[Edit] = st.one_of(
    st.builds(Edit, st.just("flip"), positions, st.integers(0, 7)),
    st.builds(Edit, st.just("cut"), positions),
    st.builds(Edit, st.just("insert"), positions, st.just(0),
              st.one_of(st.binary(min_size=1, max_size=16),
                        st.sampled_from([b"<", b">", b"</a>", b"\x00", b"\xff\xfe", b"obj", b"stream\n",
                                         b"endobj", b"<w:tbl>", b'r:id="rId99"', b"99999999999"]))),
    st.builds(Edit, st.just("delete"), positions, st.integers(0, 255)),
    st.builds(Edit, st.just("repeat"), positions, st.integers(0, 255)),
)
member_edits: st.SearchStrategy[MemberEdit] = st.one_of(
    st.builds(MemberEdit, st.just("edit"), positions, st.just(0), st.lists(edits, min_size=1, max_size=3).map(tuple)),
    st.builds(MemberEdit, st.just("drop"), positions),
    st.builds(MemberEdit, st.just("splice"), positions, positions),
)


def plans(zipped: bool) -> st.SearchStrategy[list[Edit | MemberEdit]]:
    """Mutation plans: byte edits of the whole file, and for zip packages mostly member edits
    (a byte flip in compressed data only ever gives a CRC error)."""
    one: st.SearchStrategy[Edit | MemberEdit] = (
        st.one_of(member_edits, member_edits, member_edits, edits) if zipped else edits
    )
    return st.lists(one, min_size=1, max_size=4)


def apply_plan(data: bytes, plan: list[Edit | MemberEdit]) -> bytes:
    for step in plan:
        if isinstance(step, MemberEdit):
            data = _edit_members(data, step)
        else:
            data = step.apply(data)
    return data


def _edit_members(data: bytes, step: MemberEdit) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError, zlib.error):
        return data  # no longer a readable zip: the edit does not apply
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in step.apply(members):
            dst.writestr(name, body)
    return out.getvalue()
