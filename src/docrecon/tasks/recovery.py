"""Durable tasks in the embedded mode: what happens to a task its runner lost.

* At start, every unfinished task with a stored job (:mod:`docrecon.tasks.jobcodec`) and input
  is queued again: queued ones keep their place (oldest first), interrupted (running) ones
  count one more attempt. Tasks without a stored job (a flow still downloading) fail.
* A worker that dies mid-task reports an ``interrupted`` failure: the task runs again, up to
  ``runner.max_attempts`` runs, then fails with ``FailedOperation.EngineServerError``.
* While the server stops, interrupted tasks are left unfinished for the next start.
* Job folders (``docrecon-job-*``) older than the task time limit are swept at start (a killed
  worker cannot remove its own).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from docrecon.errors import Busy, EngineUnavailable, Interrupted
from docrecon.tasks.base import TaskEvent, TaskRunner
from docrecon.tasks.hub import TaskHub
from docrecon.tasks.jobcodec import job_from_json

log = logging.getLogger(__name__)
JOB_DIR_PREFIX = "docrecon-job-"


class Recovery:
    def __init__(self, hub: TaskHub, runner: TaskRunner, max_attempts: int) -> None:
        self.hub = hub
        self.runner = runner
        self.max_attempts = max_attempts
        self.stopping = False
        hub.on_interrupted = self.interrupted

    def resume_all(self) -> int:
        """Queue every unfinished task again (at start); returns how many were queued."""
        queued = 0
        for task_id in self.hub.store.unfinished():
            queued += self.run_again(task_id, "the server stopped during the parse", False)
        return queued

    def interrupted(self, event: TaskEvent) -> None:
        """The runner lost ``event.task_id``: run it again unless the server is stopping."""
        if self.stopping:
            return
        self.run_again(event.task_id, event.error, True)

    def run_again(self, task_id: str, reason: str, interrupted: bool) -> int:
        """Queue the task's stored job once more (1), or fail the task (0)."""
        stored = self.hub.store.job(task_id)
        attempts = self.hub.store.requeue(task_id, interrupted) if stored else 0
        if stored is None or attempts == 0:
            self.hub.fail(task_id, Interrupted(f"{reason}; submit the task again"))
            return 0
        if attempts > self.max_attempts:
            message = f"{reason}; given up after {self.max_attempts} runs"
            self.hub.fail(task_id, EngineUnavailable(message))
            return 0
        try:
            self.runner.submit(job_from_json(stored[0]))
        except Busy as exc:
            self.hub.fail(task_id, type(exc)(f"{reason}; {exc.message}"))
            return 0
        log.warning("task %s queued again (run %d of %d): %s", task_id, attempts, self.max_attempts, reason)
        return 1


def sweep_job_dirs(older_than: float, root: str | None = None, now: float | None = None) -> int:
    """Remove ``docrecon-job-*`` folders not changed for ``older_than`` seconds."""
    cut = (now if now is not None else time.time()) - older_than
    removed = 0
    for path in Path(root or tempfile.gettempdir()).glob(JOB_DIR_PREFIX + "*"):
        try:
            if path.is_dir() and path.stat().st_mtime < cut:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed
