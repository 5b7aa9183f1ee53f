"""Jobs run on threads inside the server: the in-memory runner for tests and tiny set-ups.

It shares the server's memory (works with ``storage.kind = "memory"``) but cannot stop a runaway
parse: the time limit only reports the task as failed, the thread finishes on its own.
"""

from __future__ import annotations

import threading

from docrecon.errors import Cancelled
from docrecon.storage.base import Storage
from docrecon.tasks.base import EventSink, Job, TaskEvent
from docrecon.tasks.waiting import WaitingJobs
from docrecon.tasks.work import execute


class InlineRunner:
    def __init__(self, storage: Storage, workers: int = 1, queue_size: int = 64) -> None:
        self.storage = storage
        self.waiting: WaitingJobs[Job | None] = WaitingJobs(queue_size)  # None: a thread's stop marker
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(workers)]
        self._sink: EventSink | None = None

    async def start(self, sink: EventSink) -> None:
        self._sink = sink
        for t in self._threads:
            t.start()

    async def stop(self) -> None:
        for _ in self._threads:
            self.waiting.queue.put(None)
        for t in self._threads:
            t.join(10)

    def submit(self, job: Job) -> None:
        self.waiting.put(job)

    def cancel(self, task_id: str) -> bool:
        self.waiting.cancel(task_id)
        return True

    def _loop(self) -> None:
        assert self._sink is not None
        sink = self._sink
        while (job := self.waiting.queue.get()) is not None:
            if self.waiting.take_cancelled(job.task_id):
                continue

            def emit(event: TaskEvent, job: Job = job) -> None:
                if self.waiting.is_cancelled(job.task_id) and not event.kind.final:
                    raise _Cancelled()
                sink.report(event)

            try:
                execute(job, self.storage, emit)
            except _Cancelled:
                sink.report(TaskEvent.failure(job.task_id, Cancelled()))
            finally:
                self.waiting.take_cancelled(job.task_id)


class _Cancelled(BaseException):
    """Raised from the progress callback to abandon a cancelled job (BaseException: passes the
    engine's per-page and per-task error handling)."""
