"""Real Chromium (the Debian ``chromium`` package, driven by Playwright; no browser download)
against a real uvicorn server with a key. Any console error or page error fails the test."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from apiserver import Server, run_server  # noqa: E402
from fileserver import file_server  # noqa: E402
from pagewatch import CHROMIUM, DESKTOP, Console  # noqa: E402
from playwright.sync_api import Browser, Page, Playwright, sync_playwright  # noqa: E402
from webdocs import report_pdf  # noqa: E402

for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)


@pytest.fixture(scope="package")
def remote() -> Iterator[str]:
    """A loopback file server holding ``/remote.pdf``; its base URL (allowed for file_url)."""
    with file_server({"/remote.pdf": report_pdf()}) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory, remote: str) -> Iterator[Server]:
    allow = remote.removeprefix("http://")
    with run_server(Path(tmp_path_factory.mktemp("websrv")), fetch={"allow": [allow]}) as srv:
        yield srv


@pytest.fixture
def server(live: Server) -> Server:
    """The shared server with a key of this test's own (its task list starts empty)."""
    created = live.services.keys.create("web").key
    return replace(live, secret_id=created.secret_id, secret_key=created.secret_key)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; scripts/setup.sh installs it)")
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    yield b
    b.close()


@pytest.fixture(scope="package")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(tmp_path_factory.mktemp("screenshots"))
    print(f"\nscreenshots: {path}")
    return path


@pytest.fixture
def console() -> dict[str, Console]:
    return {}


@pytest.fixture
def page(browser: Browser, server: Server, console: dict[str, Console]) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=server.url, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    console["page"] = watcher = Console(pg)
    yield pg
    context.close()
    watcher.check()
