"""Limits and failure handling: rate limit, full queue, quota, time limit, killed worker,
client disconnect, keep-alives, restart, expiry of results and links."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import Server, b64, make_pdf, run_server
from sdk import client
from signing import call, error_code, signed_headers, sse_events
from tencentcloud.lkeap.v20240522 import models

SSE = "ReconstructDocumentSSE"
GET = "GetReconstructDocumentResult"
FLOW = "CreateReconstructDocumentFlow"
BIG_PAGES = 1000


@pytest.fixture(scope="module")
def big_pdf() -> str:
    """About 1.5 s of parsing: long enough to act on a running task."""
    return b64(make_pdf(BIG_PAGES))


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not reached")


def task_state(srv: Server, task_id: str) -> str:
    rec = srv.services.store.get(task_id)
    assert rec is not None
    return rec.state.value


def test_rate_limit_token_bucket(server: Server) -> None:
    created = server.services.keys.create("rate")
    kw = {"secret_id": created.key.secret_id, "secret_key": created.key.secret_key}
    params = {"TaskId": "00000000-0000-0000-0000-000000000000"}
    body = json.dumps(params).encode()
    headers = signed_headers(server, GET, body, **kw)

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient() as client:
            return await asyncio.gather(
                *(client.post(server.url + "/", content=body, headers=headers) for _ in range(40))
            )

    codes = [error_code(r) for r in asyncio.run(burst())]
    assert codes.count("RequestLimitExceeded") >= 5 and codes.count("ResourceNotFound") >= 20
    time.sleep(1.1)
    paced = []
    for _ in range(25):  # evenly paced 20/s always passes
        paced.append(error_code(call(server, GET, params, **kw)))
        time.sleep(0.05)
    assert "RequestLimitExceeded" not in paced


def test_page_quota(server: Server) -> None:
    created = server.services.keys.create("quota", page_quota=2)
    kw = {"secret_id": created.key.secret_id, "secret_key": created.key.secret_key}
    evs = sse_events(call(server, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(3))}, **kw))
    assert evs[-1]["SuccessPageNum"] == 3
    resp = call(server, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))}, **kw)
    assert error_code(resp) == "ResourceUnavailable.ResourcePackageRunOut"


def test_killed_worker_task_runs_again(server: Server, big_pdf: str) -> None:
    """Issue 13: a worker killed mid-task has its task run again from the stored input."""
    resp = call(server, FLOW, {"FileType": "PDF", "FileBase64": big_pdf})
    task_id = resp.json()["Response"]["TaskId"]
    pid = wait_for(lambda: server.services.runner.running().get(task_id))  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: task_state(server, task_id) == "succeeded", timeout=60)
    assert call(server, GET, {"TaskId": task_id}).json()["Response"]["Status"] == "Success"
    kinds = [ev.kind.value for ev in server.services.store.events(task_id)]
    assert kinds.count("done") == 1 and "failed" not in kinds
    assert server.services.store.job(task_id) is not None
    assert server.services.store.job(task_id)[1] == 2  # type: ignore[index]


def test_killed_worker_retries_are_bounded(tmp_path: Path, big_pdf: str) -> None:
    with run_server(tmp_path, runner={"max_attempts": 1}) as srv:
        task_id = call(srv, FLOW, {"FileType": "PDF", "FileBase64": big_pdf}).json()["Response"]["TaskId"]
        pid = wait_for(lambda: srv.services.runner.running().get(task_id))  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: task_state(srv, task_id) == "failed")
        error = call(srv, GET, {"TaskId": task_id}).json()["Response"]["Error"]
        assert error["Code"] == "FailedOperation.EngineServerError"
        assert "given up after 1 runs" in error["Message"]
        evs = sse_events(call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))}))
        assert evs[-1]["ResponseType"] == "TASK_RSP"


def test_worker_death_reads_the_same_in_sse_and_async_result(tmp_path: Path, big_pdf: str) -> None:
    """Issue 14: a killed worker is one clear message (its signal and what it means), the same in
    the SSE stream's last event and in GetReconstructDocumentResult (not "exit code None" / "-9")."""
    with run_server(tmp_path, runner={"max_attempts": 1}, limits={"max_pages_sse": 5000}) as srv:
        body = json.dumps({"FileType": "PDF", "FileBase64": big_pdf}).encode()
        headers = signed_headers(srv, SSE, body)
        with httpx.stream("POST", srv.url + "/", content=body, headers=headers, timeout=60) as resp:
            lines = (line for line in resp.iter_lines() if line.startswith("data: "))
            task_id = json.loads(next(lines)[len("data: ") :])["TaskId"]
            os.kill(wait_for(lambda: srv.services.runner.running().get(task_id)), signal.SIGKILL)  # type: ignore[attr-defined]
            evs = [json.loads(line[len("data: ") :]) for line in lines]
        last = evs[-1]["Response"]["Error"]
        error = call(srv, GET, {"TaskId": task_id}).json()["Response"]["Error"]
        assert last == error and error["Code"] == "FailedOperation.EngineServerError"
        assert "SIGKILL" in error["Message"] and "killed from outside" in error["Message"]
        assert "given up after 1 runs" in error["Message"]
        assert "exit code" not in error["Message"] and "-9" not in error["Message"]


