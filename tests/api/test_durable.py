"""Issue 13: a real ``docrecon serve`` process killed with SIGKILL mid-task and started again:
its running and queued tasks complete, each exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from apiserver import b64, make_pdf
from lkeclient import doc_parse, parse_body, upload
from netutil import free_port
from signing import call

from docrecon.config import Settings
from docrecon.state import KeyStore, load_server_secret
from docrecon.state.apps import AppStore

FLOW = "CreateReconstructDocumentFlow"
GET = "GetReconstructDocumentResult"


@dataclass
class Remote:
    """What the signing helpers need of a server running in another process."""

    host: str
    secret_id: str
    secret_key: str

    @property
    def url(self) -> str:
        return f"http://{self.host}"


def _wait(predicate: Any, timeout: float = 60.0) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def serve(data_dir: Path, key: tuple[str, str]) -> Iterator[tuple[Remote, subprocess.Popen[bytes]]]:
    """``docrecon serve`` with one worker, in its own process group (killed as a whole)."""
    port = free_port()
    env = {**os.environ, "DOCRECON_RUNNER__WORKERS": "1"}
    args = [sys.executable, "-m", "docrecon.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)]
    proc = subprocess.Popen(
        args, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    remote = Remote(f"127.0.0.1:{port}", *key)
    try:
        _wait(lambda: _healthy(remote.url))
        yield remote, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _status(srv: Remote, task_id: str) -> dict[str, Any]:
    body: dict[str, Any] = call(srv, GET, {"TaskId": task_id}).json()["Response"]  # type: ignore[arg-type]
    return body


def _flow(srv: Remote, pdf: bytes) -> str:
    resp = call(srv, FLOW, {"FileType": "PDF", "FileBase64": b64(pdf)})  # type: ignore[arg-type]
    return str(resp.json()["Response"]["TaskId"])


def _event_kinds(data_dir: Path, task_id: str) -> list[str]:
    db = sqlite3.connect(data_dir / "tasks.sqlite3")
    rows = db.execute("SELECT data FROM events WHERE task_id = ? ORDER BY seq", (task_id,)).fetchall()
    db.close()
    return [str(json.loads(r[0])["kind"]) for r in rows]


def _key(data_dir: Path) -> tuple[str, str]:
    keys = KeyStore(Settings(data_dir=data_dir).keys_db_path, load_server_secret(data_dir))
    created = keys.create("durable")
    keys.close()
    return created.key.secret_id, created.key.secret_key


def test_sigkill_server_mid_task_then_restart(tmp_path: Path) -> None:
    key = _key(tmp_path)
    with serve(tmp_path, key) as (srv, proc):
        running = _flow(srv, make_pdf(1000))
        _wait(lambda: _status(srv, running)["Status"] == "Processing")
        queued = _flow(srv, make_pdf(2))  # one worker: waits behind the running task
        assert _status(srv, queued)["Status"] == "WaitExecute"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    with serve(tmp_path, key) as (srv, _):
        for task_id in (running, queued):
            final = _wait(lambda t=task_id: (s := _status(srv, t))["Status"] in ("Success", "Failed") and s)
            assert final["Status"] == "Success" and "Error" not in final
            assert httpx.get(final["DocumentRecognizeResultUrl"], timeout=10).status_code == 200
            kinds = _event_kinds(tmp_path, task_id)
            assert kinds.count("done") == 1 and "failed" not in kinds


def _session_doc(data_dir: Path) -> tuple[str, str] | None:
    """(state, task id) of the one session document, read from the database."""
    db = sqlite3.connect(data_dir / "lke.sqlite3")
    row = db.execute("SELECT state, task_id FROM session_docs").fetchone()
    db.close()
    return (str(row[0]), str(row[1])) if row else None


def test_doc_parse_stream_lost_with_the_server_still_settles(tmp_path: Path) -> None:
    """SIGKILL of the server while a docParse runs: its stream breaks, the task runs again at the
    next start and the session document becomes ready (never stuck in ``parsing``)."""
    key = _key(tmp_path)
    apps = AppStore(Settings(data_dir=tmp_path).lke_db_path)
    created = apps.create("durable app")
    apps.close()
    data = make_pdf(1000, "Quarterly revenue grew")
    with ThreadPoolExecutor(1) as pool:
        with serve(tmp_path, key) as (srv, proc):
            cred, put = upload(srv, created.app.app_id, data)  # type: ignore[arg-type]
            body = parse_body(created.bot_app_key, cred, put, len(data))
            stream = pool.submit(doc_parse, srv, body)
            _wait(lambda: httpx.get(srv.url + "/healthz").json()["running"] == 1)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        assert stream.exception() is not None  # the stream broke with the server
    assert _session_doc(tmp_path) is not None and _session_doc(tmp_path)[0] == "parsing"  # type: ignore[index]
    with serve(tmp_path, key):
        state, task_id = _wait(lambda: (d := _session_doc(tmp_path)) and d[0] != "parsing" and d)
        assert state == "ready"
        assert _event_kinds(tmp_path, task_id).count("done") == 1
