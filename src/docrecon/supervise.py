"""Parse in supervised child processes: a crash, a hang or a memory blow-up costs one document.

A :class:`Supervisor` keeps ``workers`` warm child processes (started with ``spawn``, the
engine imported once, reused for up to ``Limits.max_tasks_per_child`` documents). Each child
runs under an address-space limit (``RLIMIT_AS``) and, per document, a CPU-time limit
(``RLIMIT_CPU``, re-armed before every document); the parent enforces a wall-clock limit per
document and one per page (time between two page events of the pipeline's progress
callback). Whatever ends a document early becomes one error of the tree, naming the cause:

==============================================  ====================================
child outcome                                   error
==============================================  ====================================
``MemoryError`` in Python                       :class:`TooLarge` (child replaced)
killed by ``SIGABRT`` (a native allocation      :class:`TooLarge`
failed under the memory limit: pdfium aborts)
killed by ``SIGSEGV``/``SIGBUS``/``SIGILL``/    :class:`CorruptDocument`
``SIGFPE``, or exited on its own
CPU-time limit (``SIGXCPU``)                    :class:`ParseTimeout`
wall-clock limit per document or per page       :class:`ParseTimeout` (child killed)
killed from outside (``SIGKILL``, ``SIGTERM``;  :class:`EngineUnavailable`
an operator or the kernel's OOM killer)
==============================================  ====================================

The batch goes on with a fresh child. The CLI (``docrecon parse --workers``),
:func:`docrecon.parse_many`, :func:`docrecon.parse_guarded` and the service's worker pool
(:mod:`docrecon.tasks.pool`, which uses :func:`limit_process`, :func:`arm_cpu_limit` and
:func:`death_error`) share this module.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from docrecon.errors import CorruptDocument, DocreconError, EngineUnavailable, ParseTimeout, TooLarge
from docrecon.heap import few_arenas
from docrecon.model import Document
from docrecon.options import ParseOptions
from docrecon.pipeline import ProgressEvent

MiB = 1024 * 1024
_CTX = multiprocessing.get_context("spawn")

P = TypeVar("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits of one supervised child; ``None`` switches a limit off. Defaults are documented
    in ``docs/architecture.md`` (supervised parsing)."""

    #: address space of the child (``RLIMIT_AS``), MiB: allocations beyond it fail
    memory_mb: int | None = 4096
    #: CPU time per document, seconds (``RLIMIT_CPU`` soft limit, re-armed per document)
    cpu_seconds: float | None = 600.0
    #: wall-clock time per document, seconds
    document_timeout: float | None = 600.0
    #: wall-clock time between two page events (the first page counts from the start), seconds
    page_timeout: float | None = 180.0
    #: a child is replaced after this many documents (keeps memory flat)
    max_tasks_per_child: int = 500
    #: how long a new child may take to import the engine before it counts as broken, seconds
    startup_timeout: float = 120.0


# ---------------------------------------------------------------------------------------------
# In the child


def limit_process(memory_mb: int | None) -> None:
    """Limit this process's address space to ``memory_mb`` MiB and switch core dumps off."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_mb * MiB if hard == resource.RLIM_INFINITY else min(memory_mb * MiB, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        few_arenas()  # each thread's own malloc arena would reserve 64 MiB of the limit


def arm_cpu_limit(seconds: float | None) -> None:
    """Allow this process ``seconds`` more CPU time (then the kernel sends ``SIGXCPU``, whose
    default action ends the process). Only the soft limit moves, so it can be re-armed."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if seconds is None:
        soft = hard
    else:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


@dataclass(frozen=True, slots=True)
class _Work(Generic[P]):
    task: Callable[[P, Callable[[Any], None]], Any]
    payload: P


