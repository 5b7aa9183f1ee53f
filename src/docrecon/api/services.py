"""Everything a request handler needs, built once per app from the :class:`Settings`:
storage, task store + hub + runner, API keys, the FileUrl fetcher, rate limits, URL signing,
plus the start-up recovery and the periodic sweeper."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docrecon.api.fetch import Fetcher
from docrecon.api.inputs import Content, Options
from docrecon.api.ratelimit import RateLimiter
from docrecon.api.stream import TaskFeed, wait_accepted
from docrecon.config import Settings
from docrecon.cos.service import CosService
from docrecon.errors import Cancelled, DocreconError, QueueFull, QuotaExceeded
from docrecon.model.serialize import document_from_dict
from docrecon.state import (
    ApiKey,
    Apps,
    AppStore,
    Keys,
    KeyStore,
    SessionDoc,
    SessionDocs,
    SessionDocuments,
    Tasks,
    TaskStore,
    database,
    derive,
    load_server_secret,
)
from docrecon.state.buckets import RedisBuckets
from docrecon.state.tokens import TokenSigner
from docrecon.storage import Storage, make_storage, presign, read_all
from docrecon.tasks import EventKind, Job, JobState, TaskEvent, TaskHub, TaskRecord, TaskRunner, make_runner
from docrecon.tasks.jobcodec import job_to_json
from docrecon.tasks.recovery import Recovery, sweep_job_dirs

if TYPE_CHECKING:
    from docrecon.qa.index import QaIndex

log = logging.getLogger(__name__)
ANONYMOUS = "anonymous"


def view_keys(task_id: str) -> tuple[str, str]:
    """Where a task submitted with ``view`` keeps its source and its document model (swept with
    the result zip)."""
    return f"views/{task_id}/source", f"views/{task_id}/document.json"


@dataclass(frozen=True, slots=True)
class Submitted:
    task_id: str
    record: TaskRecord


def _open_qa(settings: Settings) -> QaIndex | None:
    """The session question index; None when the ``qa`` extra is not installed."""
    try:
        from docrecon.qa.index import QaIndex
    except ImportError:
        log.warning("docrecon.qa is unavailable (install the qa extra): session documents are not indexed")
        return None
    # PostgreSQL when the state is: shared by every API process
    return QaIndex(database(settings, "qa"), dense=settings.qa.dense)


class Services:
    def __init__(
        self, settings: Settings, runner: TaskRunner | None = None, storage: Storage | None = None
    ) -> None:
        self.settings = settings
        secret = load_server_secret(settings.data_dir)
        self._url_key = derive(secret, "result-url")
        self.tokens = TokenSigner(derive(secret, "web-token"))
        self.storage = storage or make_storage(settings.storage, str(settings.storage_root))
        self.store: Tasks = TaskStore(database(settings, "tasks"))
        self.keys: Keys = KeyStore(database(settings, "keys"), secret)
        self.cos = CosService(settings, self.storage, secret)
        self.apps: Apps = AppStore(database(settings, "lke"))
        self.sessions: SessionDocuments = SessionDocs(database(settings, "lke"))
        self.qa = _open_qa(settings)
        self.runner = runner or make_runner(settings, self.storage)
        self.fetcher = Fetcher(settings.fetch)
        lim = settings.limits
        distributed = settings.runner.kind == "celery"
        shared = RedisBuckets(settings.runner.broker_url, lim.rate, lim.burst) if distributed else None
        self.limiter = RateLimiter(lim.rate, lim.burst, shared)
        self.hub: TaskHub | None = None
        self.recovery: Recovery | None = None
        self._background: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        self.hub = TaskHub(self.store, self.storage, asyncio.get_running_loop())
        runner = self.settings.runner
        self.recovery = Recovery(self.hub, self.runner, runner.max_attempts)
        await asyncio.to_thread(sweep_job_dirs, runner.task_timeout + 60)
        await self.runner.start(self.hub)
        # distributed: the broker keeps queued tasks and the lease reaper re-sends lost ones
        resumed = self.recovery.resume_all() if runner.kind != "celery" else 0
        if resumed:
            log.warning("%d unfinished tasks queued again after a restart", resumed)
        for sdoc in self.sessions.parsing():
            self.spawn(self.settle_session_doc(sdoc))
        self.spawn(self._sweep_forever())

    async def stop(self) -> None:
        if self.recovery is not None:
            self.recovery.stopping = True  # tasks the runner drops now run again at the next start
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.runner.stop()
        await self.fetcher.aclose()
        self.store.close()
        self.keys.close()
        self.cos.close()
        self.apps.close()
        self.sessions.close()
        if self.qa is not None:
            self.qa.close()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine in the background, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @property
    def tasks(self) -> TaskHub:
        assert self.hub is not None, "services not started"
        return self.hub

    def check_quota(self, key: ApiKey | None) -> None:
        if key is None or key.page_quota is None:
            return
        used = self.store.pages_used(key.secret_id)
        if used >= key.page_quota:
            raise QuotaExceeded(f"the page quota of this key is used up ({used} of {key.page_quota} pages)")

    def admit(self) -> None:
        """Refuse a new task now (QueueFull, RequestLimitExceeded) when ``runner.queue_size`` tasks
        already wait. Every task not yet taken by a worker counts, including those still being
        downloaded, so an admitted task finds room in the runner's queue and no TaskId handed out
        fails later because the queue was full."""
        bound = max(1, self.settings.runner.queue_size)
        if self.store.count(JobState.QUEUED) >= bound:
            raise QueueFull(f"the task queue is full ({bound} waiting); retry later")

    def load(self) -> dict[str, int]:
        """Queue length, running tasks and workers (``/healthz``)."""
        return {
            "queued": self.store.count(JobState.QUEUED),
            "running": self.store.count(JobState.RUNNING),
            "workers": self._workers(),
            "queue_size": max(1, self.settings.runner.queue_size),
        }

    def _workers(self) -> int:
        if self.settings.runner.kind == "celery":
            from docrecon.tasks.celery_runner import CeleryRunner

            if isinstance(self.runner, CeleryRunner):
                try:
                    return self.runner.live_workers()
                except Exception:  # noqa: BLE001 - Redis is down: no worker can be reached
                    log.warning("cannot count workers", exc_info=True)
                    return 0
        return self.settings.runner.workers

    def new_task(
        self, key: ApiKey | None, kind: str, file_type: str, name: str = "document", owner: str | None = None,
        file_size: int = 0,
    ) -> TaskRecord:
        """A task owned by ``key`` (or by ``owner``, e.g. ``app:<BotBizId>`` for docParse), if
        :meth:`admit` lets it in."""
        self.admit()
        task_id = str(uuid.uuid4())
        rec = TaskRecord(
            task_id,
            owner or (key.secret_id if key else ANONYMOUS),
            kind,
            file_type,
            name,
            f"inputs/{task_id}",
            f"results/{task_id}_parse.zip",
            file_size=file_size,
        )
        self.store.create(rec)
        return rec

    async def submit_streamed(
        self, rec: TaskRecord, content: Content, options: Options, document_key: str | None = None
    ) -> tuple[TaskFeed, TaskEvent | None]:
        """Subscribe to the task, queue it and wait (``runner.accept_wait``) for the worker's
        verdict; the feed is closed if anything before the stream fails."""
        feed = TaskFeed(self.tasks, rec.task_id)
        try:
            await self.submit(rec, content, options, document_key)
            first = await wait_accepted(feed, self.settings.runner.accept_wait)
        except BaseException:
            await feed.close()
            raise
        return feed, first

    async def submit(
        self, rec: TaskRecord, content: Content, options: Options, document_key: str | None = None
    ) -> None:
        """Store the input and queue the job; on a full queue the task is failed and Busy raised.
        ``document_key``: the worker also stores the parsed Document there (session Q&A)."""
        self.store.set_input(rec.task_id, content.name, content.fmt.value, len(content.data))
        await asyncio.to_thread(self.storage.put, rec.input_key, content.data)
        job = Job(
            rec.task_id,
            rec.input_key,
            rec.result_key,
            content.fmt.value,
            content.name,
            options.parse,
            options.render,
            options.result_type,
            self.settings.runner.task_timeout,
            document_key,
        )
        self.store.set_job(rec.task_id, job_to_json(job))
        try:
            self.runner.submit(job)
        except Exception as exc:
            failure = exc if isinstance(exc, DocreconError) else DocreconError(f"{type(exc).__name__}: {exc}")
            self.tasks.fail(rec.task_id, failure)
            raise

    async def keep_view(self, task_id: str, data: bytes) -> str:
        """Keep a copy of the source for page images (the input is dropped when the task ends);
        returns the key the worker stores the document model under."""
        source_key, document_key = view_keys(task_id)
        await asyncio.to_thread(self.storage.put, source_key, data)
        return document_key

    async def index_session_doc(self, doc: SessionDoc) -> None:
        """Load a parsed session document and add it to the question index."""
        if self.qa is None:
            return
        qa = self.qa

        def run() -> None:
            payload = json.loads(read_all(self.storage, doc.document_key))
            qa.add(doc.doc_id, document_from_dict(payload), doc.name)

        await asyncio.to_thread(run)

    async def settle_session_doc(self, doc: SessionDoc) -> None:
        """Finish a session document whose docParse stream is gone (the server stopped): wait
        for its task's final event, then mark it ``ready`` (indexed) or ``failed``."""
        final: TaskEvent | None = None
        if self.store.get(doc.task_id) is not None:
            async for ev in self.tasks.events(doc.task_id):
                final = ev if ev.kind.final else None
        if final is None or final.kind is not EventKind.DONE:
            error = f"{final.code}: {final.error}" if final else "the parse task is gone"
            self.sessions.finish(doc.doc_id, "failed", error)
            return
        try:
            await self.index_session_doc(doc)
        except DocreconError as exc:
            self.sessions.finish(doc.doc_id, "failed", exc.message)
            return
        self.sessions.finish(doc.doc_id, "ready")

    def cancel(self, rec: TaskRecord) -> None:
        """Stop a task: a queued one fails at once, a running one when its worker is stopped."""
        if rec.state.final:
            return
        self.runner.cancel(rec.task_id)
        if rec.state is JobState.QUEUED:
            self.tasks.fail(rec.task_id, Cancelled())

    def result_url(self, base_url: str, task_id: str, now: float | None = None) -> str:
        expires = int((now or time.time()) + self.settings.retention.result_url_ttl)
        name = f"{task_id}_parse.zip"
        ttl = self.settings.retention.result_url_ttl
        if self.settings.storage.presign_results and (url := presign(self.storage, f"results/{name}", ttl)):
            return url
        base = (self.settings.server.public_url or base_url).rstrip("/")
        return f"{base}/results/{name}?expires={expires}&sig={self.sign(name, expires)}"

    def sign(self, name: str, expires: int) -> str:
        return hmac.new(self._url_key, f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()[:40]

    def check_signature(self, name: str, expires: int, sig: str) -> bool:
        return hmac.compare_digest(self.sign(name, expires), sig) and expires >= time.time()

    async def sweep(self, now: float | None = None) -> int:
        """Delete result zips past their retention and forget tasks past theirs."""
        t = now if now is not None else time.time()
        ret = self.settings.retention
        keys = await asyncio.to_thread(self.store.results_to_sweep, t - ret.result_ttl)
        for key in keys:
            await asyncio.to_thread(self.storage.delete, key)
            task_id = key.removeprefix("results/").removesuffix("_parse.zip")
            for view_key in view_keys(task_id):
                await asyncio.to_thread(self.storage.delete, view_key)
            if self.qa is not None:  # a task's document asked about on the web page (/v1/ask)
                await asyncio.to_thread(self.qa.remove, f"task:{task_id}")
        await asyncio.to_thread(self.store.purge, t - ret.task_ttl)
        await asyncio.to_thread(self.expire_sessions, t)
        await asyncio.to_thread(self.cos.sweep, t)
        await asyncio.to_thread(self.cos.credentials.purge, t - ret.task_ttl)
        return len(keys)

    def expire_sessions(self, now: float) -> int:
        """Forget the documents of sessions idle for longer than ``qa.session_ttl``."""
        docs = self.sessions.expired(now - self.settings.qa.session_ttl)
        for doc in docs:
            self.storage.delete(doc.document_key)
            if self.qa is not None:
                self.qa.remove(doc.doc_id)
            self.sessions.delete(doc.doc_id)
        return len(docs)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:  # noqa: BLE001 - the sweeper must survive a bad pass
                log.exception("sweep failed")
            await asyncio.sleep(self.settings.retention.sweep_interval)
