"""The default runner: a pool of long-lived worker processes, one supervisor thread each.

A worker receives :class:`Job` objects over a pipe and sends :class:`TaskEvent` objects back.
Its supervisor enforces the per-task time limit and cancellation by killing the process, and
notices a crashed one (EOF on the pipe); either way the task gets a final ``failed`` event and a
fresh worker takes the slot, so no parse can take the server down. Workers are started with
``spawn`` (the server has threads; ``fork`` would copy their locks).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from docrecon.config import RunnerSettings, StorageSettings
from docrecon.errors import Cancelled, DocreconError, EngineUnavailable, Interrupted, ParseTimeout
from docrecon.supervise import Limits, arm_cpu_limit, death_error, limit_process
from docrecon.tasks.base import EventSink, Job, TaskEvent
from docrecon.tasks.waiting import WaitingJobs

log = logging.getLogger(__name__)

_CTX = multiprocessing.get_context("spawn")
_POLL = 0.2
#: how long a new worker may take to import the engine before it counts as broken
_STARTUP = 120.0


def _limits(settings: RunnerSettings) -> Limits:
    return Limits(memory_mb=settings.memory_limit_mb, cpu_seconds=settings.cpu_limit,
                  document_timeout=settings.task_timeout, page_timeout=settings.page_timeout)


def _worker_main(
    conn: Connection, storage: StorageSettings, default_root: str, nice: int = 0, limits: Limits | None = None
) -> None:
    """Entry point of a worker process: import the engine once, then run jobs until told to stop
    (under the memory limit, and a CPU-time limit re-armed per job: :mod:`docrecon.supervise`)."""
    limits = limits or Limits(memory_mb=None, cpu_seconds=None)
    limit_process(limits.memory_mb)
    if nice:
        os.nice(nice)
    from docrecon.storage import make_storage
    from docrecon.tasks.work import execute

    store = make_storage(storage, default_root)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        arm_cpu_limit(limits.cpu_seconds)
        execute(job, store, conn.send)


class _Slot:
    """One worker process and the thread that feeds and watches it."""

    def __init__(self, runner: ProcessPoolRunner, index: int) -> None:
        self.runner = runner
        self.index = index
        self.proc: BaseProcess | None = None
        self.conn: Connection | None = None
        self.jobs_run = 0
        self.ready = False
        self.spawned_at = 0.0
        self.current: str | None = None
        self.thread = threading.Thread(target=self._loop, name=f"docrecon-slot-{index}", daemon=True)

    def spawn(self) -> None:
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(
            target=_worker_main,
            name=f"docrecon-worker-{self.index}",
            args=(child, self.runner.storage, self.runner.default_root, self.runner.settings.worker_nice,
                  _limits(self.runner.settings)),
            daemon=True,
        )
        proc.start()
        child.close()
        self.proc, self.conn, self.jobs_run, self.ready = proc, parent, 0, False
        self.spawned_at = time.monotonic()

    def poll_ready(self, timeout: float) -> bool:
        """True once the worker has imported the engine (it sends "ready"). A worker that died
        or did not start within ``_STARTUP`` seconds is killed; the loop starts a new one."""
        if self.ready:
            return True
        if self.conn is None or self.proc is None:
            return False
        try:
            self.ready = self.conn.poll(timeout) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            self.ready = False
            self.kill()
            return False
        if not self.ready and time.monotonic() - self.spawned_at > _STARTUP:
            log.error("worker %d did not start within %.0f s", self.index, _STARTUP)
            self.kill()
        return self.ready

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        if self.proc is not None:
            self.proc.join(5)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None

    def stop(self) -> None:
        if self.conn is not None and self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
                self.proc.join(2)
            except OSError:
                pass
        self.kill()

    def _loop(self) -> None:
        """Take jobs only while this slot's worker is alive and warm, so a worker being
        replaced never holds a job that another slot could run now."""
        runner = self.runner
        while not runner.stopping.is_set():
            if self.proc is None or not self.proc.is_alive():
                self.kill()
                self.spawn()
            if not self.poll_ready(_POLL):
                continue
            try:
                job = runner.waiting.queue.get(timeout=_POLL)
            except queue.Empty:
                continue
            if runner.take_cancelled(job.task_id):
                continue
            self.current = job.task_id
            try:
                self._run(job)
            finally:
                self.current = None
            self.jobs_run += 1
            if self.jobs_run >= runner.settings.max_tasks_per_worker and runner.others_ready(self):
                self.stop()  # replaced on the next turn; never two workers warming up at once
        self.stop()

    def _run(self, job: Job) -> None:
        """Send ``job`` to the worker and relay its events until the final one, or end it."""
        assert self.conn is not None
        timeout = job.timeout or self.runner.settings.task_timeout
        deadline = time.monotonic() + timeout
        page_limit = self.runner.settings.page_timeout
        page_deadline = time.monotonic() + page_limit
        try:
            self.conn.send(job)
        except OSError as exc:
            self._abort(job, EngineUnavailable(f"worker unavailable: {exc}"), True)
            return
        while True:
            reason = self._interruption(job, deadline, timeout)
            if reason is None and time.monotonic() >= page_deadline:
                reason = ParseTimeout(f"no page finished within the per-page limit of {page_limit:g} s")
            if reason is not None:
                self._abort(job, reason, self.runner.stopping.is_set())
                return
            try:
                if not self.conn.poll(min(max(min(deadline, page_deadline) - time.monotonic(), 0.0), _POLL)):
                    continue
                event: TaskEvent = self.conn.recv()
            except (EOFError, OSError):
                if self.proc is not None:
                    self.proc.join(5)
                error = death_error(self.proc.exitcode if self.proc is not None else None,
                                    _limits(self.runner.settings))
                # a death from outside (or the OOM killer) may pass: the task is run again; a
                # crash on the document's data would repeat, so it fails with its own error
                again = isinstance(error, EngineUnavailable)
                self._abort(job, type(error)(f"the worker process died during the parse: {error.message}"), again)
                return
            page_deadline = time.monotonic() + page_limit
            self.runner.sink.report(event)
            if event.kind.final:
                return

    def _interruption(self, job: Job, deadline: float, timeout: float) -> DocreconError | None:
        """Why the running job must stop now (server stopping, cancelled, time up), if it must."""
        if self.runner.stopping.is_set():
            return Interrupted("the server stopped during the parse")
        if self.runner.take_cancelled(job.task_id):
            return Cancelled()
        if time.monotonic() >= deadline:
            return ParseTimeout(f"parse exceeded the limit of {timeout:g} s")
        return None

    def _abort(self, job: Job, error: DocreconError, interrupted: bool = False) -> None:
        """Kill the worker (a fresh one warms up for the next job) and fail the task
        (``interrupted``: the worker or server is at fault; the sink may run the task again)."""
        self.kill()
        if not self.runner.stopping.is_set():
            self.spawn()
        self.runner.sink.report(TaskEvent.failure(job.task_id, error, interrupted))


class ProcessPoolRunner:
    """``workers`` processes, a bounded queue of ``queue_size`` waiting jobs."""

    def __init__(self, settings: RunnerSettings, storage: StorageSettings, default_root: str) -> None:
        self.settings = settings
        self.storage = storage
        self.default_root = default_root
        self.waiting: WaitingJobs[Job] = WaitingJobs(settings.queue_size)
        self.stopping = threading.Event()
        self._slots: list[_Slot] = []
        self._sink: EventSink | None = None

    @property
    def sink(self) -> EventSink:
        assert self._sink is not None, "runner not started"
        return self._sink

    async def start(self, sink: EventSink) -> None:
        self._sink = sink
        self._slots = [_Slot(self, i) for i in range(self.settings.workers)]
        for slot in self._slots:
            slot.spawn()
            slot.thread.start()

    async def stop(self) -> None:
        self.stopping.set()
        for slot in self._slots:
            slot.thread.join(10)

    def submit(self, job: Job) -> None:
        self.waiting.put(job)

    def cancel(self, task_id: str) -> bool:
        self.waiting.cancel(task_id)
        return True

    def take_cancelled(self, task_id: str) -> bool:
        return self.waiting.take_cancelled(task_id)

    def others_ready(self, slot: _Slot) -> bool:
        """Every other slot has a warm worker (so recycling ``slot`` leaves capacity)."""
        return all(s.ready and s.proc is not None for s in self._slots if s is not slot)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (diagnostics and tests)."""
        return [s.proc.pid for s in self._slots if s.proc is not None and s.proc.pid is not None]

    def running(self) -> dict[str, int]:
        """task id -> worker pid, for tasks being parsed now."""
        return {
            s.current: s.proc.pid
            for s in self._slots
            if s.current and s.proc is not None and s.proc.pid is not None
        }
