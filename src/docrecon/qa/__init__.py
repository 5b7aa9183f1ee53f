"""Knowledge Q&A over parsed documents: structure-aware chunks, a BM25 index (SQLite FTS5 + jieba),
an answer stage (question typing; sentences, table cells, ``label: value`` fields, headings and
front matter as candidate spans) giving extractive answers with citations; LLM answers in
:mod:`docrecon.qa.llm` (needs httpx)."""

from docrecon.qa.answer import Answer, Citation, extractive_answer
from docrecon.qa.chunks import Chunk, chunk_document
from docrecon.qa.index import Hit, QaIndex

__all__ = ["Answer", "Chunk", "Citation", "Hit", "QaIndex", "chunk_document", "extractive_answer"]
