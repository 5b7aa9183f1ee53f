// The result view (page images with block boxes beside the rendered content) and the Q&A.
// Page images and blocks are fetched only for pages that come into view.

import { api, apiJson, readEvents } from "./app.js";

const $ = (sel) => document.querySelector(sel);
const KIND = {
  title: "heading", heading: "heading", paragraph: "paragraph", list_item: "paragraph", code: "paragraph",
  footnote: "paragraph", caption: "paragraph", table: "table", figure: "figure", formula: "formula",
  page_header: "furniture", page_footer: "furniture", page_number: "furniture",
};
const FORMATS = { md: "md", json: "json", jsonl: "jsonl" };

let current = null; // {status, pages: Map(number -> {el, info, loaded, blocks}), observer, texts}

export function kindOf(block) {
  return block.layer === "furniture" ? "furniture" : KIND[block.type] || "paragraph";
}

function pageOfBlock(blockId) {
  const m = /^p(\d+)\//.exec(blockId || "");
  return m ? parseInt(m[1], 10) : null;
}

// Highlighting scrolls only inside the other side's panel, never the window: scrolling the
// window would move content under a still mouse pointer, and the browser would then report a
// hover or click on whatever lands there. Only the latest highlight call applies.
let generation = 0;

/** Scroll ``container`` (not the window) so that ``el`` is centred in it, or its top is shown
 * when it is taller than the container. */
function showIn(container, el) {
  const c = container.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const offset = r.height > container.clientHeight ? 0 : (container.clientHeight - r.height) / 2;
  container.scrollTop += r.top - c.top - offset;
}

function clearHighlight() {
  for (const el of document.querySelectorAll(".hl")) el.classList.remove("hl");
}

/** Highlight a block on both sides; ``scroll`` names the side(s) to scroll. */
async function highlight(blockId, scroll = { left: true, right: true }) {
  const mine = ++generation;
  clearHighlight();
  const number = pageOfBlock(blockId);
  const page = number !== null && current ? current.pages.get(number) : null;
  if (page) {
    if (scroll.left) showIn($("#pages"), page.el);
    await loadPage(page);
    if (mine !== generation) return;
    const box = page.el.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`);
    if (box) {
      box.classList.add("hl");
      if (scroll.left) showIn($("#pages"), box);
    }
  }
  const target = document.getElementById(blockId);
  if (target && $("#panel-rendered").contains(target)) {
    target.classList.add("hl");
    if (scroll.right) showIn($("#panel-rendered"), target);
  }
}

function boxFor(block, info) {
  const [x0, y0, x1, y1] = block.bbox;
  const b = document.createElement("button");
  b.type = "button";
  b.className = `box t-${kindOf(block)}`;
  b.dataset.blockId = block.id;
  b.dataset.type = block.type;
  b.title = `${block.type}: ${block.text.slice(0, 80)}`;
  b.setAttribute("aria-label", `${block.type} block ${block.id}`);
  Object.assign(b.style, {
    left: `${(100 * x0) / info.width}%`, top: `${(100 * y0) / info.height}%`,
    width: `${(100 * (x1 - x0)) / info.width}%`, height: `${(100 * (y1 - y0)) / info.height}%`,
  });
  b.addEventListener("click", () => highlight(block.id, { left: false, right: true }));
  b.addEventListener("mouseenter", () => highlight(block.id, { left: false, right: true }));
  return b;
}

async function loadPage(page) {
  if (page.loading) return page.loading;
  const { status, images } = current;
  const url = `/v1/tasks/${status.task_id}/pages/${page.info.number}`;
  page.loading = (async () => {
    const data = await apiJson(`${url}/blocks`);
    page.el.append(...data.blocks.map((b) => boxFor(b, page.info)));
    page.el.dataset.loaded = "blocks";
    if (images && !page.info.failed) {
      const width = Math.min(2400, Math.ceil((page.el.clientWidth * (window.devicePixelRatio || 1)) / 100) * 100);
      const blob = await (await api(`${url}/image?width=${Math.max(200, width)}`)).blob();
      const img = new Image();
      img.alt = `page ${page.info.number}`;
      img.loading = "lazy";
      img.src = URL.createObjectURL(blob);
      page.el.prepend(img);
      page.el.dataset.loaded = "image";
    }
  })();
  return page.loading;
}

function pageElement(info) {
  const el = document.createElement("div");
  el.className = "page";
  el.id = `page-${info.number}`;
  el.dataset.page = info.number;
  el.style.aspectRatio = `${info.width} / ${info.height}`;
  if (info.failed) {
    el.classList.add("failed");
    el.dataset.error = info.error || "failed";
  }
  const num = document.createElement("span");
  num.className = "num";
  num.textContent = `${info.number}`;
  el.append(num);
  return el;
}

function legend() {
  const div = document.createElement("div");
  div.className = "legend";
  for (const k of ["heading", "paragraph", "table", "figure", "formula", "furniture"]) {
    const s = document.createElement("span");
    s.textContent = k;
    s.style.setProperty("--c", `var(--${k})`);
    div.append(s);
  }
  return div;
}

async function download(fmt) {
  const { status } = current;
  const resp = await api(`/v1/tasks/${status.task_id}/result?format=${fmt}`);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(await resp.blob());
  const stem = (status.file_name || status.task_id).replace(/\.[^.]+$/, "");
  a.download = fmt === "zip" ? `${status.task_id}_parse.zip` : `${stem}.${fmt}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function downloads() {
  const box = $("#downloads");
  box.replaceChildren(...["md", "json", "jsonl", "zip"].map((fmt) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = `Download ${fmt}`;
    b.addEventListener("click", () => download(fmt).catch((e) => { b.textContent = e.message; }));
    return b;
  }));
}

async function renderedContent() {
  const html = await (await api(`/v1/tasks/${current.status.task_id}/result?format=html`)).text();
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll("script, style, link, iframe, object")) el.remove();
  for (const img of doc.querySelectorAll("img")) { // pictures stay in the zip: show their text
    img.replaceWith(Object.assign(doc.createElement("span"), { className: "img", textContent: img.alt || "[picture]" }));
  }
  const panel = $("#panel-rendered");
  panel.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  for (const el of panel.querySelectorAll("[id]")) {
    el.tabIndex = 0;
    el.addEventListener("click", (e) => { e.stopPropagation(); highlight(el.id, { left: true, right: false }); });
    el.addEventListener("keydown", (e) => { if (e.key === "Enter") highlight(el.id, { left: true, right: false }); });
    el.addEventListener("mouseenter", () => highlight(el.id, { left: true, right: false }));
  }
}

