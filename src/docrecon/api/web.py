"""What the web page at ``/`` needs on top of the native API: the page itself and its assets,
Swagger UI and ReDoc served from local files, bearer tokens (``POST /v1/tokens``), and the page
view of a task submitted with ``view=true`` (page list, blocks of a page, page images).

The token scheme is in :mod:`docrecon.state.tokens`; :func:`docrecon.api.native.native_key`
accepts the tokens on every ``/v1`` endpoint.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from docrecon.api.native import Key, _own, services_of
from docrecon.api.services import Services, view_keys
from docrecon.api.webassets import WEB_DIR
from docrecon.errors import NotFound, UnknownSecretId
from docrecon.preview import MAX_WIDTH, MIN_WIDTH, page_png
from docrecon.readers.formats import IMAGE_FORMATS, Format, parse_format
from docrecon.state.tokens import DEFAULT_TTL, MAX_TTL
from docrecon.storage import read_all
from docrecon.tasks import JobState, TaskRecord

DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
DOCS_PREFIX = "/docs-assets"
#: the one remote URL in the ReDoc bundle (the "API docs by Redocly" logo), served locally instead
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

router = APIRouter(prefix="/v1", tags=["web"])


class TokenRequest(BaseModel):
    secret_id: str = Field(min_length=1, max_length=128)
    secret_key: str = Field(min_length=1, max_length=256)
    ttl: int = Field(DEFAULT_TTL, ge=60, le=MAX_TTL, description="lifetime in seconds")


class TokenResponse(BaseModel):
    token: str
    token_type: str = "Bearer"
    expires: int = Field(description="Unix time the token stops working")
    key_name: str


@router.post("/tokens", summary="Exchange an API key for a short-lived bearer token", response_model=TokenResponse)
async def create_token(request: Request, body: TokenRequest) -> TokenResponse:
    services = services_of(request)
    services.limiter.check(body.secret_id)
    key = services.keys.active(body.secret_id)
    if key is None or not hmac.compare_digest(key.secret_key, body.secret_key):
        raise UnknownSecretId("unknown, revoked or expired key, or a wrong secret")
    issued = services.tokens.issue(key.secret_id, body.ttl)
    return TokenResponse(token=issued.token, expires=issued.expires, key_name=key.name)


class _Documents:
    """The last few document models read, by task id (they never change once written)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.items: OrderedDict[str, dict[str, Any]] = OrderedDict()

    async def get(self, services: Services, rec: TaskRecord) -> dict[str, Any]:
        if rec.task_id in self.items:
            self.items.move_to_end(rec.task_id)
            return self.items[rec.task_id]
        if rec.state is not JobState.SUCCEEDED:
            raise NotFound(f"task {rec.task_id} has no result yet ({rec.state.value})")
        key = view_keys(rec.task_id)[1]
        try:
            raw = await asyncio.to_thread(read_all, services.storage, key)
        except NotFound:
            raise NotFound(f"task {rec.task_id} was not submitted with view=true, or its view expired") from None
        doc: dict[str, Any] = json.loads(raw)
        self.items[rec.task_id] = doc
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return doc


documents = _Documents()


def _page_info(doc: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    failed = {f["number"]: f["error"] for f in doc.get("failed_pages", [])}
    return {
        "number": page["number"],
        "width": page["width"],
        "height": page["height"],
        "failed": page["number"] in failed,
        "error": failed.get(page["number"]),
        "blocks": len(page["blocks"]),
    }


def _find_page(doc: dict[str, Any], number: int) -> dict[str, Any]:
    for page in doc["pages"]:
        if page["number"] == number:
            return page  # type: ignore[no-any-return]
    raise NotFound(f"the result has no page {number}")


@router.get("/tasks/{task_id}/pages", summary="Pages of a parsed task (sizes in points, failed pages)")
async def task_pages(request: Request, key: Key, task_id: str) -> JSONResponse:
    services = services_of(request)
    rec = _own(services, key, task_id)
    doc = await documents.get(services, rec)
    return JSONResponse({
        "task_id": rec.task_id,
        "file_name": rec.name,
        "images": _has_images(rec.file_type),
        "pages": [_page_info(doc, p) for p in doc["pages"]],
    })


def _has_images(file_type: str) -> bool:
    fmt = parse_format(file_type)
    return fmt is Format.PDF or fmt in IMAGE_FORMATS


@router.get("/tasks/{task_id}/pages/{number}/blocks", summary="Blocks of one page with their boxes (points)")
async def page_blocks(request: Request, key: Key, task_id: str, number: int) -> JSONResponse:
    services = services_of(request)
    rec = _own(services, key, task_id)
    doc = await documents.get(services, rec)
    page = _find_page(doc, number)
    return JSONResponse({**_page_info(doc, page), "blocks": page["blocks"]})


Width = Annotated[int, Query(ge=MIN_WIDTH, le=MAX_WIDTH, description="image width in pixels")]


@router.get(
    "/tasks/{task_id}/pages/{number}/image",
    summary="One page rendered as PNG at the given width (PDF and image sources)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def page_image(request: Request, key: Key, task_id: str, number: int, width: Width = 800) -> Response:
    services = services_of(request)
    rec = _own(services, key, task_id)
    await documents.get(services, rec)  # only views of finished tasks
    fmt = parse_format(rec.file_type)
    if fmt is None:
        raise NotFound(f"{rec.file_type} documents have no page images")
    source = view_keys(rec.task_id)[0]
    data = await asyncio.to_thread(read_all, services.storage, source)
    png = await asyncio.to_thread(page_png, data, fmt, number, width)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


def mount_web(app: FastAPI) -> None:
    """``/web/*`` (the page's assets; ``GET /`` is :func:`docrecon.api.cloud.cloud_get`), and
    ``/docs`` and ``/redoc`` on local assets."""
    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")
    redoc_js: list[bytes] = []

    @app.get(f"{DOCS_PREFIX}/redoc.js", include_in_schema=False)
    async def redoc_bundle() -> Response:
        """ReDoc's bundle with its logo pointed at a local file (no request leaves the server)."""
        if not redoc_js:
            text = (DOCS_ASSETS / "redoc.standalone.js").read_text(encoding="utf-8")
            redoc_js.append(text.replace(REDOC_LOGO, f"{DOCS_PREFIX}/favicon.png").encode("utf-8"))
        return Response(redoc_js[0], media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount(DOCS_PREFIX, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(DOCS_ASSETS / "favicon.png", media_type="image/png")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{DOCS_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_PREFIX}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{DOCS_PREFIX}/redoc.js",
            redoc_favicon_url=f"{DOCS_PREFIX}/favicon.png",
            with_google_fonts=False,
        )
