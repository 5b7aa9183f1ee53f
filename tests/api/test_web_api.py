"""The endpoints the web page uses (docrecon.api.web, docrecon.api.ask), over a real server:
bearer tokens, the page view (pages, blocks, page images), file_url tasks, /v1/ask, the page at
``/`` and Swagger/ReDoc on local assets."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import Server, make_pdf, run_server
from fileserver import file_server
from PIL import Image

from docrecon.state.tokens import TokenSigner


def key_auth(srv: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {srv.secret_id}:{srv.secret_key}"}


def token(srv: Server, **extra: Any) -> httpx.Response:
    return httpx.post(srv.url + "/v1/tokens", json={"secret_id": srv.secret_id, "secret_key": srv.secret_key, **extra})


def bearer(srv: Server) -> dict[str, str]:
    resp = token(srv)
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['token']}"}


def wait(srv: Server, task_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.time() + 30
    while time.time() < deadline:
        status: dict[str, Any] = httpx.get(f"{srv.url}/v1/tasks/{task_id}", headers=headers).json()
        if status["state"] in ("succeeded", "failed", "cancelled"):
            return status
        time.sleep(0.1)
    raise AssertionError("task did not finish")


@pytest.fixture(scope="module")
def viewed(server: Server) -> tuple[str, dict[str, str]]:
    """A two-page PDF task submitted with view=true, finished."""
    headers = bearer(server)
    resp = httpx.post(server.url + "/v1/tasks", headers=headers, data={"view": "true"},
                      files={"file": ("memo.pdf", make_pdf(2, "Budget memo"), "application/pdf")})
    assert resp.status_code == 202, resp.text
    assert wait(server, resp.json()["task_id"], headers)["state"] == "succeeded"
    return resp.json()["task_id"], headers


def test_token_works_on_the_native_api(server: Server) -> None:
    resp = token(server, ttl=600)
    body = resp.json()
    assert body["token_type"] == "Bearer" and body["token"].startswith("dr1." + server.secret_id + ".")
    assert abs(body["expires"] - (time.time() + 600)) < 5
    headers = {"Authorization": f"Bearer {body['token']}"}
    created = httpx.post(server.url + "/v1/tasks", headers=headers, files={"file": ("a.pdf", make_pdf(1))})
    assert created.status_code == 202
    # the same task is visible with the key itself: the token acts for its key
    assert httpx.get(f"{server.url}/v1/tasks/{created.json()['task_id']}", headers=key_auth(server)).status_code == 200


def test_wrong_secret_gets_no_token(server: Server) -> None:
    resp = httpx.post(server.url + "/v1/tokens", json={"secret_id": server.secret_id, "secret_key": "nope"})
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unknown_secret_id"


@pytest.mark.parametrize("mangle", ["tamper", "expired", "foreign"])
def test_bad_tokens_are_refused(server: Server, mangle: str) -> None:
    good = token(server).json()["token"]
    if mangle == "tamper":
        bad = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    elif mangle == "expired":
        bad = server.services.tokens.issue(server.secret_id, 60, now=time.time() - 3600).token
    else:  # signed with another server's secret
        bad = TokenSigner(b"x" * 32).issue(server.secret_id).token
    resp = httpx.get(server.url + "/v1/tasks/none", headers={"Authorization": f"Bearer {bad}"})
    assert resp.status_code == 401
    assert resp.json()["error"] == {
        "code": "token_invalid", "api_code": "AuthFailure.TokenFailure",
        "message": "the token is invalid or expired; sign in again",
    }


def test_revoked_key_stops_its_tokens(tmp_path: Path) -> None:
    with run_server(tmp_path) as srv:
        headers = bearer(srv)
        assert httpx.get(srv.url + "/v1/tasks/none", headers=headers).status_code == 404
        srv.services.keys.revoke(srv.secret_id)
        assert httpx.get(srv.url + "/v1/tasks/none", headers=headers).status_code == 401


def test_pages_blocks_and_images(server: Server, viewed: tuple[str, dict[str, str]]) -> None:
    task_id, headers = viewed
    pages = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages", headers=headers).json()
    assert pages["images"] is True and [p["number"] for p in pages["pages"]] == [1, 2]
    first = pages["pages"][0]
    assert first["failed"] is False and first["blocks"] >= 1
    blocks = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages/1/blocks", headers=headers).json()
    assert len(blocks["blocks"]) == first["blocks"]
    texts = [b["text"] for b in blocks["blocks"]]
    assert any("Budget memo page 1" in t for t in texts)
    for b in blocks["blocks"]:
        x0, y0, x1, y1 = b["bbox"]
        assert 0 <= x0 < x1 <= blocks["width"] and 0 <= y0 < y1 <= blocks["height"] and b["id"].startswith("p1/")
    img = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages/2/image?width=300", headers=headers)
    assert img.status_code == 200 and img.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(img.content)) as im:
        assert im.width == 300 and abs(im.height - 300 * first["height"] / first["width"]) <= 1
    missing = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages/3/blocks", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    too_wide = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages/1/image?width=99999", headers=headers)
    assert too_wide.status_code == 400


def test_view_needs_view_true(server: Server) -> None:
    headers = key_auth(server)
    resp = httpx.post(server.url + "/v1/tasks", headers=headers, files={"file": ("plain.pdf", make_pdf(1))})
    task_id = resp.json()["task_id"]
    wait(server, task_id, headers)
    resp = httpx.get(f"{server.url}/v1/tasks/{task_id}/pages", headers=headers)
    assert resp.status_code == 404 and "view=true" in resp.json()["error"]["message"]


def test_other_keys_see_no_view(server: Server, viewed: tuple[str, dict[str, str]]) -> None:
    task_id, _ = viewed
    other = server.services.keys.create("other").key
    headers = {"Authorization": f"Bearer {other.secret_id}:{other.secret_key}"}
    for path in ("pages", "pages/1/blocks", "pages/1/image"):
        assert httpx.get(f"{server.url}/v1/tasks/{task_id}/{path}", headers=headers).status_code == 404


def test_ask_streams_an_answer_with_citations(server: Server, viewed: tuple[str, dict[str, str]]) -> None:
    task_id, headers = viewed
    body = {"task_ids": [task_id], "question": "Which memo is on page 2?"}
    resp = httpx.post(server.url + "/v1/ask", headers=headers, json=body, timeout=30)
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/event-stream"
    events = re.findall(r"event: (\w+)\ndata: (.*)\n\n", resp.text)
    kinds = [k for k, _ in events]
    assert kinds[-1] == "answer" and set(kinds) <= {"delta", "answer"}
    answer = json.loads(events[-1][1])
    assert "Budget memo" in answer["text"]
    cite = answer["citations"][0]
    assert cite["task_id"] == task_id and cite["page"] in (1, 2) and cite["block_id"].startswith(f"p{cite['page']}/")
    assert len(cite["bbox"]) == 4


def test_ask_about_an_unknown_task(server: Server) -> None:
    resp = httpx.post(server.url + "/v1/ask", headers=key_auth(server), json={"task_ids": ["nope"], "question": "x"})
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_task_from_file_url(tmp_path: Path) -> None:
    with file_server({"/report.pdf": make_pdf(2)}) as port:
        with run_server(tmp_path, fetch={"allow": [f"127.0.0.1:{port}"]}) as srv:
            headers = key_auth(srv)
            url = f"http://127.0.0.1:{port}/report.pdf"
            resp = httpx.post(srv.url + "/v1/tasks", headers=headers, data={"file_url": url}, timeout=30)
            assert resp.status_code == 202, resp.text
            status = wait(srv, resp.json()["task_id"], headers)
            assert status["state"] == "succeeded" and status["pages_total"] == 2
            assert status["file_name"] == "report.pdf"
            missing = httpx.post(srv.url + "/v1/tasks", headers=headers, data={"ocr": "auto"})
            assert missing.status_code == 400 and missing.json()["error"]["code"] == "missing_parameter"


def test_recent_tasks_of_the_caller(tmp_path: Path) -> None:
    with run_server(tmp_path) as srv:
        headers = bearer(srv)
        ids = []
        for n in range(3):
            created = httpx.post(srv.url + "/v1/tasks", headers=headers, files={"file": (f"{n}.pdf", make_pdf(1))})
            ids.append(created.json()["task_id"])
        listed = httpx.get(srv.url + "/v1/tasks?limit=2", headers=headers).json()["tasks"]
        assert [t["task_id"] for t in listed] == ids[:0:-1]
        assert {"state", "progress", "pages_total", "file_name", "events_url"} <= set(listed[0])
        other = srv.services.keys.create("other").key
        theirs = {"Authorization": f"Bearer {other.secret_id}:{other.secret_key}"}
        assert httpx.get(srv.url + "/v1/tasks", headers=theirs).json() == {"tasks": []}


def test_native_events_carry_page_counts(server: Server, viewed: tuple[str, dict[str, str]]) -> None:
    task_id, headers = viewed
    text = httpx.get(f"{server.url}/v1/tasks/{task_id}/events", headers=headers, timeout=30).text
    data = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert data[-1]["PagesTotal"] == 2 and data[-1]["PagesDone"] == 2


def test_page_and_docs_are_local(server: Server) -> None:
    index = httpx.get(server.url + "/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    for path in ("/", "/docs", "/redoc"):
        html = httpx.get(server.url + path).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)
        assert urls, path
        for url in urls:
            if url.startswith("data:"):
                continue
            assert url.startswith("/"), (path, url)
            assert httpx.get(server.url + url).status_code == 200, (path, url)
    redoc = httpx.get(server.url + "/docs-assets/redoc.js").text
    assert "cdn.redoc.ly" not in redoc
    paths = httpx.get(server.url + "/openapi.json").json()["paths"]
    for p in ("/v1/tokens", "/v1/tasks/{task_id}/pages", "/v1/tasks/{task_id}/pages/{number}/blocks",
              "/v1/tasks/{task_id}/pages/{number}/image", "/v1/ask"):
        assert p in paths, p
