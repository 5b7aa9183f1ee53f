"""Task running behind small Protocols.

* :class:`Job` — what a worker needs to parse one document (picklable, no live objects).
* :class:`TaskEvent` — what a worker reports: ``accepted`` (the document opened and its page range
  passed the checks), ``progress`` (a page finished), then exactly one of ``done`` / ``failed``.
  It, :class:`JobState` and :class:`EventKind` are the task store's records
  (:mod:`docrecon.state.tasks`), re-exported here.
* :class:`EventSink` — where a runner reports events (the :class:`~docrecon.tasks.hub.TaskHub`).
* :class:`TaskRunner` — runs jobs: the process pool (default), threads in the server (``inline``);
  a distributed (Redis) runner implements the same four methods and reports to the same sink.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from docrecon.options import ParseOptions
from docrecon.renderers.options import RenderOptions
from docrecon.state.tasks import EventKind, FailedPageInfo, JobState, TaskEvent


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


__all__ = ["EventKind", "EventSink", "FailedPageInfo", "Job", "JobState", "TaskEvent", "TaskRunner"]
