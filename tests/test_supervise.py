"""docrecon.supervise: warm limited children; a crash, hang or blow-up fails one item only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import childtasks
import pytest
from click.testing import CliRunner
from hostile import flate_bomb_pdf
from pdfgen import numbered_pages_pdf

import docrecon
from docrecon.cli import main
from docrecon.errors import CorruptDocument, DocreconError, EngineUnavailable, ParseTimeout, TooLarge
from docrecon.options import ParseOptions
from docrecon.supervise import Limits, Supervisor, death_error

#: enough for the engine and a text PDF, far below what the bombs inflate to
SMALL = Limits(memory_mb=900)
#: without the pre-flight inflation check, so pdfium meets the bombs and aborts
UNCHECKED = ParseOptions(max_stream_bytes=None)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return flate_bomb_pdf(4096)


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pdfs")
    for n in (1, 2, 3, 4):
        (d / f"doc{n}.pdf").write_bytes(numbered_pages_pdf(n))
    return d


def test_parse_many_folder_of_pdfs_with_two_workers(pdf_dir: Path) -> None:
    paths = sorted(pdf_dir.glob("*.pdf"))
    events: list[tuple[int, str]] = []
    results = docrecon.parse_many(paths, workers=2, progress=lambda i, e: events.append((i, e.stage)))
    assert [len(r.pages) for r in results if isinstance(r, docrecon.Document)] == [1, 2, 3, 4]
    assert "page number 3" in docrecon.render_markdown(results[2])  # type: ignore[arg-type]
    assert {i for i, stage in events if stage == "page"} == {0, 1, 2, 3}


def test_flate_bombs_fail_alone_and_the_batch_goes_on(tmp_path: Path, pdf_dir: Path, bomb: bytes) -> None:
    (tmp_path / "bomb.pdf").write_bytes(bomb)
    (tmp_path / "double.pdf").write_bytes(flate_bomb_pdf(4096, double=True))
    good = sorted(pdf_dir.glob("*.pdf"))
    paths = [good[0], tmp_path / "bomb.pdf", good[1], tmp_path / "double.pdf", good[2]]
    results = docrecon.parse_many(paths, UNCHECKED, workers=2, limits=SMALL)
    for i in (1, 3):
        assert isinstance(results[i], TooLarge), results[i]
        assert "SIGABRT" in results[i].message and "900 MiB" in results[i].message  # type: ignore[union-attr]
    assert [len(results[i].pages) for i in (0, 2, 4)] == [1, 2, 3]  # type: ignore[union-attr]


def test_parse_guarded_raises_the_error_and_keeps_its_child_warm(bomb: bytes) -> None:
    doc = docrecon.parse_guarded(numbered_pages_pdf(2), limits=SMALL)
    assert len(doc.pages) == 2
    with pytest.raises(TooLarge, match="SIGABRT"):
        docrecon.parse_guarded(bomb, UNCHECKED, limits=SMALL)
    with pytest.raises(TooLarge, match="max_stream_bytes"):  # the check refuses it before pdfium
        docrecon.parse_guarded(bomb, limits=SMALL)
    assert len(docrecon.parse_guarded(numbered_pages_pdf(1), limits=SMALL).pages) == 1


EXPECTED: dict[str, tuple[type[DocreconError], str]] = {
    "abort": (TooLarge, "SIGABRT"),
    "segfault": (CorruptDocument, "SIGSEGV"),
    "kill": (EngineUnavailable, "SIGKILL"),
    "allocate": (TooLarge, "more memory than the limit of 1024 MiB"),
    "sleep": (ParseTimeout, "limit of 2 s"),
}


def test_each_death_becomes_its_error_and_the_others_succeed() -> None:
    items = ["echo", "abort", "echo", "segfault", "kill", "allocate", "sleep", "echo"]
    limits = Limits(memory_mb=1024, document_timeout=2, page_timeout=None)
    seen: list[int] = []
    with Supervisor(2, limits, warm=()) as sup:
        results = dict(sup.map(childtasks.by_name, items, lambda i, _e: seen.append(i)))
    assert sorted(results) == list(range(len(items)))
    for i, name in enumerate(items):
        if name == "echo":
            assert results[i] == "echo"
        else:
            cls, words = EXPECTED[name]
            assert type(results[i]) is cls and words in results[i].message, (name, results[i])
    assert sorted(seen) == [0, 2, 7]


def test_cpu_time_limit_ends_a_busy_loop() -> None:
    with Supervisor(1, Limits(cpu_seconds=1, document_timeout=120, page_timeout=None), warm=()) as sup:
        with pytest.raises(ParseTimeout, match="CPU-time limit of 1 s"):
            sup.run(childtasks.spin, "x")
        assert sup.run(childtasks.echo, "after") == "after"


def test_per_page_limit_ends_a_hang_before_the_document_limit() -> None:
    with Supervisor(1, Limits(document_timeout=60, page_timeout=1.0), warm=()) as sup:
        with pytest.raises(ParseTimeout, match="per-page limit of 1 s"):
            sup.run(childtasks.hang_after_first_page, "x")
        assert sup.run(childtasks.echo, "after") == "after"  # a fresh child took over


def test_children_are_warm_and_reused_then_recycled() -> None:
    with Supervisor(2, Limits(max_tasks_per_child=3), warm=()) as sup:
        pids = [r for _, r in sup.map(childtasks.pid, ["x"] * 6)]
        assert len(set(pids)) == 2
        later = [r for _, r in sup.map(childtasks.pid, ["x"] * 2)]
        assert not set(later) & set(pids)  # each child served 3 and was replaced


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (-signal.SIGABRT, TooLarge),
        (-signal.SIGSEGV, CorruptDocument),
        (-signal.SIGBUS, CorruptDocument),
        (-signal.SIGXCPU, ParseTimeout),
        (-signal.SIGKILL, EngineUnavailable),
        (1, CorruptDocument),
        (None, EngineUnavailable),
    ],
)
def test_death_error_by_exit_code(code: int | None, cls: type[DocreconError]) -> None:
    assert type(death_error(code, Limits())) is cls


def test_cli_workers_two_with_a_bomb_in_the_folder(tmp_path: Path, pdf_dir: Path, bomb: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(pdf_dir.glob("*.pdf"))[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "bomb.pdf").write_bytes(bomb)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["parse", str(src), "-o", str(out), "--workers", "2", "--memory-limit", "900"])
    assert res.exit_code == TooLarge.exit_code, res.output
    assert "bomb.pdf (too_large)" in res.output and "flate bomb" in res.output  # refused before pdfium opens it
    assert sorted(p.name for p in out.glob("*.md")) == ["doc1.md", "doc2.md", "doc3.md"]
    assert "page number 2" in (out / "doc2.md").read_text()


def test_an_abandoned_batch_leaves_no_late_result_for_the_next() -> None:
    with Supervisor(2, Limits(document_timeout=60), warm=()) as sup:
        batch = sup.map(childtasks.by_name, ["echo", "sleep"])
        assert next(batch) == (0, "echo")
        batch.close()  # the child still sleeping is replaced
        assert dict(sup.map(childtasks.by_name, ["echo", "echo"])) == {0: "echo", 1: "echo"}


def test_costliest_payloads_start_first(tmp_path: Path) -> None:
    """With a cost estimate (file size), one worker takes the payloads largest first, so a big
    file does not start last and run alone; indexes still name the payloads as given."""
    from docrecon.supervise import file_cost

    sizes = [10, 5000, 300, 80000, 1]
    paths = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"f{i}.bin"
        p.write_bytes(b"x" * n)
        paths.append(str(p))
    with Supervisor(1) as sup:
        order = [i for i, r in sup.map(childtasks.echo, paths, cost=file_cost)]
        assert dict(sup.map(childtasks.echo, paths, cost=file_cost)) == dict(enumerate(paths))
    assert order == [3, 1, 2, 0, 4]
    assert file_cost(tmp_path / "missing") == 0.0 and file_cost(b"abc") == 3.0


def test_children_start_with_one_openblas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenBLAS's per-thread buffers would take address space inside the child's limit; the
    caller's own setting wins, and the parent's environment is left as it was."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with Supervisor(1, Limits(), warm=()) as sup:
        assert sup.run(childtasks.environment, "OPENBLAS_NUM_THREADS") == "1"
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    with Supervisor(1, Limits(), warm=()) as sup:
        assert sup.run(childtasks.environment, "OPENBLAS_NUM_THREADS") == "2"


def test_auto_ocr_backend_leaves_openvino_out_under_a_tight_address_space() -> None:
    """OpenVINO reserves about 1.9 GB of address space: in a process limited below 3 GiB the
    ``auto`` backend is onnxruntime, whatever the CPU."""
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, resource.RLIM_INFINITY));"
        "from docrecon.ocr.backend import resolve; print(resolve('auto'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "onnxruntime"
