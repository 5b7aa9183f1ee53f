"""Task records and event logs on SQLite and PostgreSQL; concurrent writers on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

from docrecon.errors import Cancelled
from docrecon.state import EventKind, FailedPageInfo, JobState, TaskEvent, TaskRecord, TaskStore


def _rec(task_id: str, key: str = "k") -> TaskRecord:
    return TaskRecord(task_id, key, "sse", "PDF", "a.pdf", f"inputs/{task_id}", f"results/{task_id}_parse.zip")


def test_event_log_and_state(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    store.create(_rec("t1"))
    assert store.get("t1").state is JobState.QUEUED  # type: ignore[union-attr]
    a = store.append(TaskEvent("t1", EventKind.ACCEPTED, total=2))
    b = store.append(TaskEvent("t1", EventKind.PROGRESS, done=1, total=2, page=1))
    done = TaskEvent(
        "t1", EventKind.DONE, done=2, total=2, success_pages=1, failed_pages=(FailedPageInfo(2, "bad page"),)
    )
    c = store.append(done)
    assert (a and a.seq, b and b.seq, c and c.seq) == (0, 1, 2)
    assert store.append(TaskEvent("t1", EventKind.FAILED, code="X")) is None  # after the final event
    assert store.append(TaskEvent("nope", EventKind.ACCEPTED)) is None
    rec = store.get("t1")
    assert rec is not None and rec.state is JobState.SUCCEEDED and rec.failed_pages == [FailedPageInfo(2, "bad page")]
    assert rec.finished == done.at and isinstance(rec.created, float)
    assert [e.seq for e in store.events("t1", after=0)] == [1, 2]
    assert store.events("t1")[2].failed_pages == (FailedPageInfo(2, "bad page"),)
    assert store.pages_used("k") == 1 and store.pages_used("other") == 0
    assert store.count(JobState.SUCCEEDED) == 1 and store.count(JobState.QUEUED) == 0
    store.close()


def test_failure_and_cancel_states(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    for t in ("f", "c"):
        store.create(_rec(t))
    store.append(TaskEvent("f", EventKind.FAILED, code="FailedOperation", error="broken"))
    store.append(TaskEvent.failure("c", Cancelled()))
    f, c = store.get("f"), store.get("c")
    assert f is not None and (f.state, f.error_code, f.error_message) == (JobState.FAILED, "FailedOperation", "broken")
    assert c is not None and c.state is JobState.CANCELLED
    store.close()


def test_jobs_requeue_and_input(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    store.create(_rec("j"))
    assert store.job("j") is None and store.requeue("j") == 0  # no stored job: cannot run again
    store.set_input("j", "b.docx", "DOCX", 123)
    store.set_job("j", '{"v": 1}')
    store.set_job("j", '{"v": 2}')  # stored again: replaces, first attempt
    assert store.job("j") == ('{"v": 2}', 1)
    store.append(TaskEvent("j", EventKind.ACCEPTED, total=1))
    assert store.requeue("j") == 2  # it was running: one more attempt
    assert store.requeue("j", interrupted=True) == 3 and store.requeue("j") == 3
    rec = store.get("j")
    assert rec is not None and (rec.state, rec.name, rec.file_type, rec.file_size) == (
        JobState.QUEUED,
        "b.docx",
        "DOCX",
        123,
    )
    store.append(TaskEvent("j", EventKind.DONE, total=1, done=1))
    assert store.requeue("j") == 0
    store.close()


def test_unfinished_sweep_purge(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    for t in ("a", "b"):
        store.create(_rec(t))
    store.append(TaskEvent("a", EventKind.DONE, at=100.0))
    assert store.unfinished() == ["b"]
    assert store.results_to_sweep(50.0) == []
    assert store.results_to_sweep(200.0) == ["results/a_parse.zip"]
    assert store.results_to_sweep(200.0) == [] and store.result_swept("a")
    assert store.purge(200.0) == 1 and store.get("a") is None and store.events("a") == []
    store.close()
    again = TaskStore(db_target)
    assert again.get("b") is not None
    again.close()


def test_concurrent_writers_number_events_without_gaps(pg_schema_url: str) -> None:
    """Several processes append to one task's log (API processes and workers): each store has
    its own connection, as a process would; the row lock keeps sequence numbers unique."""
    stores = [TaskStore(pg_schema_url) for _ in range(4)]
    stores[0].create(_rec("busy"))
    stored: list[int] = []
    lock = threading.Lock()

    def write(store: TaskStore) -> None:
        for i in range(25):
            ev = store.append(TaskEvent("busy", EventKind.PROGRESS, done=i, total=100))
            assert ev is not None
            with lock:
                stored.append(ev.seq)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(stored) == list(range(100))
    assert [e.seq for e in stores[1].events("busy")] == list(range(100))
    for s in stores:
        s.close()


def test_leases_claim_renew_reap(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    store.create(_rec("l"))
    assert store.claim("l", "w1", ttl=10, now=100.0) == "new"
    assert store.claim("l", "w2", ttl=10, now=105.0) == ""  # w1 is alive: a duplicate delivery
    assert store.renew("l", "w1", ttl=10, now=108.0) and not store.renew("l", "w2", ttl=10, now=108.0)
    assert store.reap(ttl=10, now=117.0) == []  # renewed until 118
    assert store.reap(ttl=10, now=119.0) == ["l"]  # w1 stopped beating: sent again once
    assert store.reap(ttl=10, now=120.0) == []
    assert store.claim("l", "w2", ttl=10, now=121.0) == "taken"  # the new delivery takes over
    store.release("l", "w1")  # a late release of the dead holder changes nothing
    assert store.claim("l", "w3", ttl=10, now=122.0) == ""
    store.release("l", "w2")
    assert store.claim("l", "w3", ttl=10, now=123.0) == "new"
    store.append(TaskEvent("l", EventKind.DONE))
    assert store.reap(ttl=10, now=200.0) == []  # a finished task's lease is dropped, not reaped
    assert store.claim("l", "w4", ttl=10, now=201.0) == "new"
    store.close()


def test_concurrent_claims_have_one_winner(pg_schema_url: str) -> None:
    stores = [TaskStore(pg_schema_url) for _ in range(6)]
    stores[0].create(_rec("race"))
    results: list[str] = []
    barrier = threading.Barrier(len(stores))

    def claim(i: int) -> None:
        barrier.wait()
        results.append(stores[i].claim("race", f"w{i}", ttl=30))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [""] * 5 + ["new"]
    for s in stores:
        s.close()


def test_recent_tasks_of_a_key(db_target: str | Path) -> None:
    store = TaskStore(db_target)
    for n in range(4):
        rec = _rec(f"r{n}", key="mine" if n != 2 else "other")
        rec.kind = "native" if n != 1 else "sse"
        rec.created = 1000.0 + n
        store.create(rec)
    assert store.recent("mine", "native", 10) == ["r3", "r0"]
    assert store.recent("mine", "native", 1) == ["r3"]
    assert store.recent("mine", "sse", 10) == ["r1"]
    assert store.recent("nobody", "native", 10) == []
