from __future__ import annotations

from pathlib import Path

from docrecon.tasks import EventKind, FailedPageInfo, JobState, TaskEvent, TaskRecord, TaskStore


def _rec(task_id: str, key: str = "k") -> TaskRecord:
    return TaskRecord(
        task_id, key, "sse", "PDF", "a.pdf", f"inputs/{task_id}", f"results/{task_id}_parse.zip"
    )


def test_event_log_and_state(tmp_path: Path) -> None:
    store = TaskStore(tmp_path / "t.db")
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
    rec = store.get("t1")
    assert (
        rec is not None
        and rec.state is JobState.SUCCEEDED
        and rec.failed_pages == [FailedPageInfo(2, "bad page")]
    )
    assert [e.seq for e in store.events("t1", after=0)] == [1, 2]
    assert store.events("t1")[2].failed_pages == (FailedPageInfo(2, "bad page"),)
    assert store.pages_used("k") == 1


def test_unfinished_sweep_purge(tmp_path: Path) -> None:
    store = TaskStore(tmp_path / "t.db")
    for t in ("a", "b"):
        store.create(_rec(t))
    store.append(TaskEvent("a", EventKind.DONE, at=100.0))
    assert store.unfinished() == ["b"]
    assert store.results_to_sweep(50.0) == []
    assert store.results_to_sweep(200.0) == ["results/a_parse.zip"]
    assert store.results_to_sweep(200.0) == [] and store.result_swept("a")
    assert store.purge(200.0) == 1 and store.get("a") is None and store.events("a") == []
    store.close()
    again = TaskStore(tmp_path / "t.db")
    assert again.get("b") is not None
