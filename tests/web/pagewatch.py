"""Window sizes and the console watcher of the web page tests (imported by conftest and tests)."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


class Console:
    """Console errors and uncaught page errors seen by a page.

    Chromium itself logs every HTTP error response of a ``fetch()`` as a console error ("Failed
    to load resource: the server responded with a status of 415"). A test that makes the service
    refuse something on purpose declares that status with :meth:`expect_refusal`; such lines are
    then counted as refusals (and must occur), every other console error fails the test.
    """

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.expected: set[int] = set()
        self.refusals: list[int] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def expect_refusal(self, status: int) -> None:
        self.expected.add(status)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        for status in self.expected:
            if msg.text.startswith(f"Failed to load resource: the server responded with a status of {status} "):
                self.refusals.append(status)
                return
        self.errors.append(f"console: {msg.text} at {msg.location}")

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.expected <= set(self.refusals), f"expected refusals {self.expected}, saw {self.refusals}"
