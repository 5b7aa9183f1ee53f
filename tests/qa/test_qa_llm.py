from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from llmserver import LlmServer, run_llm_server
from netutil import free_port
from qadocs import handbook

from docrecon.config import QaSettings
from docrecon.qa.index import Hit, QaIndex
from docrecon.qa.llm import AnswerDelta, stream_answer

QUESTION = "How many days of paid leave do employees get?"


@pytest.fixture(scope="module")
def llm() -> Iterator[LlmServer]:
    with run_llm_server(free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def hits() -> list[Hit]:
    ix = QaIndex()
    ix.add("hb", handbook(), "handbook.pdf")
    return ix.search(QUESTION, ["hb"], k=3)


def _run(hits: list[Hit], settings: QaSettings, question: str = QUESTION) -> list[AnswerDelta]:
    async def collect() -> list[AnswerDelta]:
        return [d async for d in stream_answer(question, hits, settings)]

    return asyncio.run(collect())


def test_streams_llm_tokens_with_citations(llm: LlmServer, hits: list[Hit]) -> None:
    deltas = _run(hits, QaSettings(base_url=llm.url, model="ok", api_key="sk-test"))
    assert [d.text for d in deltas[:-1]] == ["Employees get ", "25 days ", "of paid leave", " [1]."]
    assert all(d.source == "llm" for d in deltas)
    final = deltas[-1]
    assert final.final and final.text == "" and len(final.citations) == len(hits)
    assert final.citations[0].page == 1 and "25 days" in final.citations[0].quote
    request = llm.requests[-1]
    assert request["authorization"] == "Bearer sk-test"
    body = request["body"]
    assert body["stream"] is True and body["model"] == "ok"
    user = body["messages"][-1]["content"]
    assert "[1] (handbook.pdf, page 1)" in user and "25 days of paid leave" in user and QUESTION in user
    assert "[n]" in body["messages"][0]["content"]


@pytest.mark.parametrize(("model", "reason"), [("http500", "HTTP 500"), ("cut", ""), ("garbage", "malformed")])
def test_llm_failure_falls_back_to_extractive(llm: LlmServer, hits: list[Hit], model: str, reason: str) -> None:
    deltas = _run(hits, QaSettings(base_url=llm.url, model=model))
    text = "".join(d.text for d in deltas)
    notice = next(d.text for d in deltas if "LLM unavailable" in d.text)
    assert reason in notice and "extractive answer follows" in notice
    assert "Employees get 25 days of paid leave per year. [1]" in text
    final = deltas[-1]
    assert final.final and final.source == "extractive" and final.citations[0].block_id == "p1/b3"


def test_llm_not_running_falls_back(hits: list[Hit]) -> None:
    settings = QaSettings(base_url=f"http://127.0.0.1:{free_port()}/v1", model="x", connect_timeout=2)
    deltas = _run(hits, settings)
    assert "LLM unavailable: ConnectError" in deltas[0].text
    assert deltas[-1].final and deltas[-1].citations


def test_without_llm_yields_extractive(hits: list[Hit]) -> None:
    deltas = _run(hits, QaSettings())
    assert deltas[0].text.startswith("Employees get 25 days") and deltas[-1].final
    assert all(d.source == "extractive" for d in deltas)
    none = _run([], QaSettings(base_url="http://127.0.0.1:9/v1"))
    assert none[0].text == "No answer found in the session's documents." and none[-1].citations == []


def test_llm_gets_the_chosen_spans_and_headings(llm: LlmServer) -> None:
    ix = QaIndex()
    ix.add("hb", handbook(), "handbook.pdf")
    q = "How many staff work in Lyon?"
    hits = ix.search(q, ["hb"], k=3)
    deltas = _run(hits, QaSettings(base_url=llm.url, model="ok"), q)
    user = llm.requests[-1]["body"]["messages"][-1]["content"]
    assert "Section: Employee Handbook > Offices" in user
    assert "Best match (cell): Lyon — Staff: 45; Opened: 2015" in user
    cite = deltas[-1].citations[0]  # [1] is cited at the span the LLM was shown
    assert cite.block_id == "p2/b3" and cite.quote == "Lyon — Staff: 45; Opened: 2015"
