"""Task running: Protocols in :mod:`.base`, the process pool (default), the inline runner, the
distributed Celery runner (:mod:`.celery_runner`),
the task store (:mod:`docrecon.state`) and the event hub. :func:`make_runner` builds the configured runner."""

from __future__ import annotations

from docrecon.config import Settings
from docrecon.state.tasks import TaskRecord, TaskStore
from docrecon.storage.base import Storage
from docrecon.tasks.base import EventKind, EventSink, FailedPageInfo, Job, JobState, TaskEvent, TaskRunner
from docrecon.tasks.hub import TaskHub
from docrecon.tasks.inline import InlineRunner
from docrecon.tasks.pool import ProcessPoolRunner


def make_runner(settings: Settings, storage: Storage) -> TaskRunner:
    r = settings.runner
    if r.kind == "inline":
        return InlineRunner(storage, r.workers, r.queue_size)
    if r.kind == "celery":
        from docrecon.tasks.celery_runner import CeleryRunner  # the "distributed" extra

        return CeleryRunner(settings)
    return ProcessPoolRunner(r, settings.storage, str(settings.storage_root))


__all__ = [
    "EventKind",
    "EventSink",
    "FailedPageInfo",
    "InlineRunner",
    "Job",
    "JobState",
    "ProcessPoolRunner",
    "TaskEvent",
    "TaskHub",
    "TaskRecord",
    "TaskRunner",
    "TaskStore",
    "make_runner",
]