def test_cancelled_task_reads_pause_without_error(server: Server, big_pdf: str) -> None:
    """Spec §2.9 has no cancelled status: after CancelTask the official SDK gets ``Pause`` and no
    exception (a cancellation is not a failed parse), the native API says ``cancelled``."""
    c = client(server)
    req = models.CreateReconstructDocumentFlowRequest()
    req._deserialize({"FileType": "PDF", "FileBase64": big_pdf})
    task_id = c.CreateReconstructDocumentFlow(req).TaskId
    wait_for(lambda: server.services.runner.running().get(task_id))  # type: ignore[attr-defined]
    cancel = models.CancelTaskRequest()
    cancel.TaskId = task_id
    c.CancelTask(cancel)
    get = models.GetReconstructDocumentResultRequest()
    get.TaskId = task_id
    res = wait_for(lambda: (r := c.GetReconstructDocumentResult(get)).Status not in ("WaitExecute", "Processing") and r)
    assert res.Status == "Pause" and res.Error is None and res.DocumentRecognizeResultUrl == ""
    assert task_state(server, task_id) == "cancelled"
    native = httpx.get(
        f"{server.url}/v1/tasks/{task_id}", headers={"Authorization": f"Bearer {server.secret_id}:{server.secret_key}"}
    ).json()
    assert native["state"] == "cancelled" and native["status"] == "Pause"


def test_size_limits_and_page_checks_come_from_one_place(tmp_path: Path) -> None:
    """Issue 15: the per-type limits are settings (``limits.files``), applied by SSE, the flow and
    the native API alike; the page range gives the library's message."""
    pdf = make_pdf(2)
    small = len(pdf) - 1
    with run_server(tmp_path, limits={"files": {"document": small, "flow_pdf": small}}) as srv:
        resp = call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(pdf)})
        assert error_code(resp) == "LimitExceeded.TooLargeFileError"
        assert f"exceeds the limit of {small} bytes" in resp.json()["Response"]["Error"]["Message"]
        task_id = call(srv, FLOW, {"FileType": "PDF", "FileBase64": b64(pdf)}).json()["Response"]["TaskId"]
        wait_for(lambda: task_state(srv, task_id) == "failed")
        error = call(srv, GET, {"TaskId": task_id}).json()["Response"]["Error"]
        assert error["Code"] == "LimitExceeded.TooLargeFileError"
        native = _native_task(srv, pdf)
        assert native.status_code == 413 and native.json()["error"]["code"] == "too_large"
        txt = call(srv, SSE, {"FileType": "TXT", "FileBase64": b64(b"small text")})
        assert sse_events(txt)[-1]["ResponseType"] == "TASK_RSP"  # other types keep their limits
        pages = {"FileStartPageNumber": 3, "FileEndPageNumber": 2}
        bad = call(srv, SSE, {"FileType": "TXT", "FileBase64": b64(b"small text"), **pages})
        assert error_code(bad) == "InvalidParameterValue.InvalidParameterValueLimit"
        assert bad.json()["Response"]["Error"]["Message"] == "start page 3 is after end page 2"


