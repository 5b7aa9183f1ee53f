"""Jobs waiting for a worker (a bounded queue) and the tasks cancelled before or while they run:
what both runners (threads in the server, worker processes) keep the same way."""

from __future__ import annotations

import queue
import threading
from typing import Generic, TypeVar

from docrecon.errors import Busy

J = TypeVar("J")


class WaitingJobs(Generic[J]):
    def __init__(self, size: int) -> None:
        #: the jobs; a runner may also put its own stop marker here
        self.queue: queue.Queue[J] = queue.Queue(maxsize=max(1, size))
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def put(self, job: J) -> None:
        """Queue a job, or raise Busy when ``size`` jobs are already waiting."""
        try:
            self.queue.put_nowait(job)
        except queue.Full:
            raise Busy(f"the task queue is full ({self.queue.maxsize} waiting); retry later") from None

    def cancel(self, task_id: str) -> None:
        with self._lock:
            self._cancelled.add(task_id)

    def is_cancelled(self, task_id: str) -> bool:
        with self._lock:
            return task_id in self._cancelled

    def take_cancelled(self, task_id: str) -> bool:
        """Whether the task was cancelled; it is forgotten either way."""
        with self._lock:
            if task_id in self._cancelled:
                self._cancelled.discard(task_id)
                return True
            return False
