"""The service on PostgreSQL (``DOCRECON_DATABASE_URL``): keys, tasks and their event logs, COS
uploads, apps and session documents all live in the database, none in SQLite files."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import psycopg
from apiserver import b64, make_pdf, run_server
from click.testing import CliRunner
from lkeclient import SESSION, parsed_doc, sse_events
from pgserver import pg_schema_url, pg_url  # noqa: F401 - the real PostgreSQL server fixtures
from signing import call
from signing import sse_events as tc_sse_events

from docrecon.cli import main as cli


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_service_keeps_its_state_in_postgres(tmp_path: Path, pg_schema_url: str) -> None:  # noqa: F811
    with run_server(tmp_path, database_url=pg_schema_url, runner={"kind": "inline"}) as srv:
        events = tc_sse_events(call(srv, "ReconstructDocumentSSE", {"FileType": "PDF", "FileBase64": b64(make_pdf(2))}))
        assert events[-1]["Progress"] == "100" and events[-1]["DocumentRecognizeResultUrl"]
        task_id = call(srv, "CreateReconstructDocumentFlow", {"FileType": "PDF", "FileBase64": b64(make_pdf(1))})
        flow_id = task_id.json()["Response"]["TaskId"]
        deadline = time.monotonic() + 60
        while (status := call(srv, "GetReconstructDocumentResult", {"TaskId": flow_id}).json()["Response"])[
            "Status"
        ] not in ("Success", "Failed"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert status["Status"] == "Success" and status["DocumentRecognizeResultUrl"]
        created = srv.services.apps.create("pg")
        doc_id = parsed_doc(srv, created.app.app_id, created.bot_app_key, make_pdf(1, "Lisbon has 42 engineers"))
        body = {"session_id": SESSION, "bot_app_key": created.bot_app_key, "content": "How many engineers in Lisbon?"}
        replies = [e["payload"]["content"] for n, e in sse_events(srv, "/v1/qbot/chat/sse", body) if n == "reply"]
        assert "42 engineers" in replies[-1]
        session_doc = srv.services.sessions.get(doc_id)
        assert session_doc is not None and session_doc.state == "ready"
    # rows are in PostgreSQL: 3 tasks (SSE, flow, docParse) with their logs, the key, the app ...
    assert _count(pg_schema_url, "tasks") == 3 and _count(pg_schema_url, "events") >= 9
    assert _count(pg_schema_url, "api_keys") == 1 and _count(pg_schema_url, "apps") == 1
    assert _count(pg_schema_url, "session_docs") == 1 and _count(pg_schema_url, "cos_objects") == 1
    assert _count(pg_schema_url, "cos_credentials") == 1
    assert _count(pg_schema_url, "qa_chunks") >= 1
    # ... and no store wrote a SQLite file, the Q&A index neither
    assert list(tmp_path.glob("*.sqlite3")) == []
    # another API process (its own data_dir, the shared server.key) answers over that document
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(tmp_path / "server.key", other / "server.key")
    with run_server(other, database_url=pg_schema_url, runner={"kind": "inline"}) as srv:
        replies = [e["payload"]["content"] for n, e in sse_events(srv, "/v1/qbot/chat/sse", body) if n == "reply"]
        assert "42 engineers" in replies[-1]
    assert list(other.glob("*.sqlite3")) == []
    # and so does `docrecon ask --session` on the database
    args = ["ask", "--session", SESSION, "--app-key", created.bot_app_key, "--data-dir", str(other), "--json"]
    result = CliRunner().invoke(
        cli, [*args, "-q", "How many engineers in Lisbon?"], env={"DOCRECON_DATABASE_URL": pg_schema_url}
    )
    assert result.exit_code == 0, result.output
    assert "42 engineers" in json.loads(result.output)["answer"]