def test_client_disconnect_then_fetch_result(tmp_path: Path, big_pdf: str) -> None:
    with run_server(tmp_path, limits={"max_pages_sse": 5000}) as srv:
        body = json.dumps({"FileType": "PDF", "FileBase64": big_pdf}).encode()
        with httpx.stream(
            "POST", srv.url + "/", content=body, headers=signed_headers(srv, SSE, body)
        ) as resp:
            first = json.loads(next(resp.iter_lines())[len("data: ") :])
        task_id = first["TaskId"]
        assert task_state(srv, task_id) == "running"  # the client is gone, the task goes on
        wait_for(lambda: task_state(srv, task_id) == "succeeded")
        result = call(srv, GET, {"TaskId": task_id}).json()["Response"]
        assert result["Status"] == "Success" and result["Usage"]["SuccessPageNum"] == BIG_PAGES
        assert httpx.get(result["DocumentRecognizeResultUrl"]).status_code == 200


def test_time_limit_mid_stream_error_event(tmp_path: Path, big_pdf: str) -> None:
    with run_server(
        tmp_path, runner={"task_timeout": 0.6, "workers": 1}, limits={"max_pages_sse": 5000}
    ) as srv:
        evs = sse_events(call(srv, SSE, {"FileType": "PDF", "FileBase64": big_pdf}))
        assert evs[0]["Progress"] == "0"
        assert evs[-1] == {
            "Response": {
                "Error": {
                    "Code": "FailedOperation.FileParseTimeout",
                    "Message": evs[-1]["Response"]["Error"]["Message"],
                },
                "RequestId": evs[0]["RequestId"],
            }
        }
        assert all(e.get("Progress") != "100" for e in evs)
        again = sse_events(call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))}))
        assert again[-1]["ResponseType"] == "TASK_RSP"


def _native_task(srv: Server, pdf: bytes) -> httpx.Response:
    return httpx.post(
        srv.url + "/v1/tasks",
        files={"file": ("big.pdf", pdf, "application/pdf")},
        headers={"Authorization": f"Bearer {srv.secret_id}:{srv.secret_key}"},
        timeout=30,
    )


def test_full_queue_and_keepalive(tmp_path: Path) -> None:
    settings: dict[str, Any] = {"workers": 1, "queue_size": 1, "accept_wait": 0.1, "keepalive": 0.1}
    with run_server(tmp_path, runner=settings) as srv:
        running = _native_task(srv, make_pdf(BIG_PAGES)).json()["task_id"]
        wait_for(lambda: task_state(srv, running) == "running")
        with ThreadPoolExecutor(1) as pool:  # queued behind it: the stream starts and keeps alive
            queued = pool.submit(call, srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))})
            time.sleep(0.5)
            full = call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))})
            assert error_code(full) == "RequestLimitExceeded"
            assert "queue is full" in full.json()["Response"]["Error"]["Message"]
            evs = sse_events(queued.result(timeout=30))
    assert evs[0]["ProgressMessage"] == "task queued"
    repeats = [e for e in evs if e == evs[0]]
    assert len(repeats) >= 3  # keep-alives repeat the last event, never a comment line
    assert evs[-1]["ResponseType"] == "TASK_RSP"


