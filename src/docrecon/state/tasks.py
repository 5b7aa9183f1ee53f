"""Task records and their event logs: the task states and events (what runners report, see
:mod:`docrecon.tasks.base`), :class:`TaskRecord`, and :class:`TaskStore` (SQLite or PostgreSQL).

The log is what ``/v1/tasks/{id}/events`` replays (``Last-Event-ID``) and what a reconnecting
subscriber reads before it follows live events. Keep-alive repeats are not stored.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from docrecon.db import SqlStore, Tx
from docrecon.errors import Cancelled, DocreconError


class JobState(StrEnum):
    """Task states; ``api_status`` is the Tencent ``GetReconstructDocumentResult.Status``."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)

    @property
    def api_status(self) -> str:
        """Spec §2.9 has no status for a cancelled task; it is stopped at its owner's request,
        not failed, so it reads ``Pause`` (the task stopped before its end) with no ``Error``."""
        return {
            JobState.QUEUED: "WaitExecute",
            JobState.RUNNING: "Processing",
            JobState.SUCCEEDED: "Success",
            JobState.CANCELLED: "Pause",
        }.get(self, "Failed")


class EventKind(StrEnum):
    ACCEPTED = "accepted"
    PROGRESS = "progress"
    DONE = "done"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (EventKind.DONE, EventKind.FAILED)


@dataclass(frozen=True, slots=True)
class FailedPageInfo:
    number: int
    error: str


