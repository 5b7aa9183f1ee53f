"""A langchain-core document loader (install the ``langchain`` extra)::

    from docrecon.integrations.langchain import DocreconLoader
    docs = DocreconLoader("reports/", mode="chunk", max_tokens=256).load()
    docs[0].metadata["page"], docs[0].metadata["bbox"], docs[0].metadata["heading_path"]

Metadata keys: see :mod:`docrecon.integrations.records`. Lists and dicts are kept; for a vector
store that takes only scalars (Chroma), pass the documents through
``langchain_community.vectorstores.utils.filter_complex_metadata``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document as LCDocument

from docrecon.integrations.records import LoadSettings, Mode, PathLike, load_records
from docrecon.options import ParseOptions
from docrecon.renderers.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP, Tokenizer


class DocreconLoader(BaseLoader):
    """Parse files (or folders of them) with docrecon; one LangChain document per chunk or page."""

    def __init__(
        self,
        file_path: PathLike | Sequence[PathLike],
        *,
        mode: Mode = "chunk",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        overlap: int = DEFAULT_OVERLAP,
        tokenizer: Tokenizer | None = None,
        options: ParseOptions | None = None,
    ) -> None:
        self.file_path = file_path
        self.settings = LoadSettings(mode, max_tokens, overlap, tokenizer, options)

    def lazy_load(self) -> Iterator[LCDocument]:
        for r in load_records(self.file_path, self.settings):
            yield LCDocument(page_content=r.text, metadata=r.metadata, id=r.id)

