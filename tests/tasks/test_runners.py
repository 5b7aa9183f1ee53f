"""The process pool and the inline runner, driven directly with a collecting sink."""

from __future__ import annotations

import dataclasses
import io
import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from docrecon.config import RunnerSettings, StorageSettings
from docrecon.errors import Busy
from docrecon.options import ParseOptions
from docrecon.storage import LocalStorage, MemoryStorage, Storage
from docrecon.tasks import EventKind, InlineRunner, Job, ProcessPoolRunner, TaskEvent


def pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 720, f"Runner test page {p + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


class Sink:
    def __init__(self) -> None:
        self.events: list[TaskEvent] = []
        self.cond = threading.Condition()

    def report(self, event: TaskEvent) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def final(self, task_id: str, timeout: float = 30.0) -> TaskEvent:
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if ev.task_id == task_id and ev.kind.final:
                        return ev
                assert self.cond.wait(max(0.0, deadline - time.time())), "no final event"

    def of(self, task_id: str) -> list[EventKind]:
        return [e.kind for e in self.events if e.task_id == task_id]


def job(storage: Storage, task_id: str, data: bytes, **kw: object) -> Job:
    storage.put(f"inputs/{task_id}", data)
    return Job(
        task_id,
        f"inputs/{task_id}",
        f"results/{task_id}_parse.zip",
        "PDF",
        "doc.pdf",
        ParseOptions(max_pages=5000),
        **kw,
    )  # type: ignore[arg-type]


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[tuple[ProcessPoolRunner, Sink, LocalStorage]]:
    import asyncio

    settings = RunnerSettings(workers=1, queue_size=2, task_timeout=30, max_tasks_per_worker=2)
    runner = ProcessPoolRunner(settings, StorageSettings(root=tmp_path), str(tmp_path))
    sink = Sink()
    asyncio.run(runner.start(sink))
    yield runner, sink, LocalStorage(tmp_path)
    asyncio.run(runner.stop())


def test_pool_runs_jobs_and_recycles_workers(pool: tuple[ProcessPoolRunner, Sink, LocalStorage]) -> None:
    runner, sink, storage = pool
    first_pid = runner.worker_pids()
    for i in range(3):
        runner.submit(job(storage, f"t{i}", pdf(2)))
        assert sink.final(f"t{i}").kind is EventKind.DONE
    assert sink.of("t0") == [EventKind.ACCEPTED, EventKind.PROGRESS, EventKind.PROGRESS, EventKind.DONE]
    with storage.open("results/t0_parse.zip") as fh:
        assert "doc.md" in zipfile.ZipFile(fh).namelist()
    assert runner.worker_pids() != first_pid  # replaced after max_tasks_per_worker


def test_pool_time_limit_kill_and_queue(pool: tuple[ProcessPoolRunner, Sink, LocalStorage]) -> None:
    runner, sink, storage = pool
    runner.submit(job(storage, "slow", pdf(1500), timeout=0.3))
    assert sink.final("slow").code == "FailedOperation.FileParseTimeout"
    runner.submit(job(storage, "victim", pdf(1500)))
    deadline = time.time() + 20
    while "victim" not in runner.running():
        assert time.time() < deadline
        time.sleep(0.01)
    runner.submit(job(storage, "q1", pdf(1)))
    runner.submit(job(storage, "q2", pdf(1)))
    with pytest.raises(Busy):
        runner.submit(job(storage, "q3", pdf(1)))
    runner.cancel("q2")
    os.kill(runner.running()["victim"], signal.SIGKILL)
    assert sink.final("victim").code == "FailedOperation.EngineServerError"
    assert sink.final("q1").kind is EventKind.DONE
    time.sleep(0.3)
    assert sink.of("q2") == []  # cancelled while queued: never run


def test_pool_worker_memory_limit_turns_a_flate_bomb_into_too_large(tmp_path: Path) -> None:
    import asyncio

    from hostile import flate_bomb_pdf

    settings = RunnerSettings(workers=1, queue_size=2, task_timeout=60, memory_limit_mb=900)
    runner = ProcessPoolRunner(settings, StorageSettings(root=tmp_path), str(tmp_path))
    sink = Sink()
    asyncio.run(runner.start(sink))
    storage = LocalStorage(tmp_path)
    try:
        bomb = job(storage, "bomb", flate_bomb_pdf(4096))  # unchecked: pdfium meets the bomb
        runner.submit(dataclasses.replace(bomb, options=ParseOptions(max_pages=5000, max_stream_bytes=None)))
        final = sink.final("bomb", timeout=60)
        assert final.code == "LimitExceeded.TooLargeFileError" and not final.interrupted
        assert "SIGABRT" in final.error and "900 MiB" in final.error
        runner.submit(job(storage, "after", pdf(1)))  # a fresh worker took the slot
        assert sink.final("after", timeout=60).kind is EventKind.DONE
    finally:
        asyncio.run(runner.stop())


def test_inline_runner() -> None:
    import asyncio

    storage = MemoryStorage()
    runner = InlineRunner(storage, workers=1)
    sink = Sink()
    asyncio.run(runner.start(sink))
    try:
        runner.submit(job(storage, "i1", pdf(2)))
        assert sink.final("i1").kind is EventKind.DONE and storage.size("results/i1_parse.zip")
        runner.submit(job(storage, "i2", b"%PDF-1.4 broken"))
        assert sink.final("i2").code == "FailedOperation.NonsupportParse"
    finally:
        asyncio.run(runner.stop())
