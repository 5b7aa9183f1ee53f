"""Documents built block by block for the Q&A tests: the shared builders of ``tests/docbuild.py``."""

from __future__ import annotations

from docbuild import block, document, handbook, table

__all__ = ["block", "document", "handbook", "table"]
