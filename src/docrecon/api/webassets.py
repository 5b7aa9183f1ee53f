"""Where the web page's files are (``docrecon/web``, in the wheel) and the response for ``GET /``."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def index_page() -> FileResponse:
    """The page at ``/``: one HTML file that loads one stylesheet and one JS module."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
