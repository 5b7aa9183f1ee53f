"""The distributed mode end to end on loopback, with real servers: PostgreSQL (state), Redis
(Celery broker + event fan-out), moto S3 (objects), two API processes (``serve --workers 0``)
and two ``docrecon worker`` processes. The worker parsing a task is killed (``kill -9``, its whole
process group) in the middle; the task completes on the other worker, exactly once, and the other API
process serves its status and its live event stream; that API process is killed mid-stream
and started again, and the stream resumes (``Last-Event-ID``) to its final event."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from netutil import free_port
from pgserver import pg_schema_url, pg_url  # noqa: F401 - the real PostgreSQL fixtures
from redisserver import redis_base_url, redis_url  # noqa: F401 - the real Redis fixtures
from s3server import s3_endpoint, s3_settings  # noqa: F401 - the real S3 fixtures

from docrecon.config import StorageSettings
from docrecon.state import AppStore, EventKind, KeyStore, TaskStore, load_server_secret

PAGES = 2000  # a few seconds of parsing: long enough to kill the worker in the middle


def make_pdf(pages: int, body: str = "A paragraph of body text for the parser.") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 720, f"Hello docrecon page {p + 1}")
        c.drawString(72, 700, body)
        c.showPage()
    c.save()
    return buf.getvalue()


def _wait(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Cluster:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "docrecon.cli", *args, "--data-dir", str(self.root / "data")],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes its pool children too
        )
        self.procs.append(proc)
        return proc

    def api(self, name: str) -> str:
        port = free_port()
        self.start(name, "serve", "--workers", "0", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        _wait(lambda: _healthy(url), 60, f"{name} to listen")
        return url

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        proc = self.start(name, "worker", "--concurrency", "1", "--loglevel", "INFO")
        _wait(lambda: b"ready." in (self.root / f"{name}.log").read_bytes(), 60, f"{name} to be ready")
        return proc

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def cluster(tmp_path: Path, db: str, broker: str, storage: StorageSettings) -> Iterator[Cluster]:
    env = {
        **os.environ,
        "DOCRECON_DATABASE_URL": db,
        "DOCRECON_RUNNER__KIND": "celery",
        "DOCRECON_RUNNER__BROKER_URL": broker,
        "DOCRECON_RUNNER__HEARTBEAT": "1",
        "DOCRECON_RUNNER__TASK_TIMEOUT": "120",
        "DOCRECON_RUNNER__MAX_ATTEMPTS": "3",
    }
    for field, value in storage.model_dump().items():
        if value is not None:
            env[f"DOCRECON_STORAGE__{field.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    c = Cluster(tmp_path, env)
    try:
        yield c
    finally:
        c.close()


def _lease_holder(db: str, task_id: str) -> str | None:
    import psycopg

    with psycopg.connect(db) as conn:
        row = conn.execute("SELECT holder FROM leases WHERE task_id = %s", (task_id,)).fetchone()
    return None if row is None else str(row[0])


def _follow(url: str, headers: dict[str, str], out: list[tuple[int, dict[str, Any]]]) -> None:
    """Read a task's SSE stream until it ends or its server dies, collecting (id, event)."""
    event_id = -1
    try:
        with httpx.stream("GET", url, headers=headers, timeout=120) as resp:
            for line in resp.iter_lines():
                if line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("data: "):
                    out.append((event_id, json.loads(line[6:])))
    except httpx.HTTPError:
        pass  # the API process was killed mid-stream


