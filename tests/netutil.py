"""Loopback helpers shared by the tests that run real servers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(app: Any, port: int, lifespan: str = "on", log_level: str = "warning") -> Iterator[None]:
    """A real uvicorn server for ``app`` on 127.0.0.1:``port`` in a thread, until the block ends."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level, lifespan=lifespan)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(30)
