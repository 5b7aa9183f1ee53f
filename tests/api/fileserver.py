"""A loopback HTTP file server for FileUrl tests (the only place downloads may go)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def file_server(routes: dict[str, bytes], redirects: dict[str, str] | None = None) -> Iterator[int]:
    """Serve ``routes`` (path -> body) and ``redirects`` (path -> Location); yields the port.
    ``/big.txt`` streams 11 MB without a Content-Length."""
    redirects = redirects or {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.end_headers()
            elif self.path == "/big.txt":
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(11 * 16):
                    self.wfile.write(b"x" * 65536)
            elif self.path in routes:
                body = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()
