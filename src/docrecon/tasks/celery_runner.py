"""The distributed runner: Celery 5 on a Redis broker, state in the shared database.

* **API side** — :class:`CeleryRunner` (``runner.kind = "celery"``, ``docrecon serve --workers 0``)
  sends ``docrecon.parse(task_id)``; the job itself is already stored with the task
  (:mod:`docrecon.tasks.jobcodec`). A listener thread follows the Redis channel
  :data:`EVENTS_CHANNEL` and hands events to the local :class:`TaskHub`; a reaper thread sends a
  task again when its worker stopped renewing the lease (killed, machine lost).
* **Worker side** — ``docrecon worker`` runs :func:`make_celery`'s app. :func:`run_parse` claims
  the task's lease (a second delivery of a task another live worker holds is dropped), renews it
  every ``runner.heartbeat`` seconds, runs :func:`docrecon.tasks.work.execute`, stores every
  event in the database (the store refuses events after the final one, so a result is recorded
  once) and publishes it. A task that ended elsewhere (cancelled) stops at its next event.

Celery settings: ``task_acks_late`` + ``task_reject_on_worker_lost`` (a killed pool process puts
the message back), ``worker_prefetch_multiplier = 1``, soft limit ``task_timeout``, hard limit
``task_timeout + 30``, and the broker's ``visibility_timeout`` above the hard limit (celery#7918).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import asdict
from typing import Any

from docrecon.config import RunnerSettings, Settings
from docrecon.errors import Busy, Cancelled, DocreconError, EngineUnavailable, ParseTimeout
from docrecon.state import EventKind, FailedPageInfo, JobState, TaskEvent, TaskStore, database
from docrecon.storage import Storage, make_storage
from docrecon.tasks.base import EventSink, Job
from docrecon.tasks.hub import TaskHub
from docrecon.tasks.jobcodec import job_from_json
from docrecon.tasks.work import execute

log = logging.getLogger(__name__)
TASK_NAME = "docrecon.parse"
QUEUE = "docrecon"
#: Redis pub/sub channel of stored task events (JSON, with their sequence number)
EVENTS_CHANNEL = "docrecon:events"
#: each live worker keeps ``<prefix><name>`` = its concurrency, expiring after 3 heartbeats
WORKERS_PREFIX = "docrecon:workers:"


def event_to_json(ev: TaskEvent) -> str:
    data = asdict(ev)
    data["failed_pages"] = [[f.number, f.error] for f in ev.failed_pages]
    return json.dumps(data, separators=(",", ":"))


def event_from_json(text: str | bytes) -> TaskEvent:
    data = json.loads(text)
    data["kind"] = EventKind(data["kind"])
    data["failed_pages"] = tuple(FailedPageInfo(n, e) for n, e in data["failed_pages"])
    return TaskEvent(**data)


def lease_ttl(r: RunnerSettings) -> float:
    return 3 * r.heartbeat


def make_celery(settings: Settings) -> Any:
    """The Celery app of API processes and workers (one task, :data:`TASK_NAME`)."""
    from celery import Celery

    r = settings.runner
    app = Celery("docrecon", broker=r.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=r.task_timeout,
        task_time_limit=r.hard_time_limit,
        broker_transport_options={"visibility_timeout": r.broker_visibility_timeout},
        task_default_queue=QUEUE,
        task_ignore_result=True,
        worker_max_tasks_per_child=r.max_tasks_per_worker,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )

    @app.task(name=TASK_NAME, bind=True)  # type: ignore[untyped-decorator]
    def parse_task(self: Any, task_id: str) -> None:
        run_parse(settings, task_id, f"{self.request.hostname}:{os.getpid()}")

    return app


class _Worker:
    """What one worker process opens once: the task store, the object store, Redis."""

    def __init__(self, settings: Settings) -> None:
        import redis

        self.store = TaskStore(database(settings, "tasks"))
        self.storage: Storage = make_storage(settings.storage, str(settings.storage_root))
        self.redis = redis.Redis.from_url(settings.runner.broker_url)


_workers: dict[tuple[int, str], _Worker] = {}


def _context(settings: Settings) -> _Worker:
    """Opened after the fork, once per process (and per settings)."""
    key = (os.getpid(), settings.model_dump_json())
    if key not in _workers:
        _workers[key] = _Worker(settings)
    return _workers[key]


class _Ended(BaseException):
    """The task ended elsewhere (cancelled): abandon the parse (BaseException, like the inline
    runner's: passes the engine's error handling)."""


def run_parse(settings: Settings, task_id: str, holder: str) -> None:
    """One delivery of ``task_id`` on a worker; returns normally in every case (the message is
    acknowledged): the outcome is in the task's event log."""
    ctx = _context(settings)
    r = settings.runner
    stored = ctx.store.job(task_id)
    rec = ctx.store.get(task_id)
    if stored is None or rec is None or rec.state.final:
        return  # finished, purged, or a duplicate delivery after the end
    claimed = ctx.store.claim(task_id, holder, lease_ttl(r))
    if not claimed:
        log.info("task %s is running on another worker: duplicate delivery dropped", task_id)
        return
    try:
        attempts = ctx.store.requeue(task_id, interrupted=claimed == "taken")
        if attempts == 0:
            return
        if attempts > r.max_attempts:
            _store(ctx, _failed(task_id, EngineUnavailable(f"the worker died; given up after {r.max_attempts} runs")))
            return
        if attempts > 1:
            log.warning("task %s runs again (run %d of %d)", task_id, attempts, r.max_attempts)
        _run(ctx, job_from_json(stored[0]), holder, r)
    finally:
        ctx.store.release(task_id, holder)


