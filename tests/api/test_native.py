"""The native REST API: multipart upload + SSE, tasks with resumable events, OpenAPI docs."""

from __future__ import annotations

import io
import json
import time
import zipfile

import httpx
from apiserver import Server, make_pdf
from pdfgen import encrypted_pdf


def auth(srv: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {srv.secret_id}:{srv.secret_key}"}


def parse_events(text: str) -> list[tuple[str | None, dict[str, object]]]:
    out = []
    for block in text.split("\n\n")[:-1]:
        event_id, data = None, None
        for line in block.split("\n"):
            if line.startswith("id: "):
                event_id = line[4:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        assert data is not None
        out.append((event_id, data))
    return out


def test_parse_stream(server: Server) -> None:
    resp = httpx.post(
        server.url + "/v1/parse",
        headers=auth(server),
        timeout=30,
        files={"file": ("memo.pdf", make_pdf(2), "application/pdf")},
        data={"config": json.dumps({"ResultType": "0"})},
    )
    assert resp.headers["content-type"] == "text/event-stream"
    events = parse_events(resp.text)
    assert events[0][1]["Progress"] == "0" and events[-1][1]["ResponseType"] == "TASK_RSP"
    url = str(events[-1][1]["DocumentRecognizeResultUrl"])
    names = zipfile.ZipFile(io.BytesIO(httpx.get(url).content)).namelist()
    assert "memo.md" in names and "memo.json" not in names


def test_long_parse_stream_progress_never_repeats(server: Server) -> None:
    resp = httpx.post(
        server.url + "/v1/parse", headers=auth(server), timeout=60,
        files={"file": ("long.pdf", make_pdf(100), "application/pdf")},
    )
    events = parse_events(resp.text)
    progress = [int(str(data["Progress"])) for _, data in events]
    assert progress[0] == 0 and progress.count(0) == 1 and progress[-1] == 100
    assert all(a < b for a, b in zip(progress, progress[1:], strict=False))


def test_parse_errors_are_json(server: Server) -> None:
    resp = httpx.post(
        server.url + "/v1/parse",
        headers=auth(server),
        files={"file": ("memo.docx", make_pdf(1), "application/octet-stream")},
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["api_code"] == "InvalidParameter.InvalidFileFormat"
    resp = httpx.post(server.url + "/v1/parse", files={"file": ("memo.pdf", make_pdf(1), "application/pdf")})
    assert resp.status_code == 401


def test_tasks_status_events_resume_result(server: Server) -> None:
    created = httpx.post(
        server.url + "/v1/tasks",
        headers=auth(server),
        timeout=30,
        files={"file": ("report.pdf", make_pdf(3), "application/pdf")},
    )
    assert created.status_code == 202
    task_id = created.json()["task_id"]
    deadline = time.time() + 20
    while (status := httpx.get(f"{server.url}/v1/tasks/{task_id}", headers=auth(server)).json())["state"] in (
        "queued",
        "running",
    ):
        assert time.time() < deadline
        time.sleep(0.05)
    assert status["state"] == "succeeded" and status["success_pages"] == 3 and status["progress"] == 100
    events = parse_events(httpx.get(f"{server.url}/v1/tasks/{task_id}/events", headers=auth(server)).text)
    ids = [int(i) for i, _ in events if i is not None]
    assert ids == list(range(len(ids))) and events[-1][1]["ResponseType"] == "TASK_RSP"
    progress = [int(str(data["Progress"])) for _, data in events]
    assert progress == sorted(progress)  # issue 15: a replay never goes backwards
    resumed = httpx.get(
        f"{server.url}/v1/tasks/{task_id}/events", headers={**auth(server), "Last-Event-ID": "2"}
    )
    resumed_ids = [int(i) for i, _ in parse_events(resumed.text) if i is not None]
    assert resumed_ids == ids[3:]
    result = httpx.get(f"{server.url}/v1/tasks/{task_id}/result", headers=auth(server))
    assert result.status_code == 200 and "report.md" in zipfile.ZipFile(io.BytesIO(result.content)).namelist()
    md = httpx.get(f"{server.url}/v1/tasks/{task_id}/result?format=md", headers=auth(server))
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text == zipfile.ZipFile(io.BytesIO(result.content)).read("report.md").decode()
    jsonl = httpx.get(f"{server.url}/v1/tasks/{task_id}/result?format=jsonl", headers=auth(server))
    assert all(json.loads(line) for line in jsonl.text.splitlines())


def test_other_keys_cannot_see_a_task(server: Server) -> None:
    created = httpx.post(
        server.url + "/v1/tasks", headers=auth(server), files={"file": ("a.txt", b"hello", "text/plain")}
    ).json()
    other = server.services.keys.create("other").key
    resp = httpx.get(
        f"{server.url}/v1/tasks/{created['task_id']}",
        headers={"Authorization": f"Bearer {other.secret_id}:{other.secret_key}"},
    )
    assert resp.status_code == 404


def test_openapi_docs(server: Server) -> None:
    assert httpx.get(server.url + "/docs").status_code == 200
    paths = httpx.get(server.url + "/openapi.json").json()["paths"]
    assert "/v1/parse" in paths and "/v1/tasks/{task_id}/events" in paths


def test_issue15_errors_have_specific_codes_in_one_envelope(server: Server) -> None:
    missing = httpx.post(server.url + "/v1/parse", headers=auth(server), data={"file_type": "PDF"})
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "bad_input" and "file" in missing.json()["error"]["message"]
    unknown = httpx.post(server.url + "/v1/parse", headers=auth(server), files={"file": ("memo.xyz", b"abc")})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (415, "unsupported_format")
    bad_config = httpx.post(
        server.url + "/v1/parse", headers=auth(server),
        files={"file": ("memo.pdf", make_pdf(1), "application/pdf")}, data={"config": "[1]"},
    )
    assert (bad_config.status_code, bad_config.json()["error"]["code"]) == (400, "invalid_option")


def test_issue15_accepted_task_reports_its_file_size(server: Server) -> None:
    pdf = make_pdf(1)
    resp = httpx.post(server.url + "/v1/tasks", headers=auth(server), timeout=30,
                      files={"file": ("memo.pdf", pdf, "application/pdf")})
    assert resp.status_code == 202
    assert resp.json()["file_size"] == len(pdf)


def test_issue15_password_and_ocr_options(server: Server) -> None:
    resp = httpx.post(
        server.url + "/v1/parse", headers=auth(server), timeout=30,
        files={"file": ("locked.pdf", encrypted_pdf("secret"), "application/pdf")},
        data={"password": "secret", "ocr": "off"},
    )
    last = parse_events(resp.text)[-1][1]
    assert last["ResponseType"] == "TASK_RSP" and last.get("DocumentRecognizeResultUrl"), last
    bad = httpx.post(
        server.url + "/v1/parse", headers=auth(server),
        files={"file": ("memo.pdf", make_pdf(1), "application/pdf")}, data={"ocr": "sometimes"},
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_option")


def test_issue15_encrypted_pdf_is_422(server: Server) -> None:
    resp = httpx.post(
        server.url + "/v1/parse", headers=auth(server), timeout=30,
        files={"file": ("locked.pdf", encrypted_pdf("secret"), "application/pdf")},
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "encrypted"
