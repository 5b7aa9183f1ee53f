"""Following a task's events from a request: a feed that can be waited on with a timeout
(keep-alives, the pre-stream acceptance wait) without closing the underlying subscription."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from docrecon.errors import rebuild
from docrecon.tasks import EventKind, TaskEvent, TaskHub


class TaskFeed:
    def __init__(self, hub: TaskHub, task_id: str, after: int = -1) -> None:
        self._queue: asyncio.Queue[TaskEvent] = asyncio.Queue()
        self._pump = asyncio.get_running_loop().create_task(self._run(hub.events(task_id, after)))

    async def _run(self, events: AsyncIterator[TaskEvent]) -> None:
        async for ev in events:
            self._queue.put_nowait(ev)

    async def next(self, timeout: float) -> TaskEvent | None:
        """The next event, or None after ``timeout`` seconds without one."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None

    async def close(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._pump


async def wait_accepted(feed: TaskFeed, timeout: float) -> TaskEvent | None:
    """Wait for the worker's verdict on the document: its first event, or None if it is still
    queued after ``timeout``. A failure before acceptance is raised (a pre-stream JSON error)."""
    ev = await feed.next(timeout)
    if ev is not None and ev.kind is EventKind.FAILED:
        raise rebuild(ev.reason, ev.code, ev.error)
    return ev


Render = Callable[[TaskEvent, int], bytes]


async def follow(
    feed: TaskFeed,
    render: Render,
    keepalive: float,
    first: TaskEvent | None,
    initial: bytes,
    every: bool = False,
) -> AsyncIterator[bytes]:
    """``initial`` (progress 0), then every event that moves the progress forward, rendered with
    its 1..99 progress (``100`` only on ``done``); an event that would repeat or lower it (the
    first pages of a long document, a run again after a lost worker) is not sent, so progress
    never repeats or goes backwards. ``every``: send every event (an event log replayed by id;
    ``render`` keeps its progress from going back). The last frame is sent
    again after ``keepalive`` seconds of silence (spec §2.6). Ends after the final event; the
    feed is closed however the stream ends (client gone included)."""
    try:
        last = initial
        sent = 0
        yield initial
        pending = [first] if first is not None and first.kind is not EventKind.ACCEPTED else []
        while True:
            ev = pending.pop() if pending else await feed.next(keepalive)
            if ev is None:
                yield last
                continue
            if ev.kind is EventKind.ACCEPTED and first is not None:
                continue  # ``initial`` already said so
            if not every and not ev.kind.final and ev.percent <= sent:
                continue
            sent = max(sent, ev.percent)
            last = render(ev, sent)
            yield last
            if ev.kind.final:
                return
    finally:
        await feed.close()