def _run(ctx: _Worker, job: Job, holder: str, r: RunnerSettings) -> None:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(r.heartbeat):
            try:
                ctx.store.renew(job.task_id, holder, lease_ttl(r))
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease has slack
                log.warning("lease renewal of task %s failed", job.task_id, exc_info=True)

    def emit(event: TaskEvent) -> None:
        if event.kind is EventKind.FAILED and event.error.startswith("SoftTimeLimitExceeded"):
            event = _failed(job.task_id, ParseTimeout(f"the parse took longer than {r.task_timeout:g} s"))
        if not _store(ctx, event) and not event.kind.final:
            raise _Ended()

    heart = threading.Thread(target=beat, name=f"lease-{job.task_id}", daemon=True)
    heart.start()
    try:
        execute(job, ctx.storage, emit)
    except _Ended:
        log.info("task %s ended elsewhere (cancelled): parse abandoned", job.task_id)
    finally:
        stop.set()
        heart.join(5)


def _failed(task_id: str, exc: DocreconError) -> TaskEvent:
    return TaskEvent.failure(task_id, exc)


def _store(ctx: _Worker, event: TaskEvent) -> bool:
    """Persist and publish; False if the task had already ended (the event is dropped)."""
    stored = ctx.store.append(event)
    if stored is None:
        return False
    if stored.kind.final:
        rec = ctx.store.get(stored.task_id)
        if rec is not None:
            ctx.storage.delete(rec.input_key)
    try:
        ctx.redis.publish(EVENTS_CHANNEL, event_to_json(stored))
    except Exception:  # noqa: BLE001 - API processes also poll the log
        log.warning("could not publish event %d of task %s", stored.seq, stored.task_id, exc_info=True)
    return True


