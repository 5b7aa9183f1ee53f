"""The web page at ``/`` in real Chromium: sign-in, upload, live progress, the result view with
block boxes, Q&A citations, refusals, cancel and reload, both window sizes."""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import Server
from pagewatch import DESKTOP, PHONE, Console
from pdfgen import encrypted_pdf
from playwright.sync_api import Browser, Page, expect
from webdocs import long_pdf, report_pdf

PDF = "application/pdf"


def sign_in(page: Page, server: Server) -> None:
    page.goto("/")
    page.fill("#secret-id", server.secret_id)
    page.fill("#secret-key", server.secret_key)
    page.press("#secret-key", "Enter")  # keyboard: the form submits on Enter
    expect(page.locator("#app")).to_be_visible()


def upload(page: Page, name: str, data: bytes, mime: str = PDF) -> None:
    page.set_input_files("#files", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.click("#submit")


def task_item(page: Page, name: str) -> Any:
    return page.locator("li.task", has=page.locator(".name", has_text=name)).first


def api(server: Server) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {server.secret_id}:{server.secret_key}"}, timeout=30
    )


def parsed_report(page: Page, server: Server, name: str = "report.pdf") -> str:
    """Sign in, upload the two-page report and wait for 100 %; returns the task id."""
    sign_in(page, server)
    upload(page, name, report_pdf())
    item = task_item(page, name)
    expect(item.locator(".state")).to_have_text("succeeded", timeout=30_000)
    expect(item.locator("progress")).to_have_attribute("value", "100")
    return str(item.get_attribute("data-task-id"))


def open_result(page: Page, name: str) -> None:
    task_item(page, name).locator("button.open").click()
    expect(page.locator("#page-1 .box").first).to_be_attached()


FCP = """() => new Promise((resolve) => new PerformanceObserver((list, observer) => {
    const fcp = list.getEntriesByName("first-contentful-paint")[0];
    if (fcp) { observer.disconnect(); resolve(fcp.startTime); }
}).observe({ type: "paint", buffered: true }))"""