def test_killed_worker_task_completes_on_the_other_worker_once(
    tmp_path: Path,
    pg_schema_url: str,  # noqa: F811
    redis_url: str,  # noqa: F811
    s3_settings: StorageSettings,  # noqa: F811
) -> None:
    data_dir = tmp_path / "data"
    keys = KeyStore(pg_schema_url, load_server_secret(data_dir))  # the API processes share data_dir/server.key
    key = keys.create("e2e").key
    keys.close()
    auth = {"Authorization": f"Bearer {key.secret_id}:{key.secret_key}"}
    with cluster(tmp_path, pg_schema_url, redis_url, s3_settings) as c:
        api1, api2 = c.api("api1"), c.api("api2")
        workers = {w.pid: w for w in (c.worker("worker-a"), c.worker("worker-b"))}
        _wait(lambda: httpx.get(f"{api1}/healthz", timeout=5).json()["workers"] == 2, 10, "2 workers in /healthz")
        resp = httpx.post(
            f"{api1}/v1/tasks",
            headers=auth,
            files={"file": ("big.pdf", make_pdf(PAGES), "application/pdf")},
            timeout=60,
        )
        assert resp.status_code in (200, 202), resp.text
        task_id = resp.json()["task_id"]

        def state(api: str = api2) -> str:
            return str(httpx.get(f"{api}/v1/tasks/{task_id}", headers=auth, timeout=10).json()["state"])

        _wait(lambda: state() == "running", 60, "a worker to start the task")  # seen through the other API
        holder = _wait(lambda: _lease_holder(pg_schema_url, task_id), 30, "the task's lease")
        group = os.getpgid(int(holder.rsplit(":", 1)[1]))  # the pool process's worker (its process group)
        assert group in workers
        events: list[tuple[int, dict[str, Any]]] = []
        follower = threading.Thread(
            target=_follow, args=(f"{api2}/v1/tasks/{task_id}/events", auth, events), daemon=True
        )
        follower.start()
        os.killpg(group, signal.SIGKILL)
        killed = time.time()
        # the API process serving the live stream dies too, and is started again
        _wait(lambda: any(i >= 0 for i, _ in events), 30, "an event with an id on API 2's stream")
        os.killpg(c.procs[1].pid, signal.SIGKILL)
        follower.join(10)
        last_id = max(i for i, _ in events)
        api2 = c.api("api2-again")
        resumed: list[tuple[int, dict[str, Any]]] = []
        _follow(f"{api2}/v1/tasks/{task_id}/events", {**auth, "Last-Event-ID": str(last_id)}, resumed)
        assert resumed and all(i > last_id for i, _ in resumed if i >= 0)  # resumed after the last id seen
        final = resumed[-1][1]
        assert final["Progress"] == "100" and final["DocumentRecognizeResultUrl"]

        status = httpx.get(f"{api1}/v1/tasks/{task_id}", headers=auth, timeout=10).json()
        assert status["state"] == "succeeded", status
        assert status["pages_total"] == PAGES and status["success_pages"] == PAGES
        result = httpx.get(f"{api2}/v1/tasks/{task_id}/result?format=md", headers=auth, timeout=60)
        assert result.status_code == 200 and "Hello docrecon page 2000" in result.text

    store = TaskStore(pg_schema_url)
    log = store.events(task_id)
    job = store.job(task_id)
    store.close()
    kinds = [ev.kind.value for ev in log]
    assert kinds.count("done") == 1 and "failed" not in kinds  # finished exactly once
    assert [ev.seq for ev in log] == list(range(len(log)))
    assert job is not None and job[1] == 2  # the second run completed it
    assert kinds.count("accepted") == 2  # one per run: the killed worker's, then the other's
    rerun = [ev.at for ev in log if ev.kind is EventKind.ACCEPTED][1]
    print(
        f"after kill -9 of the worker: run 2 accepted in {rerun - killed:.1f} s,"
        f" final event in {log[-1].at - killed:.1f} s (heartbeat 1 s, lease 3 s; run 2 parses all {PAGES} pages)"
    )


@dataclass
class Remote:
    """What the LKE test clients need of a server: its address and a key."""

    host: str
    secret_id: str
    secret_key: str

    @property
    def url(self) -> str:
        return f"http://{self.host}"


def test_docparse_on_one_api_process_and_chat_on_another(
    tmp_path: Path,
    pg_schema_url: str,  # noqa: F811
    redis_url: str,  # noqa: F811
    s3_settings: StorageSettings,  # noqa: F811
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))
    from lkeclient import SESSION, doc_parse, parse_body, sse_events, upload

    data_dir = tmp_path / "data"
    keys = KeyStore(pg_schema_url, load_server_secret(data_dir))
    key = keys.create("lke").key
    keys.close()
    apps = AppStore(pg_schema_url)
    app = apps.create("bot")
    apps.close()
    pdf = make_pdf(2, "The Lisbon office opened in 2019 with 42 engineers.")
    with cluster(tmp_path, pg_schema_url, redis_url, s3_settings) as c:
        api1, api2 = c.api("api1"), c.api("api2")
        c.worker("worker")
        first = Remote(api1.removeprefix("http://"), key.secret_id, key.secret_key)
        second = Remote(api2.removeprefix("http://"), key.secret_id, key.secret_key)
        cred, put = upload(first, app.app.app_id, pdf)  # COS upload through API 1
        events = doc_parse(first, parse_body(app.bot_app_key, cred, put, len(pdf)))
        assert events[-1]["payload"]["status"] == "SUCCESS", events[-1]
        body = {"session_id": SESSION, "bot_app_key": app.bot_app_key, "content": "How many engineers in Lisbon?"}
        replies = [e["payload"]["content"] for n, e in sse_events(second, "/v1/qbot/chat/sse", body) if n == "reply"]
        assert "42 engineers" in replies[-1]  # answered by API 2 from the document parsed via API 1