def test_full_queue_refuses_flow_before_a_task_id(tmp_path: Path) -> None:
    """Issue 13: a full queue refuses CreateReconstructDocumentFlow (and SSE) at once; a TaskId
    already handed out is never failed because of the queue, and /healthz shows the load."""
    settings: dict[str, Any] = {"workers": 1, "queue_size": 1}
    with run_server(tmp_path, runner=settings) as srv:
        running = _native_task(srv, make_pdf(BIG_PAGES)).json()["task_id"]
        wait_for(lambda: task_state(srv, running) == "running")
        queued = call(srv, FLOW, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))}).json()["Response"]["TaskId"]
        refused = [call(srv, FLOW, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))}) for _ in range(3)]
        assert [error_code(r) for r in refused] == ["RequestLimitExceeded"] * 3
        assert all("TaskId" not in r.json()["Response"] for r in refused)
        sse = call(srv, SSE, {"FileType": "PDF", "FileBase64": b64(make_pdf(1))})
        assert error_code(sse) == "RequestLimitExceeded"
        health = httpx.get(srv.url + "/healthz").json()
        assert health == {"status": "ok", "queued": 1, "running": 1, "workers": 1, "queue_size": 1}
        polled = call(srv, GET, {"TaskId": queued}).json()["Response"]
        assert "Error" not in polled and polled["Status"] == "WaitExecute"
        final = wait_for(lambda: _final_result(srv, queued), timeout=60)
        assert final["Status"] == "Success" and "Error" not in final
        assert httpx.get(srv.url + "/healthz").json()["queued"] == 0


def _final_result(srv: Server, task_id: str) -> dict[str, Any] | None:
    body: dict[str, Any] = call(srv, GET, {"TaskId": task_id}).json()["Response"]
    return body if body["Status"] in ("Success", "Failed") else None


def test_restart_runs_unfinished_tasks_again(tmp_path: Path, big_pdf: str) -> None:
    """Issue 13: a task left running (or queued) by a stopped server runs again at the next start."""
    with run_server(tmp_path) as srv:
        creds = {"secret_id": srv.secret_id, "secret_key": srv.secret_key}
        task_id = call(srv, FLOW, {"FileType": "PDF", "FileBase64": big_pdf}).json()["Response"]["TaskId"]
        wait_for(lambda: task_state(srv, task_id) == "running")
    db = sqlite3.connect(tmp_path / "tasks.sqlite3")  # simulate a crash: a task left "running"
    with db:
        db.execute("UPDATE tasks SET state='running', finished=NULL WHERE task_id=?", (task_id,))
    db.close()
    with run_server(tmp_path) as srv:
        wait_for(lambda: task_state(srv, task_id) == "succeeded", timeout=60)
        assert call(srv, GET, {"TaskId": task_id}, **creds).json()["Response"]["Status"] == "Success"
        kinds = [ev.kind.value for ev in srv.services.store.events(task_id)]
        assert kinds.count("done") == 1 and "failed" not in kinds


def test_result_link_signature_and_expiry(server: Server) -> None:
    evs = sse_events(call(server, SSE, {"FileType": "TXT", "FileBase64": b64(b"expiring\n")}))
    url = evs[-1]["DocumentRecognizeResultUrl"]
    assert httpx.get(url).status_code == 200
    bad = httpx.get(url[:-4] + "0000")
    assert bad.status_code == 403 and bad.headers["content-type"] == "application/xml"
    assert "<Code>AccessDenied</Code>" in bad.text
    name = url.split("/results/")[1].split("?")[0]
    past = int(time.time()) - 1
    expired = httpx.get(url.split("?")[0] + f"?expires={past}&sig={server.services.sign(name, past)}")
    assert expired.status_code == 403
    task_id = evs[-1]["TaskId"]
    asyncio.run(server.services.sweep(now=time.time() + server.services.settings.retention.result_ttl + 1))
    assert httpx.get(url).status_code == 404
    assert error_code(call(server, GET, {"TaskId": task_id})) == "ResourceNotFound"
