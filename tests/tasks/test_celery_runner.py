"""One delivery of a distributed task (``run_parse``), in this process, on a real Redis and the
SQLite task store: the run, a duplicate delivery, bounded re-runs, cancellation from elsewhere,
and the reaper that sends a dead worker's task again."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from pathlib import Path

import pytest
import redis
from redisserver import redis_base_url, redis_url  # noqa: F401 - the real Redis fixtures

from docrecon.config import Settings
from docrecon.errors import Cancelled, EngineUnavailable
from docrecon.state import EventKind, JobState, TaskEvent, TaskRecord, TaskStore, database
from docrecon.storage import LocalStorage
from docrecon.tasks.base import Job
from docrecon.tasks.celery_runner import (
    EVENTS_CHANNEL,
    CeleryRunner,
    event_from_json,
    event_to_json,
    run_parse,
)
from docrecon.tasks.hub import TaskHub
from docrecon.tasks.jobcodec import job_to_json


def _pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 720, f"Page {p + 1} of the distributed test")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def settings(tmp_path: Path, redis_url: str) -> Settings:  # noqa: F811
    return Settings(
        data_dir=tmp_path,
        runner={"kind": "celery", "broker_url": redis_url, "heartbeat": 0.2, "max_attempts": 2, "task_timeout": 60},
    )


def _task(settings: Settings, task_id: str, pages: int = 1) -> TaskStore:
    store = TaskStore(database(settings, "tasks"))
    LocalStorage(settings.storage_root).put(f"inputs/{task_id}", _pdf(pages))
    store.create(TaskRecord(task_id, "k", "flow", "PDF", "a.pdf", f"inputs/{task_id}", f"results/{task_id}.zip"))
    job = Job(task_id, f"inputs/{task_id}", f"results/{task_id}.zip", "PDF", "a.pdf")
    store.set_job(task_id, job_to_json(job))
    return store


def test_event_json_round_trip() -> None:
    ev = TaskEvent("t", EventKind.FAILED, seq=3, code="X", error="e", interrupted=True)
    assert event_from_json(event_to_json(ev)) == ev


def test_a_delivery_runs_stores_and_publishes(settings: Settings) -> None:
    store = _task(settings, "t1", pages=2)
    pubsub = redis.Redis.from_url(settings.runner.broker_url).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(EVENTS_CHANNEL)
    run_parse(settings, "t1", "w1")
    rec = store.get("t1")
    assert rec is not None and rec.state is JobState.SUCCEEDED and rec.success_pages == 2
    assert LocalStorage(settings.storage_root).size("results/t1.zip")
    assert LocalStorage(settings.storage_root).size("inputs/t1") is None  # the input is dropped at the end
    published: list[TaskEvent] = []
    deadline = time.monotonic() + 10
    while not (published and published[-1].kind.final) and time.monotonic() < deadline:
        msg = pubsub.get_message(timeout=0.5)
        if msg is not None:
            published.append(event_from_json(msg["data"]))
    assert [e.seq for e in published] == [e.seq for e in store.events("t1")]
    assert published[-1].kind is EventKind.DONE
    assert store.claim("t1", "w9", ttl=10) == "new"  # the lease was released
    run_parse(settings, "t1", "w2")  # a late duplicate delivery of a finished task changes nothing
    assert [e.kind for e in store.events("t1")].count(EventKind.DONE) == 1


def test_duplicate_delivery_of_a_held_task_is_dropped(settings: Settings) -> None:
    store = _task(settings, "t2")
    assert store.claim("t2", "alive", ttl=60) == "new"
    run_parse(settings, "t2", "w2")
    rec = store.get("t2")
    assert rec is not None and rec.state is JobState.QUEUED and store.events("t2") == []


def test_runs_are_bounded(settings: Settings) -> None:
    store = _task(settings, "t3")
    store.append(TaskEvent("t3", EventKind.ACCEPTED, total=1))  # run 1 started ...
    assert store.claim("t3", "dead", ttl=0.01) == "new"  # ... on a worker that then died
    time.sleep(0.05)
    store.requeue("t3", interrupted=True)  # run 2 was lost the same way
    store.append(TaskEvent("t3", EventKind.ACCEPTED, total=1))
    run_parse(settings, "t3", "w3")  # run 3 > max_attempts (2)
    rec = store.get("t3")
    assert rec is not None and rec.state is JobState.FAILED and rec.error_code == EngineUnavailable.api_code
    assert "given up after 2 runs" in rec.error_message


def test_cancelled_elsewhere_stops_at_the_next_event(settings: Settings) -> None:
    store = _task(settings, "t4", pages=400)
    runner = threading.Thread(target=run_parse, args=(settings, "t4", "w4"))
    runner.start()
    deadline = time.monotonic() + 60
    while not store.events("t4") and time.monotonic() < deadline:
        time.sleep(0.01)
    store.append(TaskEvent.failure("t4", Cancelled()))  # an API process
    runner.join(60)
    assert not runner.is_alive()
    kinds = [e.kind for e in store.events("t4")]
    assert EventKind.DONE not in kinds and kinds[-1] is EventKind.FAILED
    rec = store.get("t4")
    assert rec is not None and rec.state is JobState.CANCELLED


def test_reaper_sends_a_dead_workers_task_again(settings: Settings) -> None:
    store = _task(settings, "t5")
    store.claim("t5", "dead", ttl=0.01)
    time.sleep(0.05)
    runner = CeleryRunner(settings)
    client = redis.Redis.from_url(settings.runner.broker_url)
    before = client.llen("docrecon")
    assert runner.reap() == ["t5"] and runner.reap() == []  # once, until the new lease expires
    assert client.llen("docrecon") == before + 1  # one message on the queue
    assert store.claim("t5", "w5", ttl=10) == "taken"


def test_cancel_through_the_api_side_runner(settings: Settings, tmp_path: Path) -> None:
    store = _task(settings, "t6")
    store.append(TaskEvent("t6", EventKind.ACCEPTED, total=1))  # running on some worker

    async def cancel() -> None:
        hub = TaskHub(store, LocalStorage(settings.storage_root), asyncio.get_running_loop())
        runner = CeleryRunner(settings)
        await runner.start(hub)
        assert runner.cancel("t6")
        await runner.stop()

    asyncio.run(cancel())
    rec = store.get("t6")
    assert rec is not None and rec.state is JobState.CANCELLED
    run_parse(settings, "t6", "w6")  # the message of a cancelled task is dropped
    assert [e.kind for e in store.events("t6")] == [EventKind.ACCEPTED, EventKind.FAILED]
