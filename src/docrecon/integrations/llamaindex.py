"""A llama-index-core reader (install the ``llamaindex`` extra)::

    from docrecon.integrations.llamaindex import DocreconReader
    docs = DocreconReader(max_tokens=256).load_data("reports/")
    docs[0].metadata["page"], docs[0].metadata["bbox"], docs[0].metadata["heading_path"]

Each chunk (or page, ``mode="page"``) becomes one ``Document`` whose ``id_`` is the chunk id.
Provenance keys (boxes, block ids, hashes) are excluded from the text that is embedded or shown to
the LLM; ``source``, ``page`` and ``heading_path`` stay in. Metadata keys: see
:mod:`docrecon.integrations.records`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document as LIDocument

from docrecon.integrations.records import BULKY_KEYS, LoadSettings, Mode, PathLike, Record, load_records
from docrecon.options import ParseOptions
from docrecon.renderers.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP, Tokenizer


def _document(r: Record, extra: dict[str, Any] | None) -> LIDocument:
    meta = {**r.metadata, **(extra or {})}
    hidden = [k for k in (*BULKY_KEYS, "headings", "pages", "file_name") if k in meta]
    return LIDocument(
        id_=r.id, text=r.text, metadata=meta, excluded_embed_metadata_keys=hidden, excluded_llm_metadata_keys=hidden
    )


class DocreconReader(BaseReader):
    """Parse files (or folders of them) with docrecon; one LlamaIndex document per chunk or page."""

    def __init__(
        self,
        *,
        mode: Mode = "chunk",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        overlap: int = DEFAULT_OVERLAP,
        tokenizer: Tokenizer | None = None,
        options: ParseOptions | None = None,
    ) -> None:
        self.settings = LoadSettings(mode, max_tokens, overlap, tokenizer, options)

    def lazy_load_data(
        self, file: PathLike | Sequence[PathLike], extra_info: dict[str, Any] | None = None
    ) -> Iterator[LIDocument]:
        for r in load_records(file, self.settings):
            yield _document(r, extra_info)

    def load_data(
        self, file: PathLike | Sequence[PathLike], extra_info: dict[str, Any] | None = None
    ) -> list[LIDocument]:
        return list(self.lazy_load_data(file, extra_info))
