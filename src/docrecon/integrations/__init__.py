"""Loaders for RAG frameworks, each behind its optional extra.

- :mod:`docrecon.integrations.langchain`: ``DocreconLoader``, a langchain-core ``BaseLoader``
  (extra ``langchain``);
- :mod:`docrecon.integrations.llamaindex`: ``DocreconReader``, a llama-index-core ``BaseReader``
  (extra ``llamaindex``).

Both yield one document per chunk (:func:`docrecon.chunk`) or per page, with the metadata of
:func:`docrecon.integrations.records.chunk_metadata` / ``page_metadata``.
"""