async function showTab(name) {
  for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${tab.dataset.tab}`).hidden = !on;
  }
  const fmt = FORMATS[name];
  if (fmt && !current.texts[name]) {
    try {
      const text = await (await api(`/v1/tasks/${current.status.task_id}/result?format=${fmt}`)).text();
      current.texts[name] = fmt === "json" ? JSON.stringify(JSON.parse(text), null, 2) : text;
      $(`#panel-${name}`).textContent = current.texts[name];
    } catch (err) {
      $(`#panel-${name}`).textContent = err.message;
    }
  }
}

function setupTabs() {
  const tabs = [...document.querySelectorAll("#tabs [role=tab]")];
  for (const [i, tab] of tabs.entries()) {
    tab.onclick = () => showTab(tab.dataset.tab);
    tab.onkeydown = (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      showTab(next.dataset.tab);
    };
  }
}

export async function openResult(status) {
  if (current && current.status.task_id === status.task_id) {
    $("#result").scrollIntoView({ block: "start" });
    return current;
  }
  current?.observer.disconnect();
  const data = await apiJson(`/v1/tasks/${status.task_id}/pages`);
  current = { status, images: data.images, pages: new Map(), texts: {}, observer: null };
  $("#result").hidden = false;
  $("#result").dataset.taskId = status.task_id;
  $("#result-h").textContent = `Result: ${status.file_name}`;
  downloads();
  const pages = $("#pages");
  pages.replaceChildren(legend());
  current.observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const page = current.pages.get(parseInt(e.target.dataset.page, 10));
      if (page) loadPage(page).catch((err) => { e.target.dataset.error = err.message; });
    }
  }, { root: pages, rootMargin: "200px 0px" });
  for (const info of data.pages) {
    const el = pageElement(info);
    pages.append(el);
    current.pages.set(info.number, { el, info, loading: null });
    current.observer.observe(el);
  }
  for (const name of ["md", "json", "jsonl"]) $(`#panel-${name}`).textContent = "";
  setupTabs();
  await showTab("rendered");
  await renderedContent();
  $("#result").scrollIntoView({ block: "start" });
  return current;
}

// ---------- Q&A ----------

function citationItem(c, statuses) {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.className = "citation";
  b.dataset.page = c.page;
  b.dataset.blockId = c.block_id;
  b.textContent = `${c.doc_name || statuses[c.task_id]?.file_name}, page ${c.page}: “${c.quote.slice(0, 120)}”`;
  b.addEventListener("click", async () => {
    await openResult(statuses[c.task_id]);
    await highlight(c.block_id);
  });
  li.append(b);
  return li;
}

export async function ask(question, taskIds, statuses) {
  const answer = $("#answer");
  const list = $("#citations");
  answer.textContent = "";
  answer.classList.remove("error");
  list.replaceChildren();
  try {
    const resp = await api("/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, task_ids: taskIds }),
    });
    await readEvents(resp, (f) => {
      const d = JSON.parse(f.data);
      if (f.event === "delta") answer.textContent += d.text;
      else if (f.event === "answer") {
        answer.textContent = d.text;
        list.replaceChildren(...d.citations.map((c) => citationItem(c, statuses)));
      } else if (f.event === "error") {
        answer.textContent = d.error.message;
        answer.classList.add("error");
      }
    });
  } catch (err) {
    answer.textContent = err.message;
    answer.classList.add("error");
  }
}