class CeleryRunner:
    """The API side of the distributed mode (a :class:`~docrecon.tasks.base.TaskRunner`)."""

    def __init__(self, settings: Settings) -> None:
        import redis

        self.settings = settings
        self.app = make_celery(settings)
        self.redis = redis.Redis.from_url(settings.runner.broker_url)
        self._store = TaskStore(database(settings, "tasks"))
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sink: EventSink | None = None
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    async def start(self, sink: EventSink) -> None:
        self._sink = sink
        if isinstance(sink, TaskHub):
            sink.fanout = self.publish
            sink.poll = max(1.0, self.settings.runner.heartbeat / 2)
            self._threads.append(threading.Thread(target=self._listen, args=(sink,), daemon=True))
        self._threads.append(threading.Thread(target=self._reap_forever, daemon=True))
        for t in self._threads:
            t.start()

    async def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(5)
        self._store.close()

    def submit(self, job: Job) -> None:
        try:
            self.app.send_task(TASK_NAME, args=[job.task_id], queue=QUEUE)
        except Exception as exc:  # noqa: BLE001 - the broker is down: refuse the task now
            raise Busy(f"the task broker is unavailable ({type(exc).__name__}); retry later") from exc

    def cancel(self, task_id: str) -> bool:
        """Record the cancellation (stored, fanned out); the worker running the task stops at its
        next event, which the store refuses, and a queued task's message is dropped when a
        worker takes it."""
        if self._sink is None:
            return False
        self._sink.report(_failed(task_id, Cancelled()))
        return True

    def live_workers(self) -> int:
        """Parses that the live workers can run at once (their advertised concurrency)."""
        keys = list(self.redis.scan_iter(match=WORKERS_PREFIX + "*", count=100))
        return sum(int(v) for v in self.redis.mget(keys) if v is not None) if keys else 0

    def publish(self, event: TaskEvent) -> None:
        self.redis.publish(EVENTS_CHANNEL, event_to_json(event))

    def _listen(self, hub: TaskHub) -> None:
        while not self._stop.is_set():
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
                pubsub.subscribe(EVENTS_CHANNEL)
                while not self._stop.is_set():
                    msg = pubsub.get_message(timeout=1.0)
                    if msg is not None and msg.get("type") == "message":
                        hub.deliver(event_from_json(msg["data"]))
                pubsub.close()
            except Exception:  # noqa: BLE001 - Redis went away: subscribers poll the log meanwhile
                log.warning("event channel lost; reconnecting", exc_info=True)
                self._stop.wait(1.0)

    def _reap_forever(self) -> None:
        r = self.settings.runner
        while not self._stop.wait(r.heartbeat):
            try:
                self.reap()
            except Exception:  # noqa: BLE001 - the database is unreachable: try again next beat
                log.warning("lease reaper failed", exc_info=True)

    def reap(self, now: float | None = None) -> list[str]:
        """Send again every task whose worker stopped renewing its lease."""
        lost = self._store.reap(lease_ttl(self.settings.runner), now)
        for task_id in lost:
            rec = self._store.get(task_id)
            if rec is not None and rec.state in (JobState.QUEUED, JobState.RUNNING):
                log.warning("task %s lost its worker: sent again", task_id)
                self.app.send_task(TASK_NAME, args=[task_id], queue=QUEUE)
        return lost


def advertise(settings: Settings, name: str, concurrency: int) -> threading.Event:
    """Keep this worker listed for ``/healthz`` until the returned event is set (or it dies)."""
    import redis

    client = redis.Redis.from_url(settings.runner.broker_url)
    r, stop = settings.runner, threading.Event()

    def beat() -> None:
        while True:
            try:
                client.set(WORKERS_PREFIX + name, concurrency, ex=max(1, round(lease_ttl(r))))
            except redis.RedisError:
                log.warning("could not advertise worker %s", name, exc_info=True)
            if stop.wait(r.heartbeat):
                client.delete(WORKERS_PREFIX + name)
                return

    threading.Thread(target=beat, name="advertise", daemon=True).start()
    return stop


def wait_for_broker(settings: Settings, timeout: float = 30.0) -> None:
    """Block until Redis answers (worker start-up)."""
    import redis

    client = redis.Redis.from_url(settings.runner.broker_url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
