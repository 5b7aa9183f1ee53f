"""Where runner events land: persisted in the task store (:class:`~docrecon.state.Tasks`), then
fanned out to live subscribers on the server's event loop. Subscribers first replay the stored
log, then follow.

In the distributed mode workers store events themselves and publish them (Redis pub/sub): the
runner hands them to :meth:`TaskHub.deliver`, and ``fanout`` publishes the events this process
stores (a cancellation, a failed download) to the other API processes. A subscriber also reads
the stored log every ``poll`` seconds of silence, so a lost message only delays an event."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from docrecon.errors import DocreconError
from docrecon.state.base import Tasks
from docrecon.storage.base import Storage
from docrecon.tasks.base import TaskEvent

log = logging.getLogger(__name__)


class TaskHub:
    """An :class:`~docrecon.tasks.base.EventSink`; ``report`` may be called from any thread."""

    def __init__(self, store: Tasks, storage: Storage, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self.storage = storage
        self.loop = loop
        self._subscribers: dict[str, set[asyncio.Queue[TaskEvent]]] = {}
        #: called (from a runner thread) instead of storing an ``interrupted`` failure; it runs
        #: the task again, leaves it for the next start, or fails it for good
        self.on_interrupted: Callable[[TaskEvent], None] | None = None
        #: distributed mode: publishes each event stored here to the other processes
        self.fanout: Callable[[TaskEvent], None] | None = None
        #: distributed mode: re-read the stored log after this many seconds without an event
        self.poll: float | None = None

    def report(self, event: TaskEvent) -> None:
        if event.interrupted and self.on_interrupted is not None:
            self.on_interrupted(event)
            return
        stored = self.store.append(event)
        if stored is None:
            return
        if stored.kind.final:
            self._drop_input(stored.task_id)
        if self.fanout is not None:
            try:
                self.fanout(stored)
            except Exception:  # noqa: BLE001 - subscribers elsewhere fall back to reading the log
                log.warning("could not publish event %d of task %s", stored.seq, stored.task_id, exc_info=True)
        self.deliver(stored)

    def deliver(self, stored: TaskEvent) -> None:
        """Hand an already stored event to this process's subscribers (from any thread)."""
        if self.loop.is_closed():
            return
        try:
            self.loop.call_soon_threadsafe(self._publish, stored)
        except RuntimeError:  # loop closed between the check and the call (shutdown)
            pass

    def _drop_input(self, task_id: str) -> None:
        rec = self.store.get(task_id)
        if rec is not None:
            self.storage.delete(rec.input_key)

    def _publish(self, event: TaskEvent) -> None:
        for q in self._subscribers.get(event.task_id, ()):
            q.put_nowait(event)

    async def events(self, task_id: str, after: int = -1) -> AsyncIterator[TaskEvent]:
        """Every event of the task with ``seq > after``, stored ones first, until the final one."""
        q: asyncio.Queue[TaskEvent] = asyncio.Queue()
        subs = self._subscribers.setdefault(task_id, set())
        subs.add(q)
        try:
            last = after
            for ev in await asyncio.to_thread(self.store.events, task_id, after):
                last = ev.seq
                yield ev
                if ev.kind.final:
                    return
            while True:
                if self.poll is None:
                    batch = [await q.get()]
                else:
                    try:
                        batch = [await asyncio.wait_for(q.get(), self.poll)]
                    except TimeoutError:
                        batch = await asyncio.to_thread(self.store.events, task_id, last)
                for ev in batch:
                    if ev.seq <= last:
                        continue
                    if self.poll is not None and ev.seq > last + 1:  # a message was lost: read the log
                        missed = await asyncio.to_thread(self.store.events, task_id, last)
                        ev = missed[0] if missed else ev
                        for m in missed[1:]:
                            q.put_nowait(m)
                    last = ev.seq
                    yield ev
                    if ev.kind.final:
                        return
        finally:
            subs.discard(q)
            if not subs:
                self._subscribers.pop(task_id, None)

    def fail(self, task_id: str, exc: DocreconError) -> None:
        """Record a failure decided outside the runner (download error, cancellation, restart)."""
        self.report(TaskEvent.failure(task_id, exc))