def test_first_paint_is_one_html_one_css_one_module(page: Page, server: Server) -> None:
    page.goto("/healthz")  # the browser process is warm; the page's own cost is measured below
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url.removeprefix(server.url)))
    page.goto("/")
    page.wait_for_load_state("load")
    assert seen == ["/", "/web/app.css", "/web/app.js"]
    paints = [float(page.evaluate(FCP))]
    for _ in range(4):  # the machine is shared: judge the best of five loads, print them all
        page.reload()
        paints.append(float(page.evaluate(FCP)))
    print(f"\nfirst contentful paint of / (ms): {', '.join(f'{p:.0f}' for p in paints)}")
    assert min(paints) < 300, paints
    expect(page.locator("#signin")).to_be_visible()


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_work_offline(page: Page, server: Server, path: str) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(path)
    if path == "/docs":
        expect(page.locator(".opblock-summary-path", has_text="/v1/tokens")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Exchange an API key for a short-lived bearer token")).to_be_visible()
        expect(page.get_by_alt_text("redocly logo")).to_be_visible()  # the logo, from the server itself
    outside = [u for u in seen if not u.startswith((server.url, "data:", "blob:"))]
    assert outside == []


def test_sign_in_keeps_only_a_token(page: Page, server: Server) -> None:
    sign_in(page, server)
    stored = page.evaluate("() => JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage})")
    assert server.secret_key not in stored
    assert "dr1." in stored  # the bearer token, in sessionStorage
    assert page.input_value("#secret-key") == ""
    # keyboard: Enter on the drop zone opens the file picker
    with page.expect_file_chooser() as chooser:
        page.locator("#drop").press("Enter")  # focus, then the key
    assert chooser.value.is_multiple()
    chooser.value.set_files([{"name": "k.pdf", "mimeType": PDF, "buffer": report_pdf()}])
    expect(page.locator("#chosen li")).to_have_text([re.compile(r"^k\.pdf \(\d+ KiB\)$")])


def test_wrong_secret_shows_the_service_message(page: Page, server: Server, console: dict[str, Console]) -> None:
    console["page"].expect_refusal(401)
    page.goto("/")
    page.fill("#secret-id", server.secret_id)
    page.fill("#secret-key", "wrong")
    page.click("#signin button[type=submit]")
    expect(page.locator("#signin-error")).to_have_text("unknown, revoked or expired key, or a wrong secret")
    expect(page.locator("#app")).to_be_hidden()


def test_upload_progress_boxes_and_table_highlight(page: Page, server: Server, shots: Path) -> None:
    progress: list[int] = []
    task_id = ""
    sign_in(page, server)
    upload(page, "report.pdf", report_pdf())
    item = task_item(page, "report.pdf")
    deadline = time.time() + 30
    while time.time() < deadline:
        value = int(item.locator("progress").get_attribute("value") or 0)
        progress.append(value)
        if value == 100:
            break
        page.wait_for_timeout(20)
    assert progress[-1] == 100 and progress == sorted(progress)
    expect(item.locator(".state")).to_have_text("succeeded")
    expect(item.locator(".meta")).to_contain_text("page 2 of 2")
    task_id = str(item.get_attribute("data-task-id"))
    open_result(page, "report.pdf")

    blocks = api(server).get(f"/v1/tasks/{task_id}/pages/1/blocks").json()
    boxes = page.locator("#page-1 .box")
    expect(boxes).to_have_count(len(blocks["blocks"]))
    expect(page.locator("#page-1 img")).to_be_visible()
    frame = page.locator("#page-1").bounding_box()
    assert frame is not None
    scale = frame["width"] / blocks["width"]
    for block in blocks["blocks"]:
        box = page.locator(f'#page-1 .box[data-block-id="{block["id"]}"]').bounding_box()
        assert box is not None
        x0, y0, x1, y1 = (v * scale for v in block["bbox"])
        got = (box["x"] - frame["x"], box["y"] - frame["y"], box["x"] + box["width"] - frame["x"],
               box["y"] + box["height"] - frame["y"])
        assert all(abs(a - b) < 3 for a, b in zip(got, (x0, y0, x1, y1), strict=True)), (block["id"], got)

    table = next(b for b in blocks["blocks"] if b["type"] == "table")
    page.locator(f'#page-1 .box[data-block-id="{table["id"]}"]').click()
    highlighted = page.locator("#panel-rendered .hl")
    expect(highlighted).to_have_count(1)
    assert highlighted.evaluate("el => el.tagName") == "TABLE"
    assert highlighted.get_attribute("id") == table["id"]
    expect(highlighted).to_be_in_viewport()
    page.screenshot(path=shots / "result-1280x800.png")

    # and from the right: a paragraph of the rendered content highlights its box
    para = next(b for b in blocks["blocks"] if b["type"] == "paragraph")
    page.locator(f'#panel-rendered [id="{para["id"]}"]').click()
    expect(page.locator(f'#page-1 .box[data-block-id="{para["id"]}"]')).to_have_class(re.compile(r"\bhl\b"))

    # tabs: raw Markdown, JSON and JSONL come from the result; the keyboard moves between tabs
    page.click("#tab-md")
    expect(page.locator("#panel-md")).to_contain_text("# Quarterly Sales Report")
    page.focus("#tab-md")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-json")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-json")).to_contain_text('"PageNumber"')
    page.keyboard.press("ArrowRight")
    expect(page.locator("#panel-jsonl")).to_contain_text("page_content")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download md").click()
    assert dl.value.suggested_filename == "report.md"


def test_question_citation_opens_its_page(page: Page, server: Server, shots: Path) -> None:
    parsed_report(page, server, "history.pdf")
    page.fill("#question", "When was the Zanzibar observatory commissioned?")
    page.press("#question", "Enter")
    expect(page.locator("#answer")).to_contain_text("1987")
    cite = page.locator("#citations button.citation").first
    expect(cite).to_contain_text("page 2")
    block_id = cite.get_attribute("data-block-id")
    assert block_id and block_id.startswith("p2/")
    cite.click()
    box = page.locator(f'#page-2 .box[data-block-id="{block_id}"]')
    expect(box).to_have_class(re.compile(r"\bhl\b"))
    expect(box).to_be_in_viewport()
    expect(page.locator("#page-2 img")).to_be_attached()
    page.screenshot(path=shots / "citation-1280x800.png")


