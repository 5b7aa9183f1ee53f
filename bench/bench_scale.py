"""Distributed-mode throughput: 1 worker vs 2 workers, and what each task costs the shared services;
then SSE load through two API processes.

Starts on loopback a throw-away PostgreSQL (``initdb`` as ``nobody`` when run as root), a
redis-server, API processes (``docrecon serve --workers 0``) and 1, then 2, ``docrecon worker``
processes (concurrency 1 each); objects in a shared local directory. Submits ``--tasks``
generated PDFs of ``--pages`` pages through the native API and times until all are done. Then
``--rate`` ReconstructDocumentSSE calls per second of a 1-page PDF for ``--seconds`` (open loop,
one key, alternating between two API processes; ``--seconds 0`` skips it).

    .venv/bin/python bench/bench_scale.py                    # 16 tasks x 20 pages, 20 req/s for 60 s
    .venv/bin/python bench/bench_scale.py --tasks 8 --pages 10 --seconds 10
"""

from __future__ import annotations

import argparse
import glob
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
from bench_service import Target, load
from bench_service import make_pdf as one_page_pdf

from docrecon.state import KeyStore, load_server_secret


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_pdf(pages: int, seed: int) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 760, f"Report {seed}, section {p + 1}")
        c.setFont("Helvetica", 10)
        for i in range(40):
            c.drawString(72, 730 - 16 * i, f"Line {i} of page {p + 1}: body text with numbers {seed * 1000 + i}.")
        c.showPage()
    c.save()
    return buf.getvalue()


def _as_nobody(args: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def postgres(root: Path) -> Iterator[str]:
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    os.chmod(root, 0o777)
    port = free_port()
    subprocess.run(
        _as_nobody([f"{bindir}/initdb", "-D", str(root / "pg"), "-U", "docrecon", "--auth=trust"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {root}"
    subprocess.run(
        _as_nobody([f"{bindir}/pg_ctl", "-D", str(root / "pg"), "-l", str(root / "pg.log"), "-o", opts, "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql://docrecon@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_nobody([f"{bindir}/pg_ctl", "-D", str(root / "pg"), "-m", "fast", "stop"]), check=False)


@contextmanager
def redis_server(root: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(root)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "docrecon.cli", *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def wait(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError("timed out")


class RoundRobin:
    """Requests alternate between API processes (what a load balancer does)."""

    def __init__(self, targets: list[Target]) -> None:
        self.targets, self._next = targets, 0

    def request(self, body: bytes) -> tuple[str, dict[str, str]]:
        self._next += 1
        return self.targets[self._next % len(self.targets)].request(body)


def sse_load(env: dict[str, str], root: Path, key: tuple[str, str], rate: float, seconds: float) -> dict[str, object]:
    import asyncio
    import base64
    import json

    ports = [free_port(), free_port()]
    procs = [start(["serve", "--workers", "0", "--port", str(p)], env, root / f"sse-api{p}.log") for p in ports]
    procs += [start(["worker", "--concurrency", "1"], env, root / f"sse-w{i}.log") for i in range(2)]
    try:
        for p in ports:
            wait(lambda p=p: httpx.get(f"http://127.0.0.1:{p}/healthz").json()["workers"] == 2, 60)
        body = json.dumps({"FileType": "PDF", "FileBase64": base64.b64encode(one_page_pdf(1)).decode()}).encode()
        target = RoundRobin([Target(f"127.0.0.1:{p}", [key]) for p in ports])
        return asyncio.run(load(target, body, rate, seconds))  # type: ignore[arg-type]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(10)


def run(workers: int, tasks: int, pages: int, env: dict[str, str], root: Path, api: str, auth: dict[str, str]) -> float:
    procs = [start(["worker", "--concurrency", "1"], env, root / f"w{workers}-{i}.log") for i in range(workers)]
    try:
        for i in range(workers):
            wait(lambda i=i: b"ready." in (root / f"w{workers}-{i}.log").read_bytes(), 60)
        pdfs = [make_pdf(pages, workers * 100 + i) for i in range(tasks)]
        t0 = time.monotonic()
        ids = []
        for i, pdf in enumerate(pdfs):
            r = httpx.post(f"{api}/v1/tasks", headers=auth, files={"file": (f"{i}.pdf", pdf, "application/pdf")})
            r.raise_for_status()
            ids.append(r.json()["task_id"])
        pending = set(ids)
        while pending:
            for task_id in list(pending):
                state = httpx.get(f"{api}/v1/tasks/{task_id}", headers=auth).json()["state"]
                if state in ("succeeded", "failed", "cancelled"):
                    assert state == "succeeded", state
                    pending.discard(task_id)
            time.sleep(0.1)
        return time.monotonic() - t0
    finally:
        for p in procs:
            p.kill()
            p.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=16, help="0: skip the throughput part")
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="docrecon-bench-scale-"))
    try:
        with postgres(root) as db, redis_server(root) as broker:
            env = {
                **os.environ,
                "DOCRECON_DATA_DIR": str(root / "data"),
                "DOCRECON_DATABASE_URL": db,
                "DOCRECON_RUNNER__KIND": "celery",
                "DOCRECON_RUNNER__BROKER_URL": broker,
                "DOCRECON_RUNNER__QUEUE_SIZE": str(max(64, a.tasks * 4)),
                "DOCRECON_STORAGE__ROOT": str(root / "objects"),
            }
            keys = KeyStore(db, load_server_secret(root / "data"))
            key = keys.create("bench").key
            keys.close()
            auth = {"Authorization": f"Bearer {key.secret_id}:{key.secret_key}"}
            port = free_port()
            api = f"http://127.0.0.1:{port}"
            server = start(["serve", "--workers", "0", "--port", str(port)], env, root / "api.log")
            try:
                wait(lambda: httpx.get(api + "/healthz").status_code == 200, 60)
                times = {n: run(n, a.tasks, a.pages, env, root, api, auth) for n in (1, 2)} if a.tasks else {}
            finally:
                server.kill()
                server.wait(10)
            sse = sse_load(env, root, (key.secret_id, key.secret_key), a.rate, a.seconds) if a.seconds else None
            with psycopg.connect(db) as conn:
                (events,) = conn.execute("SELECT COUNT(*) FROM events WHERE task_id IN (SELECT task_id FROM tasks WHERE kind = 'native')").fetchone()  # type: ignore[misc]  # noqa: E501
                (n_tasks,) = conn.execute("SELECT COUNT(*) FROM tasks WHERE kind = 'native'").fetchone()  # type: ignore[misc]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total_pages = a.tasks * a.pages
    print(f"{a.tasks} tasks x {a.pages} pages, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for n, t in times.items():
        print(f"  {n} worker(s): {t:6.1f} s  {total_pages / t:6.1f} pages/s  {a.tasks / t:5.2f} tasks/s")
    if times:
        print(f"  ratio 2 vs 1: {times[1] / times[2]:.2f}x")
    per_task = events / max(1, n_tasks)
    print(
        f"  shared cost per task: {per_task:.1f} event rows (one PostgreSQL transaction and one Redis publish"
        f" each, {per_task / a.pages:.2f} per page), 1 Celery message, 1 lease claim + renewals"
    )
    if sse is not None:
        print(f"  SSE {a.rate:g} req/s for {a.seconds:g} s through 2 API processes, 2 workers:")
        for k, v in sse.items():
            if k != "slow_over_500ms_at_s":
                print(f"    {k}: {v:.1f}" if isinstance(v, float) else f"    {k}: {v}")


if __name__ == "__main__":
    main()