def _child_main(conn: Connection, limits: Limits, warm: tuple[str, ...]) -> None:
    """Entry point of a child: apply the limits, import the engine, then run work until told to stop."""
    limit_process(limits.memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import importlib

    for module in warm:
        importlib.import_module(module)
    conn.send(("ready",))
    while True:
        try:
            work = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if work is None:
            return
        arm_cpu_limit(limits.cpu_seconds)
        try:
            result = work.task(work.payload, lambda event: conn.send(("progress", event)))
        except MemoryError:
            conn.send(("error", TooLarge(f"the document needs more memory than the limit of {limits.memory_mb} MiB")))
            return  # the heap may be fragmented or a native library half-initialised: start afresh
        except DocreconError as exc:
            conn.send(("error", _portable(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the child goes on
            conn.send(("error", DocreconError(f"{type(exc).__name__}: {exc}")))
            continue
        conn.send(("ok", result))


def _portable(exc: DocreconError) -> DocreconError:
    """``exc`` if it survives pickling (the tree's classes take one message), else a plain copy."""
    return exc if type(exc).__init__ is DocreconError.__init__ else DocreconError(exc.message)


# ---------------------------------------------------------------------------------------------
# In the parent

_NATIVE_ABORT = {signal.SIGABRT}
_CRASH = {signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}
_OUTSIDE = {signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


def _signame(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def death_error(exitcode: int | None, limits: Limits) -> DocreconError:
    """The error for a child that ended while parsing, from its exit code (``-N``: signal N)."""
    if exitcode is None:
        return EngineUnavailable("the parser process stopped answering")
    if exitcode >= 0:
        return CorruptDocument(f"the parser process exited with code {exitcode} while reading the document")
    sig = -exitcode
    name = _signame(sig)
    if sig == signal.SIGXCPU:
        return ParseTimeout(f"the parse exceeded the CPU-time limit of {limits.cpu_seconds:g} s ({name})")
    if sig in _NATIVE_ABORT:
        return TooLarge(
            f"the parser aborted ({name}): a native library could not allocate memory within the "
            f"limit of {limits.memory_mb} MiB (e.g. a compressed stream that inflates to gigabytes)"
        )
    if sig in _CRASH:
        return CorruptDocument(f"the parser crashed ({name}) on malformed data in the document")
    if sig in _OUTSIDE:
        return EngineUnavailable(
            f"the parser process was killed from outside ({name}): by an operator, or by the "
            "kernel's out-of-memory killer"
        )
    return CorruptDocument(f"the parser process died ({name}) while reading the document")


#: set in a child's environment unless the caller set them: OpenBLAS reserves a buffer per
#: thread, once for numpy and once for OpenCV's copy (216 MB of address space on two cores,
#: inside the child's limit), for arithmetic docrecon does not need threaded
CHILD_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}


_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def _child_environment() -> Iterator[None]:
    """``CHILD_ENVIRONMENT`` while a child is spawned (it copies this process's environment)."""
    with _ENV_LOCK:
        added = [k for k in CHILD_ENVIRONMENT if k not in os.environ]
        for k in added:
            os.environ[k] = CHILD_ENVIRONMENT[k]
        try:
            yield
        finally:
            for k in added:
                os.environ.pop(k, None)


class _Child:
    """One child process, its pipe, and the document it is working on."""

    def __init__(self, limits: Limits, warm: tuple[str, ...]) -> None:
        parent, child = _CTX.Pipe()
        self.proc: BaseProcess = _CTX.Process(target=_child_main, args=(child, limits, warm), daemon=True)
        with _child_environment():
            self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.ready = False
        self.started = time.monotonic()
        self.done = 0
        self.index: int | None = None  # the payload being worked on
        self.doc_deadline = math.inf
        self.page_deadline = math.inf

    def kill(self) -> int | None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        return self.proc.exitcode

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(2)
        self.kill()


class Supervisor:
    """A pool of ``workers`` warm, limited child processes (default: one per core).

    ``warm`` names modules each child imports before its first document (the engine).
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self, workers: int | None = None, limits: Limits | None = None,
        warm: tuple[str, ...] = ("docrecon.pipeline",),
    ) -> None:
        self.workers = max(1, workers or default_workers())
        self.limits = limits or Limits()
        self.warm = warm
        self._children: list[_Child] = []
        self._startup_deaths = 0

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        for child in self._children:
            child.stop()
        self._children = []

    def run(self, task: Callable[[P, Callable[[Any], None]], R], payload: P,
            progress: Callable[[Any], None] | None = None) -> R:
        """Run one ``task(payload, progress)`` in a child; raise its error in the parent."""
        on_event = (lambda _i, e: progress(e)) if progress is not None else None
        for _, result in self.map(task, [payload], on_event):
            if isinstance(result, DocreconError):
                raise result
            return result
        raise EngineUnavailable("no result from the parser process")  # pragma: no cover - map yields once

    def map(
        self, task: Callable[[P, Callable[[Any], None]], R], payloads: Iterable[P],
        progress: Callable[[int, Any], None] | None = None, cost: Callable[[P], float] | None = None,
    ) -> Iterator[tuple[int, R | DocreconError]]:
        """Run ``task`` on every payload, ``workers`` at a time; yield ``(index, result or error)``
        in completion order. ``task`` must be a module-level function (it is pickled by name);
        it gets the payload and a callback that relays progress events to ``progress``. With
        ``cost`` (an estimate of each payload's work, e.g. :func:`file_cost`), the costliest
        start first, so one large file does not run alone at the end of a batch."""
        work = list(enumerate(payloads))
        if cost is not None:
            work.sort(key=lambda iw: -cost(iw[1]))
        todo: deque[tuple[int, P]] = deque(work)
        pending = len(todo)
        try:
            while pending:
                self._fill()
                for child in self._children:
                    if child.ready and child.index is None and todo:
                        index, payload = todo.popleft()
                        if not self._send(child, index, _Work(task, payload)):
                            todo.appendleft((index, payload))
                busy = [c for c in self._children if c.index is not None or not c.ready]
                now = time.monotonic()
                wake = min((self._deadline(c) for c in busy), default=now + 1.0)
                ready = wait([c.conn for c in busy], timeout=max(0.0, min(wake - now, 1.0)))
                for child in list(self._children):
                    outcome = self._service(child, child.conn in ready, progress)
                    if outcome is not None:
                        pending -= 1
                        yield outcome
        finally:
            for child in [c for c in self._children if c.index is not None]:
                self._replace(child)  # abandoned mid-batch: its late result must not reach the next one

    # --- internals -------------------------------------------------------------------------

    def _fill(self) -> None:
        while len(self._children) < self.workers:
            self._children.append(_Child(self.limits, self.warm))

    def _send(self, child: _Child, index: int, work: _Work[Any]) -> bool:
        try:
            child.conn.send(work)
        except (OSError, ValueError):
            self._replace(child)
            return False
        now = time.monotonic()
        child.index = index
        child.doc_deadline = now + (self.limits.document_timeout or math.inf)
        child.page_deadline = now + (self.limits.page_timeout or math.inf)
        return True

    def _deadline(self, child: _Child) -> float:
        if not child.ready:
            return child.started + self.limits.startup_timeout
        return min(child.doc_deadline, child.page_deadline)

    def _replace(self, child: _Child) -> int | None:
        code = child.kill()
        self._children.remove(child)
        return code

    def _service(
        self, child: _Child, readable: bool, progress: Callable[[int, Any], None] | None
    ) -> tuple[int, Any] | None:
        """Handle what ``child`` sent or the deadline it passed; the finished ``(index, result)``."""
        try:
            while readable and child.conn.poll():
                message = child.conn.recv()
                if message[0] == "ready":
                    child.ready, self._startup_deaths = True, 0
                elif message[0] == "progress":
                    child.page_deadline = time.monotonic() + (self.limits.page_timeout or math.inf)
                    if progress is not None and child.index is not None:
                        progress(child.index, message[1])
                else:
                    return self._finish(child, message[1])
        except (EOFError, OSError):
            index = child.index
            code = self._replace(child)
            if index is None:  # died while starting; a fresh one is started on the next turn
                self._startup_deaths += 1
                if self._startup_deaths >= 3:
                    raise EngineUnavailable(
                        f"the parser process died while starting ({death_error(code, self.limits).message}); "
                        "a script that calls parse_many or parse_guarded needs an "
                        "'if __name__ == \"__main__\":' guard (child processes are spawned)"
                    ) from None
                return None
            return index, death_error(code, self.limits)
        now = time.monotonic()
        if not child.ready and now > child.started + self.limits.startup_timeout:
            self._replace(child)
            raise EngineUnavailable(f"the parser process did not start within {self.limits.startup_timeout:g} s")
        if child.index is not None and now >= min(child.doc_deadline, child.page_deadline):
            index = child.index
            self._replace(child)
            if now >= child.doc_deadline:
                return index, ParseTimeout(f"the parse exceeded the limit of {self.limits.document_timeout:g} s")
            return index, ParseTimeout(
                f"no page finished within the per-page limit of {self.limits.page_timeout:g} s"
            )
        return None

    def _finish(self, child: _Child, result: Any) -> tuple[int, Any]:
        index = child.index
        assert index is not None
        child.index = None
        child.done += 1
        if child.done >= self.limits.max_tasks_per_child or isinstance(result, TooLarge):
            child.stop()
            self._children.remove(child)
        return index, result


# ---------------------------------------------------------------------------------------------
# The library's guarded parse


@dataclass(frozen=True, slots=True)
class ParseRequest:
    """One document for a child: a path (or bytes) and the arguments of :func:`docrecon.parse`."""

    src: str | bytes
    options: ParseOptions | None = None
    name: str | None = None
    file_type: str | None = None


def parse_task(req: ParseRequest, progress: Callable[[Any], None]) -> Document:
    """Child side: parse one document (pictures kept in memory, sent back with it)."""
    from docrecon.pipeline import parse

    return parse(req.src, req.options, name=req.name, file_type=req.file_type, progress=progress)


def file_cost(path: str | bytes | os.PathLike[str]) -> float:
    """A document's size in bytes, the work estimate :meth:`Supervisor.map` orders by."""
    if isinstance(path, bytes):
        return float(len(path))
    try:
        return float(os.path.getsize(path))
    except OSError:
        return 0.0


def parse_many(
    paths: Iterable[str | os.PathLike[str]], options: ParseOptions | None = None, *,
    workers: int | None = None, limits: Limits | None = None,
    progress: Callable[[int, ProgressEvent], None] | None = None,
) -> list[Document | DocreconError]:
    """Parse every file in supervised child processes, ``workers`` at a time (default: one per
    core). The result list follows ``paths``: a :class:`Document`, or the error that file met
    (a crash, time-out or memory blow-up included) while the others go on. ``progress`` gets
    ``(index in paths, event)``."""
    requests = [ParseRequest(os.fspath(p), options) for p in paths]
    results: list[Document | DocreconError] = [EngineUnavailable("not parsed")] * len(requests)
    with Supervisor(min(workers or default_workers(), max(1, len(requests))), limits) as sup:
        for index, result in sup.map(parse_task, requests, progress, cost=lambda r: file_cost(r.src)):
            results[index] = result
    return results


_SHARED: dict[Limits, Supervisor] = {}


def parse_guarded(
    src: str | os.PathLike[str] | bytes, options: ParseOptions | None = None, *,
    name: str | None = None, file_type: str | None = None, limits: Limits | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> Document:
    """:func:`docrecon.parse` in a supervised child process: same arguments and result, but a
    crash, hang or memory blow-up raises its error instead of taking the caller down. One warm
    child per ``limits`` is kept for the life of the process and reused."""
    key = limits or Limits()
    sup = _SHARED.get(key)
    if sup is None:
        sup = _SHARED[key] = Supervisor(1, key)
        atexit.register(sup.close)
    data = src if isinstance(src, bytes) else os.fspath(src)
    return sup.run(parse_task, ParseRequest(data, options, name, file_type), progress)


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


__all__ = [
    "Limits",
    "ParseRequest",
    "Supervisor",
    "arm_cpu_limit",
    "death_error",
    "default_workers",
    "limit_process",
    "parse_guarded",
    "parse_many",
    "parse_task",
]
