"""One job, start to finish: read the input, parse, write the result zip, report events.

Runs inside a worker process (or a thread of the inline runner). Every outcome ends in exactly
one final event: ``done`` or ``failed`` with the Tencent error code of the exception.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable

from docrecon.errors import DocreconError, TooLarge
from docrecon.model.assets import DirAssets
from docrecon.model.document import Document
from docrecon.model.serialize import document_to_dict
from docrecon.pipeline import ProgressEvent, parse
from docrecon.renderers.zip import ResultType, write_zip
from docrecon.storage.base import Storage, read_all
from docrecon.tasks.base import EventKind, FailedPageInfo, Job, TaskEvent

log = logging.getLogger(__name__)

Emit = Callable[[TaskEvent], None]


def _progress(job: Job, emit: Emit) -> Callable[[ProgressEvent], None]:
    def on_progress(ev: ProgressEvent) -> None:
        if ev.stage == "read":
            emit(TaskEvent(job.task_id, EventKind.ACCEPTED, total=ev.total, message=ev.message))
        elif ev.stage == "page":
            emit(
                TaskEvent(
                    job.task_id,
                    EventKind.PROGRESS,
                    done=ev.done,
                    total=ev.total,
                    page=ev.page,
                    message=ev.message,
                )
            )

    return on_progress


def _stem(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem or "document"


def _store_result(job: Job, doc: Document, storage: Storage) -> None:
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as buf:
        write_zip(doc, buf, _stem(job.name), job.render, ResultType(job.result_type))  # type: ignore[arg-type]
        buf.seek(0)
        storage.put(job.result_key, buf)  # type: ignore[arg-type]


def _done_event(job: Job, doc: Document) -> TaskEvent:
    failed = tuple(FailedPageInfo(f.number, f.error) for f in doc.failed_pages)
    good = sum(1 for p in doc.pages if not p.failed)
    total = len(doc.pages)
    return TaskEvent(
        job.task_id,
        EventKind.DONE,
        done=total,
        total=total,
        message="parse finished",
        failed_pages=failed,
        success_pages=good,
    )


def execute(job: Job, storage: Storage, emit: Emit) -> None:
    """Parse ``job``; never raises, the outcome is the final event passed to ``emit``."""
    workdir = tempfile.mkdtemp(prefix="docrecon-job-")
    try:
        data = read_all(storage, job.input_key)
        doc = parse(
            data,
            job.options,
            name=job.name,
            file_type=job.file_type,
            progress=_progress(job, emit),
            assets=DirAssets(workdir),
        )
        _store_result(job, doc, storage)
        if job.document_key:
            payload = json.dumps(document_to_dict(doc), ensure_ascii=False, separators=(",", ":"))
            storage.put(job.document_key, payload.encode("utf-8"))
        emit(_done_event(job, doc))
    except MemoryError:
        emit(TaskEvent.failure(job.task_id, TooLarge("the document needs more memory than the worker's limit")))
    except DocreconError as exc:
        emit(TaskEvent.failure(job.task_id, exc))
    except Exception as exc:  # noqa: BLE001 - the worker must report every failure as an event
        log.exception("task %s failed", job.task_id)
        emit(TaskEvent.failure(job.task_id, DocreconError(f"{type(exc).__name__}: {exc}")))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
