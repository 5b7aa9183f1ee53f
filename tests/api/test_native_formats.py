"""GET /v1/tasks/{id}/result?format=html|text: members of the result zip."""

from __future__ import annotations

import io
import time
import zipfile

import httpx
from apiserver import Server, make_pdf


def test_result_as_html_and_text(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.secret_id}:{server.secret_key}"}
    created = httpx.post(server.url + "/v1/tasks", headers=headers, timeout=30,
                         files={"file": ("memo.pdf", make_pdf(2), "application/pdf")})
    task_id = created.json()["task_id"]
    deadline = time.time() + 20
    while httpx.get(f"{server.url}/v1/tasks/{task_id}", headers=headers).json()["state"] in ("queued", "running"):
        assert time.time() < deadline
        time.sleep(0.05)
    zf = zipfile.ZipFile(io.BytesIO(httpx.get(f"{server.url}/v1/tasks/{task_id}/result", headers=headers).content))
    html = httpx.get(f"{server.url}/v1/tasks/{task_id}/result?format=html", headers=headers)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.text == zf.read("memo.html").decode() and html.text.startswith("<!DOCTYPE html>")
    text = httpx.get(f"{server.url}/v1/tasks/{task_id}/result?format=text", headers=headers)
    assert text.headers["content-type"].startswith("text/plain") and text.text == zf.read("memo.txt").decode()
    assert "Hello docrecon page 2" in text.text and "<" not in text.text
