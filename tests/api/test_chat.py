"""Questions about a chat session's documents over the LKE v1 chat SSE and its JSON twin (spec §3.5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import Server, free_port, run_server
from lkeclient import SESSION, parsed_doc, sse_events
from llmserver import run_llm_server

FACTS = [
    ["Company handbook", "Offices and people", "The handbook describes travel, leave and offices."],
    [
        "Leave policy",
        "Employees receive 25 days of paid annual leave per calendar year.",
        "Unused leave can be carried over until the end of March.",
    ],
    ["Offices", "The Lisbon office opened in 2019 with 42 engineers.", "The Oslo office is the largest."],
]
ZH_MD = (
    "# 差旅制度\n\n员工出差前需要在系统中提交申请，并由直属经理审批。\n\n"
    "## 住宿标准\n\n一线城市的住宿费用上限为每晚六百元，其他城市为每晚四百元。\n\n"
    "## 报销\n\n报销单据须在出差结束后十五个工作日内提交。\n"
).encode()


def handbook_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for lines in FACTS:
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 740, lines[0])
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines[1:]):
            c.drawString(72, 700 - 18 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str, dict[str, str]]]:
    """A server, an app, and a session holding an English PDF and a Chinese Markdown file."""
    with run_server(Path(tmp_path_factory.mktemp("chat"))) as srv:
        created = srv.services.apps.create("chat")
        app_id, key = created.app.app_id, created.bot_app_key
        docs = {
            "pdf": parsed_doc(srv, app_id, key, handbook_pdf()),
            "md": parsed_doc(srv, app_id, key, ZH_MD, file_type="md", name="差旅.md"),
            "other": parsed_doc(srv, app_id, key, handbook_pdf(), session="another-session"),
        }
        yield srv, app_id, key, docs


def ask(srv: Server, key: str, content: str, **extra: Any) -> list[tuple[str, dict[str, Any]]]:
    body = {"session_id": SESSION, "bot_app_key": key, "request_id": "q-1", "content": content, **extra}
    return sse_events(srv, "/v1/qbot/chat/sse", body)


def test_answer_with_citation_streamed(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, key, docs = chat
    events = ask(srv, key, "How many engineers started at the Lisbon office?", streaming_throttle=3)
    names = [n for n, _ in events]
    assert names[0] == "reply" and names[-2:] == ["token_stat", "reference"]
    echo = events[0][1]["payload"]
    assert echo["is_from_self"] and echo["is_final"] and echo["content"].startswith("How many")
    replies = [e["payload"] for n, e in events[1:] if n == "reply"]
    assert len(replies) >= 2 and [r["is_final"] for r in replies] == [False] * (len(replies) - 1) + [True]
    for a, b in zip(replies, replies[1:], strict=False):
        assert b["content"].startswith(a["content"])  # cumulative by default
    answer = replies[-1]["content"]
    assert "42 engineers" in answer and "[1]" in answer
    assert all(r["session_id"] == SESSION and r["request_id"] == "q-1" for r in replies)
    refs = events[-1][1]["payload"]["references"]
    assert refs[0]["doc_id"] == docs["pdf"] and refs[0]["page"] == 3 and refs[0]["block_id"]
    assert len(refs[0]["bbox"]) == 4 and "Lisbon" in refs[0]["quote"]
    stat = events[-2][1]["payload"]
    assert stat["token_count"] > 0 and stat["elapsed"] >= 0


def test_streaming_throttle_sends_an_event_every_n_characters(
    chat: tuple[Server, str, str, dict[str, str]],
) -> None:
    """Spec §3.5.3: a reply every ``streaming_throttle`` new characters, not the whole answer at once
    (the extractive answer arrives in one piece; the stream still cuts it)."""
    srv, _, key, _ = chat
    events = ask(srv, key, "How much paid annual leave do employees get?", streaming_throttle=5)
    replies = [e["payload"] for n, e in events[1:] if n == "reply"]
    whole = replies[-1]["content"]
    assert "25 days" in whole and replies[-1]["is_final"]
    assert [len(r["content"]) for r in replies] == [*range(5, len(whole), 5), len(whole)]
    assert all(whole.startswith(r["content"]) for r in replies)


def test_incremental_pieces_add_up_and_final_holds_the_answer(
    chat: tuple[Server, str, str, dict[str, str]],
) -> None:
    """Spec §3.5.1: with ``incremental`` each reply carries only the new part; the final one (in
    both modes) holds the full answer."""
    srv, _, key, _ = chat
    cumulative = ask(srv, key, "How much paid annual leave do employees get?")
    incremental = ask(srv, key, "How much paid annual leave do employees get?", incremental=True)
    whole = [e["payload"]["content"] for n, e in cumulative[1:] if n == "reply"][-1]
    replies = [e["payload"] for n, e in incremental[1:] if n == "reply"]
    pieces, final = [r["content"] for r in replies[:-1]], replies[-1]
    assert final["is_final"] and not any(r["is_final"] for r in replies[:-1])
    assert final["content"] == whole and "25 days" in whole
    assert "".join(pieces) == whole
    assert all(len(p) == 5 for p in pieces[:-1]) and 1 <= len(pieces[-1]) <= 5


def test_chinese_question(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, key, docs = chat
    events = ask(srv, key, "一线城市住宿每晚最多能报多少钱？", file_infos=[{"doc_id": docs["md"], "file_type": "md"}])
    answer = [e["payload"]["content"] for n, e in events[1:] if n == "reply"][-1]
    assert "六百元" in answer
    assert events[-1][1]["payload"]["references"][0]["doc_id"] == docs["md"]


def test_other_sessions_document_refused(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, key, docs = chat
    events = ask(srv, key, "Lisbon?", file_infos=[{"doc_id": docs["other"]}])
    assert [n for n, _ in events] == ["error"]
    err = events[0][1]["payload"]["error"]
    assert err["code"] == 460004 and "document not in session" in err["message"]
    # ... and never searched: the other session sees only its own document
    other = sse_events(
        srv,
        "/v1/qbot/chat/sse",
        {"session_id": "another-session", "bot_app_key": key, "content": "一线城市住宿每晚最多能报多少钱？"},
    )
    answer = [e["payload"]["content"] for n, e in other[1:] if n == "reply"][-1]
    assert "六百元" not in answer
    assert all(r["doc_id"] == docs["other"] for r in other[-1][1]["payload"]["references"])


def test_other_apps_key_sees_nothing(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, _, docs = chat
    stranger = srv.services.apps.create("stranger").bot_app_key
    events = ask(srv, stranger, "Lisbon?", file_infos=[{"doc_id": docs["pdf"]}])
    assert events[0][1]["payload"]["error"]["code"] == 460004
    resp = httpx.post(
        f"{srv.url}/v1/qbot/chat/answer",
        json={"session_id": SESSION, "bot_app_key": stranger, "content": "How many engineers in Lisbon?"},
    )
    assert resp.status_code == 200 and resp.json()["citations"] == [] and resp.json()["documents"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"bot_app_key": "nope", "session_id": SESSION, "content": "x"}, 460002),
        ({"session_id": "bad id!", "content": "x"}, 460003),
        ({"session_id": SESSION, "content": ""}, 460001),
        ({"session_id": SESSION, "content": "x", "file_infos": "not a list"}, 460001),
        ({"session_id": SESSION, "content": "x" * 5000}, 460001),
    ],
)
def test_bad_requests(chat: tuple[Server, str, str, dict[str, str]], body: dict[str, Any], code: int) -> None:
    srv, _, key, _ = chat
    body = {"bot_app_key": key, **body}
    events = sse_events(srv, "/v1/qbot/chat/sse", body)
    assert [n for n, _ in events] == ["error"] and events[0][1]["payload"]["error"]["code"] == code
    resp = httpx.post(f"{srv.url}/v1/qbot/chat/answer", json=body)
    assert resp.status_code >= 400 and resp.json()["error"]["code"] == code


def test_json_answer(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, key, docs = chat
    resp = httpx.post(
        f"{srv.url}/v1/qbot/chat/answer",
        json={"session_id": SESSION, "bot_app_key": key, "content": "Until when can unused leave be carried over?"},
    )
    assert resp.status_code == 200
    body = resp.json()
    assert "March" in body["answer"] and body["source"] == "extractive"
    assert body["citations"][0]["doc_id"] == docs["pdf"] and body["citations"][0]["page"] == 2
    assert {d["doc_id"] for d in body["documents"]} == {docs["pdf"], docs["md"]}


def test_attachment_without_question(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    srv, _, key, docs = chat
    events = ask(srv, key, "", file_infos=[{"doc_id": docs["pdf"], "file_name": "report.pdf"}])
    answer = [e["payload"]["content"] for n, e in events[1:] if n == "reply"][-1]
    assert "report.pdf" in answer


def test_llm_answer_and_fallback(tmp_path: Path) -> None:
    with run_llm_server(free_port()) as llm, run_server(tmp_path, qa={"base_url": llm.url, "model": "ok"}) as srv:
        created = srv.services.apps.create("llm")
        parsed_doc(srv, created.app.app_id, created.bot_app_key, handbook_pdf())
        events = ask(srv, created.bot_app_key, "How much paid leave do employees get?")
        replies = [e["payload"] for n, e in events[1:] if n == "reply"]
        assert replies[-1]["content"] == "Employees get 25 days of paid leave [1]."
        assert replies[-1]["is_llm_generated"] is True
        assert events[-1][1]["payload"]["answer_source"] == "llm" and events[-1][1]["payload"]["references"]
        prompt = str(llm.requests[-1]["body"]["messages"])
        assert "25 days of paid annual leave" in prompt  # grounded in the retrieved passage
    with (
        run_llm_server(free_port()) as llm,
        run_server(tmp_path / "b", qa={"base_url": llm.url, "model": "http500"}) as srv,
    ):
        created = srv.services.apps.create("llm-down")
        parsed_doc(srv, created.app.app_id, created.bot_app_key, handbook_pdf())
        events = ask(srv, created.bot_app_key, "How much paid leave do employees get?")
        answer = [e["payload"]["content"] for n, e in events[1:] if n == "reply"][-1]
        assert "LLM unavailable" in answer and "25 days" in answer
        assert events[-1][1]["payload"]["answer_source"] == "extractive"


def test_cli_ask_session(chat: tuple[Server, str, str, dict[str, str]]) -> None:
    import json

    from click.testing import CliRunner

    from docrecon.cli import main as cli

    srv, _, key, docs = chat
    data_dir = str(srv.services.settings.data_dir)
    args = ["ask", "--session", SESSION, "--app-key", key, "--data-dir", data_dir, "--json"]
    result = CliRunner().invoke(cli, [*args, "-q", "How many engineers does the Lisbon office have?"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert "42 engineers" in out["answer"] and out["citations"][0]["doc_id"] == docs["pdf"]
    bad = CliRunner().invoke(cli, ["ask", "--session", SESSION, "--app-key", "nope", "--data-dir", data_dir, "-q", "x"])
    assert bad.exit_code != 0 and "invalid --app-key" in bad.output
