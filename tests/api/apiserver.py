"""A real uvicorn server on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import base64
import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from docrecon.api.app import create_app
from docrecon.api.services import Services
from docrecon.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    host: str
    services: Services
    secret_id: str
    secret_key: str

    @property
    def url(self) -> str:
        return f"http://{self.host}"


@contextmanager
def run_server(data_dir: Path, **overrides: Any) -> Iterator[Server]:
    port = free_port()
    settings = Settings(data_dir=data_dir, **overrides)
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    services: Services = app.state.services
    created = services.keys.create("test")
    try:
        yield Server(f"127.0.0.1:{port}", services, created.key.secret_id, created.key.secret_key)
    finally:
        server.should_exit = True
        thread.join(30)


def make_pdf(pages: int = 1, text: str = "Hello docrecon") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 720, f"{text} page {p + 1}")
        c.drawString(72, 700, "A paragraph of body text for the parser.")
        c.showPage()
    c.save()
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
