"""A real uvicorn server on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netutil import free_port, serve_in_thread

from docrecon.api.app import create_app
from docrecon.api.services import Services
from docrecon.config import Settings


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
    with serve_in_thread(app, port):
        services: Services = app.state.services
        created = services.keys.create("test")
        yield Server(f"127.0.0.1:{port}", services, created.key.secret_id, created.key.secret_key)


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
