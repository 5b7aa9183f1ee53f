"""``create_app()``: the FastAPI application of ``docrecon serve``.

Routers: the Tencent cloud API front door (``POST /``, actions of :mod:`docrecon.api.lkeap`),
signed result downloads (``/results``), the native REST API (``/v1``), the web page at ``/`` and
OpenAPI at ``/docs`` and ``/redoc`` (:mod:`docrecon.api.web`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from docrecon.api import ask, chat, cloud, docparse, native, results, web
from docrecon.api import lke as _lke  # noqa: F401 - registers the LKE actions
from docrecon.api import lkeap as _lkeap  # noqa: F401 - registers the LKEAP actions
from docrecon.api.errors import native_error_handler, validation_error_handler
from docrecon.api.services import Services
from docrecon.config import Settings
from docrecon.cos.routes import CosDispatch
from docrecon.errors import DocreconError
from docrecon.storage import Storage
from docrecon.tasks import TaskRunner


def create_app(
    settings: Settings | None = None, *, runner: TaskRunner | None = None, storage: Storage | None = None
) -> FastAPI:
    """Build the app; ``runner``/``storage`` replace the configured ones (tests, embedding)."""
    cfg = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services(cfg, runner=runner, storage=storage)
        app.state.services = services
        await services.start()
        try:
            yield
        finally:
            await services.stop()

    app = FastAPI(
        title="docrecon",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by web.mount_web from local assets (no CDN)
        redoc_url=None,
        description="Document parsing service: Tencent LKEAP-compatible API and a native REST API.",
    )
    app.add_exception_handler(DocreconError, native_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_middleware(CosDispatch)  # COS requests (spec §3.3) by Host / path
    app.include_router(cloud.router)
    app.include_router(results.router)
    app.include_router(native.router)
    app.include_router(docparse.router)
    app.include_router(chat.router)
    app.include_router(web.router)
    app.include_router(ask.router)
    web.mount_web(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str | int]:
        """Liveness plus the load: queue length, running tasks, workers, queue bound."""
        services: Services = app.state.services
        return {"status": "ok", **services.load()}

    return app