def test_bad_file_shows_the_service_error(page: Page, server: Server, console: dict[str, Console]) -> None:
    bad = b"this is not a PDF at all, only text pretending to be one\n" * 20
    with api(server) as client:
        refused = client.post("/v1/tasks", files={"file": ("broken.pdf", bad, PDF)})
    assert refused.status_code >= 400
    message = refused.json()["error"]["message"]
    console["page"].expect_refusal(refused.status_code)
    console["page"].expect_refusal(415)
    sign_in(page, server)
    upload(page, "broken.pdf", bad)
    expect(page.locator("#submit-error")).to_contain_text(f"broken.pdf: {message}")
    upload(page, "tool.exe", b"MZ\x90\x00", "application/octet-stream")
    expect(page.locator("#submit-error")).to_contain_text("tool.exe: unknown file type 'exe'; pass file_type")
    assert page.locator("li.task").count() == 0


def test_encrypted_and_bad_range_show_the_service_message(
    page: Page, server: Server, console: dict[str, Console]
) -> None:
    with api(server) as client:
        bad_range = client.post("/v1/tasks", files={"file": ("r.pdf", report_pdf(), PDF)},
                                data={"page_start": "5", "page_end": "2"})
    assert bad_range.status_code == 400
    console["page"].expect_refusal(400)
    sign_in(page, server)
    page.fill("#page-start", "5")
    page.fill("#page-end", "2")
    upload(page, "range.pdf", report_pdf())
    expect(page.locator("#submit-error")).to_have_text(f"range.pdf: {bad_range.json()['error']['message']}")
    page.fill("#page-start", "")
    page.fill("#page-end", "")
    upload(page, "locked.pdf", encrypted_pdf("secret"))  # accepted, then failed by the worker
    item = task_item(page, "locked.pdf")
    expect(item.locator(".state")).to_have_text("failed", timeout=30_000)
    status = api(server).get(f"/v1/tasks/{item.get_attribute('data-task-id')}").json()
    assert "encrypted" in status["error"]["message"]
    expect(item.locator(".error")).to_have_text(status["error"]["message"])


def test_failed_page_is_marked(page: Page, server: Server) -> None:
    """A page the parser could not read is outlined with its error (the stored document model is
    given a failed page 2 before the view first reads it)."""
    task_id = parsed_report(page, server, "partly.pdf")
    key = f"views/{task_id}/document.json"
    with server.services.storage.open(key) as fh:
        doc = json.load(fh)
    doc["failed_pages"] = [{"number": 2, "error": "page stage crashed"}]
    doc["pages"][1]["blocks"] = []
    server.services.storage.put(key, json.dumps(doc).encode())
    open_result(page, "partly.pdf")
    failed = page.locator("#page-2")
    expect(failed).to_have_class(re.compile(r"\bfailed\b"))
    expect(failed).to_have_attribute("data-error", "page stage crashed")
    expect(page.locator("#page-1")).not_to_have_class(re.compile(r"\bfailed\b"))


def test_another_tab_lists_the_keys_tasks(page: Page, server: Server, browser: Browser) -> None:
    parsed_report(page, server, "shared.pdf")
    other = browser.new_context(viewport=DESKTOP, base_url=server.url)
    tab = other.new_page()
    watcher = Console(tab)
    sign_in(tab, server)
    expect(task_item(tab, "shared.pdf").locator(".state")).to_have_text("succeeded")
    expect(tab.locator("li.task")).to_have_count(1)
    other.close()
    watcher.check()


def test_task_without_view_says_why(page: Page, server: Server, console: dict[str, Console]) -> None:
    """A task submitted through the API without view=true is listed; opening it explains itself."""
    console["page"].expect_refusal(404)
    with api(server) as client:
        task_id = client.post("/v1/tasks", files={"file": ("api.pdf", report_pdf(), PDF)}).json()["task_id"]
    sign_in(page, server)
    item = task_item(page, "api.pdf")
    expect(item.locator(".state")).to_have_text("succeeded", timeout=30_000)
    item.locator("button.open").click()
    expect(item.locator(".error")).to_have_text(
        f"task {task_id} was not submitted with view=true, or its view expired"
    )
    expect(page.locator("#result")).to_be_hidden()