@dataclass(frozen=True, slots=True)
class TaskEvent:
    task_id: str
    kind: EventKind
    #: position in the task's event log, assigned by the hub (0, 1, 2 ...)
    seq: int = -1
    done: int = 0
    total: int = 0
    page: int | None = None
    message: str = ""
    failed_pages: tuple[FailedPageInfo, ...] = ()
    success_pages: int = 0
    #: error code (Tencent ``api_code``) and message of a ``failed`` event
    code: str = ""
    error: str = ""
    #: the error class's short code (``encrypted``...), so the API can answer with its status
    reason: str = ""
    #: a ``failed`` event about the runner, not the document (its worker died, the server is
    #: stopping): the task may run again from its stored input
    interrupted: bool = False
    at: float = field(default_factory=time.time)

    @classmethod
    def failure(cls, task_id: str, exc: DocreconError, interrupted: bool = False) -> TaskEvent:
        """The ``failed`` event for ``exc``: its Tencent code, message and short code, all from
        the error class (no code is written anywhere else)."""
        return cls(task_id, EventKind.FAILED, code=exc.api_code, error=exc.message, reason=exc.code,
                   interrupted=interrupted)

    @property
    def percent(self) -> int:
        """Progress 0..99 for progress events, at least 1 once a page is done (``0`` is the
        accepted task's; ``100`` belongs to the final result only)."""
        if self.kind is EventKind.DONE:
            return 100
        if not self.total or self.done <= 0:
            return 0
        return max(1, min(99, int(99 * self.done / self.total)))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
    file_type TEXT NOT NULL, name TEXT NOT NULL, file_size INTEGER NOT NULL DEFAULT 0,
    input_key TEXT NOT NULL, result_key TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '',
    failed_pages TEXT NOT NULL DEFAULT '[]', success_pages INTEGER NOT NULL DEFAULT 0,
    error_code TEXT NOT NULL DEFAULT '', error_message TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL, finished REAL, result_swept INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tasks_state ON tasks(state);
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks(finished);
CREATE INDEX IF NOT EXISTS tasks_key ON tasks(key_id);
CREATE TABLE IF NOT EXISTS jobs (
    task_id TEXT PRIMARY KEY, job TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS events (
    task_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (task_id, seq)
);
CREATE TABLE IF NOT EXISTS leases (
    task_id TEXT PRIMARY KEY, holder TEXT NOT NULL, expires REAL NOT NULL
);
"""
#: the lease holder a reaper writes when it takes a dead worker's task back (see :meth:`TaskStore.reap`)
REAPED = "-reaped-"


@dataclass(slots=True)
class TaskRecord:
    task_id: str
    key_id: str
    #: "sse", "flow" (CreateReconstructDocumentFlow) or "native"
    kind: str
    file_type: str
    name: str
    input_key: str
    result_key: str
    file_size: int = 0
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int = 0
    message: str = ""
    failed_pages: list[FailedPageInfo] = field(default_factory=list)
    success_pages: int = 0
    error_code: str = ""
    error_message: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None


def _event_json(ev: TaskEvent) -> str:
    data = asdict(ev)
    data["failed_pages"] = [[f.number, f.error] for f in ev.failed_pages]
    return json.dumps(data, separators=(",", ":"))


def _event_from(text: str) -> TaskEvent:
    data = json.loads(text)
    data["kind"] = EventKind(data["kind"])
    data["failed_pages"] = tuple(FailedPageInfo(n, e) for n, e in data["failed_pages"])
    return TaskEvent(**data)


def _state_after(ev: TaskEvent) -> JobState:
    if ev.kind is EventKind.DONE:
        return JobState.SUCCEEDED
    if ev.kind is EventKind.FAILED:
        return JobState.CANCELLED if ev.reason == Cancelled.code else JobState.FAILED
    return JobState.RUNNING


class TaskStore(SqlStore):
    def __init__(self, path: str | Path) -> None:
        super().__init__(path, _SCHEMA)

    def create(self, rec: TaskRecord) -> None:
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO tasks (task_id, key_id, kind, state, file_type, name, file_size, input_key,"
                " result_key, created) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    rec.task_id,
                    rec.key_id,
                    rec.kind,
                    rec.state.value,
                    rec.file_type,
                    rec.name,
                    rec.file_size,
                    rec.input_key,
                    rec.result_key,
                    rec.created,
                ),
            )

    def set_input(self, task_id: str, name: str, file_type: str, file_size: int) -> None:
        """Record what the input turned out to be (known only after a download)."""
        with self._db.tx() as q:
            q.execute(
                "UPDATE tasks SET name=?, file_type=?, file_size=? WHERE task_id=?",
                (name, file_type, file_size, task_id),
            )

    def set_job(self, task_id: str, job_json: str) -> None:
        """Keep what a worker needs to run the task (its first attempt starts now)."""
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO jobs (task_id, job, attempts) VALUES (?, ?, 1)"
                " ON CONFLICT (task_id) DO UPDATE SET job = excluded.job, attempts = 1",
                (task_id, job_json),
            )

    def job(self, task_id: str) -> tuple[str, int] | None:
        """The stored job JSON and the attempts made so far, if the task got that far."""
        with self._db.tx() as q:
            row = q.execute("SELECT job, attempts FROM jobs WHERE task_id = ?", (task_id,)).fetchone()
        return (row[0], int(row[1])) if row else None

    def requeue(self, task_id: str, interrupted: bool = False) -> int:
        """Put an unfinished task back to ``queued``; an ``interrupted`` or running one counts one
        more attempt. Returns the attempt number, 0 if the task ended or has no stored job."""
        with self._db.tx() as q:
            row = q.execute(
                "SELECT t.state, j.attempts FROM tasks t JOIN jobs j USING (task_id) WHERE task_id = ?" + q.for_update,
                (task_id,),
            ).fetchone()
            if row is None or JobState(row[0]).final:
                return 0
            attempts = int(row[1]) + (1 if interrupted or row[0] == JobState.RUNNING.value else 0)
            q.execute("UPDATE tasks SET state=? WHERE task_id=?", (JobState.QUEUED.value, task_id))
            q.execute("UPDATE jobs SET attempts=? WHERE task_id=?", (attempts, task_id))
        return attempts

    def claim(self, task_id: str, holder: str, ttl: float, now: float | None = None) -> str:
        """Take the task's lease for ``ttl`` seconds (distributed workers). Returns ``"new"`` (no
        one held it), ``"taken"`` (its holder died: the lease expired or was reaped) or ``""``
        (a live holder has it: this delivery is a duplicate)."""
        t = time.time() if now is None else now
        with self._db.tx() as q:  # each statement is atomic: two claimants never both win
            cur = q.execute(
                "INSERT INTO leases (task_id, holder, expires) VALUES (?, ?, ?) ON CONFLICT (task_id) DO NOTHING",
                (task_id, holder, t + ttl),
            )
            if cur.rowcount > 0:
                return "new"
            cur = q.execute(
                "UPDATE leases SET holder = ?, expires = ? WHERE task_id = ? AND (holder IN (?, ?) OR expires < ?)",
                (holder, t + ttl, task_id, holder, REAPED, t),
            )
        return "taken" if cur.rowcount > 0 else ""

    def renew(self, task_id: str, holder: str, ttl: float, now: float | None = None) -> bool:
        """Extend a lease still held by ``holder`` (the worker's heartbeat)."""
        t = time.time() if now is None else now
        with self._db.tx() as q:
            cur = q.execute(
                "UPDATE leases SET expires = ? WHERE task_id = ? AND holder = ?", (t + ttl, task_id, holder)
            )
        return cur.rowcount > 0

    def release(self, task_id: str, holder: str) -> None:
        with self._db.tx() as q:
            q.execute("DELETE FROM leases WHERE task_id = ? AND holder = ?", (task_id, holder))

    def reap(self, ttl: float, now: float | None = None) -> list[str]:
        """Tasks whose worker stopped renewing its lease: each is marked reaped (for ``ttl``
        seconds, so one reaper sends it again) and returned; finished tasks' leases are dropped."""
        t = time.time() if now is None else now
        with self._db.tx() as q:
            q.execute(
                "DELETE FROM leases WHERE task_id IN (SELECT task_id FROM tasks WHERE state NOT IN (?, ?))",
                (JobState.QUEUED.value, JobState.RUNNING.value),
            )
            rows = q.execute("SELECT task_id FROM leases WHERE expires < ?" + q.for_update, (t,)).fetchall()
            ids = [str(r[0]) for r in rows]
            for task_id in ids:
                q.execute("UPDATE leases SET holder = ?, expires = ? WHERE task_id = ?", (REAPED, t + ttl, task_id))
        return ids

    def get(self, task_id: str) -> TaskRecord | None:
        with self._db.tx() as q:
            row = q.execute(
                "SELECT task_id, key_id, kind, file_type, name, input_key, result_key, file_size, state,"
                " done, total, message, failed_pages, success_pages, error_code, error_message, created,"
                " finished FROM tasks WHERE task_id = ?",
                (task_id,),
            ).fetchone()
        if row is None:
            return None
        rec = TaskRecord(*row[:8])
        rec.state = JobState(row[8])
        rec.done, rec.total, rec.message = row[9], row[10], row[11]
        rec.failed_pages = [FailedPageInfo(n, e) for n, e in json.loads(row[12])]
        rec.success_pages, rec.error_code, rec.error_message = row[13], row[14], row[15]
        rec.created, rec.finished = row[16], row[17]
        return rec

    def append(self, ev: TaskEvent) -> TaskEvent | None:
        """Store ``ev`` with the next sequence number and update the task; None if the task
        already ended (a late event after a timeout or cancellation) or is unknown."""
        with self._db.tx() as q:
            # the row lock orders concurrent appends to one task (several processes on PostgreSQL)
            row = q.execute("SELECT state FROM tasks WHERE task_id = ?" + q.for_update, (ev.task_id,)).fetchone()
            if row is None or JobState(row[0]).final:
                return None
            (seq,) = q.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM events WHERE task_id = ?", (ev.task_id,)
            ).fetchone()
            stored = TaskEvent(**{**_fields(ev), "seq": seq})
            q.execute("INSERT INTO events VALUES (?,?,?)", (ev.task_id, seq, _event_json(stored)))
            _update(q, stored)
        return stored

    def events(self, task_id: str, after: int = -1) -> list[TaskEvent]:
        with self._db.tx() as q:
            rows = q.execute(
                "SELECT data FROM events WHERE task_id = ? AND seq > ? ORDER BY seq", (task_id, after)
            ).fetchall()
        return [_event_from(r[0]) for r in rows]

    def unfinished(self) -> list[str]:
        """Queued or running tasks, oldest first."""
        with self._db.tx() as q:
            rows = q.execute(
                "SELECT task_id FROM tasks WHERE state IN (?, ?) ORDER BY created",
                (JobState.QUEUED.value, JobState.RUNNING.value),
            ).fetchall()
        return [r[0] for r in rows]

    def count(self, state: JobState) -> int:
        """How many tasks are in ``state`` (admission and ``/healthz``)."""
        with self._db.tx() as q:
            (n,) = q.execute("SELECT COUNT(*) FROM tasks WHERE state = ?", (state.value,)).fetchone()
        return int(n)

    def recent(self, key_id: str, kind: str, limit: int) -> list[str]:
        """The ids of the key's last ``limit`` tasks of ``kind``, newest first (the web page's list)."""
        with self._db.tx() as q:
            rows = q.execute(
                "SELECT task_id FROM tasks WHERE key_id = ? AND kind = ? ORDER BY created DESC LIMIT ?",
                (key_id, kind, limit),
            ).fetchall()
        return [r[0] for r in rows]

    def pages_used(self, key_id: str) -> int:
        with self._db.tx() as q:
            (n,) = q.execute("SELECT COALESCE(SUM(success_pages), 0) FROM tasks WHERE key_id = ?", (key_id,)).fetchone()
        return int(n)

    def results_to_sweep(self, finished_before: float) -> list[str]:
        """Result keys of tasks finished before the cut-off whose files were not swept yet."""
        with self._db.tx() as q:
            rows = q.execute(
                "SELECT result_key FROM tasks WHERE finished < ? AND result_swept = 0", (finished_before,)
            ).fetchall()
            q.execute("UPDATE tasks SET result_swept = 1 WHERE finished < ?", (finished_before,))
        return [r[0] for r in rows]

    def purge(self, finished_before: float) -> int:
        """Forget tasks (their events and jobs) finished before the cut-off."""
        with self._db.tx() as q:
            q.execute(
                "DELETE FROM jobs WHERE task_id IN (SELECT task_id FROM tasks WHERE finished < ?)",
                (finished_before,),
            )
            q.execute(
                "DELETE FROM events WHERE task_id IN (SELECT task_id FROM tasks WHERE finished < ?)",
                (finished_before,),
            )
            cur = q.execute("DELETE FROM tasks WHERE finished < ?", (finished_before,))
        return cur.rowcount

    def result_swept(self, task_id: str) -> bool:
        with self._db.tx() as q:
            row = q.execute("SELECT result_swept FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        return bool(row and row[0])


def _update(q: Tx, ev: TaskEvent) -> None:
    state = _state_after(ev)
    finished = ev.at if state.final else None
    pages = json.dumps([[f.number, f.error] for f in ev.failed_pages])
    if ev.kind is EventKind.FAILED:
        q.execute(
            "UPDATE tasks SET state=?, error_code=?, error_message=?, finished=? WHERE task_id=?",
            (state.value, ev.code, ev.error, finished, ev.task_id),
        )
        return
    q.execute(
        "UPDATE tasks SET state=?, done=?, total=?, message=?, failed_pages=?, success_pages=?,"
        " finished=? WHERE task_id=?",
        (state.value, ev.done, ev.total, ev.message, pages, ev.success_pages, finished, ev.task_id),
    )


def _fields(ev: TaskEvent) -> dict[str, object]:
    return {name: getattr(ev, name) for name in TaskEvent.__dataclass_fields__}
