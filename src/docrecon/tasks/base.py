"""Task running behind small Protocols.

* :class:`Job` — what a worker needs to parse one document (picklable, no live objects).
* :class:`TaskEvent` — what a worker reports: ``accepted`` (the document opened and its page range
  passed the checks), ``progress`` (a page finished), then exactly one of ``done`` / ``failed``.
* :class:`EventSink` — where a runner reports events (the :class:`~docrecon.tasks.hub.TaskHub`).
* :class:`TaskRunner` — runs jobs: the process pool (default), threads in the server (``inline``);
  a distributed (Redis) runner implements the same four methods and reports to the same sink.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from docrecon.options import ParseOptions
from docrecon.renderers.options import RenderOptions


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
        return {
            JobState.QUEUED: "WaitExecute",
            JobState.RUNNING: "Processing",
            JobState.SUCCEEDED: "Success",
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
class Job:
    task_id: str
    #: storage key of the input bytes
    input_key: str
    #: storage key the result zip is written to
    result_key: str
    file_type: str
    #: source file name (the zip member stem derives from it)
    name: str
    options: ParseOptions = field(default_factory=ParseOptions)
    render: RenderOptions = field(default_factory=RenderOptions)
    result_type: str = "3"
    #: wall-clock limit in seconds (None: the runner's default)
    timeout: float | None = None
    #: also store the parsed Document as JSON (model/serialize) under this key (session Q&A)
    document_key: str | None = None


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

    @property
    def percent(self) -> int:
        """Progress 0..99 for progress events (``100`` belongs to the final result only)."""
        if self.kind is EventKind.DONE:
            return 100
        if not self.total:
            return 0
        return max(0, min(99, int(99 * self.done / self.total)))


class EventSink(Protocol):
    """Receives every event a runner produces, from any thread."""

    def report(self, event: TaskEvent) -> None: ...


class TaskRunner(Protocol):
    async def start(self, sink: EventSink) -> None:
        """Start workers; events of every job go to ``sink``."""
        ...

    async def stop(self) -> None: ...

    def submit(self, job: Job) -> None:
        """Queue a job; raises :class:`docrecon.errors.Busy` when the queue is full."""
        ...

    def cancel(self, task_id: str) -> bool:
        """Drop a queued job or stop a running one; False if the runner does not hold it."""
        ...