def test_submit_a_url(page: Page, server: Server, remote: str) -> None:
    sign_in(page, server)
    page.fill("#url", f"{remote}/remote.pdf")
    page.select_option("#tables", "1")
    page.press("#url", "Enter")
    item = task_item(page, "remote.pdf")
    expect(item.locator(".state")).to_have_text("succeeded", timeout=30_000)
    item.locator("button.open").click()
    page.click("#tab-md")
    expect(page.locator("#panel-md")).to_contain_text("<table>")  # tables as HTML, as chosen


def test_drop_several_files(page: Page, server: Server) -> None:
    sign_in(page, server)
    data = page.evaluate_handle(
        """(pdf) => {
            const dt = new DataTransfer();
            const bytes = Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0));
            for (const name of ["one.pdf", "two.pdf"]) dt.items.add(new File([bytes], name, {type: "application/pdf"}));
            return dt;
        }""",
        base64.b64encode(report_pdf()).decode(),
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": data})
    expect(page.locator("#chosen li")).to_have_count(2)
    page.focus("#submit")
    page.keyboard.press("Enter")
    for name in ("one.pdf", "two.pdf"):
        expect(task_item(page, name).locator(".state")).to_have_text("succeeded", timeout=30_000)
    expect(page.locator("#qa-docs")).to_contain_text("one.pdf")
    expect(page.locator("#qa-docs")).to_contain_text("two.pdf")


def test_reload_reattaches_then_cancel(page: Page, server: Server, shots: Path) -> None:
    sign_in(page, server)
    upload(page, "long.pdf", long_pdf(300))
    item = task_item(page, "long.pdf")
    expect(item.locator(".state")).to_have_text("running", timeout=20_000)
    page.reload()  # the token is in sessionStorage, the task list comes from the server: the tab follows it again
    item = task_item(page, "long.pdf")
    expect(item.locator(".meta")).to_contain_text(re.compile(r"page [1-9]\d* of 300"))
    before = int(item.locator("progress").get_attribute("value") or 0)
    expect(item.locator("progress")).not_to_have_attribute("value", str(before), timeout=10_000)
    expect(item.locator(".meta")).to_contain_text("ETA")
    page.screenshot(path=shots / "progress-1280x800.png")
    item.locator("button.cancel").click()
    expect(item.locator(".state")).to_have_text("cancelled", timeout=20_000)
    expect(item.locator("button.cancel")).to_be_hidden()
    status = api(server).get(f"/v1/tasks/{item.get_attribute('data-task-id')}").json()
    assert status["state"] == "cancelled" and status["pages_done"] < 300


def test_long_result_loads_only_visible_pages(page: Page, server: Server) -> None:
    sign_in(page, server)
    upload(page, "many.pdf", long_pdf(60))
    item = task_item(page, "many.pdf")
    expect(item.locator(".state")).to_have_text("succeeded", timeout=30_000)
    images: list[str] = []
    page.on("request", lambda r: images.append(r.url) if "/image?" in r.url else None)
    started = time.perf_counter()
    item.locator("button.open").click()
    expect(page.locator("#page-1 img")).to_be_visible()
    opened = time.perf_counter() - started
    expect(page.locator(".page")).to_have_count(60)
    assert 1 <= len(images) < 10, images  # only the pages in (or near) view
    page.locator("#page-60").scroll_into_view_if_needed()
    expect(page.locator("#page-60 img")).to_be_visible()
    assert len(images) < 20
    print(f"\n60-page result view: first page image shown {opened * 1000:.0f} ms after Open")


@pytest.mark.parametrize("viewport", [PHONE], ids=["375x812"])
def test_phone_width(page: Page, server: Server, shots: Path, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    page.goto("/")
    page.screenshot(path=shots / "signin-375x812.png")
    parsed_report(page, server, "phone.pdf")
    open_result(page, "phone.pdf")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    frame = page.locator("#page-1").bounding_box()
    assert frame is not None and frame["width"] <= viewport["width"]
    page.screenshot(path=shots / "result-375x812.png", full_page=True)
