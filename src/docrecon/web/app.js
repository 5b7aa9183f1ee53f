// docrecon web page: sign-in, submit, live progress, recent tasks. The result view and the
// Q&A are in view.js, loaded on first use. The API secret is sent once to /v1/tokens; only the
// short-lived token is kept, in sessionStorage, with the last event id seen of each task. The
// list of recent tasks comes from the server (GET /v1/tasks), so a reload or another tab finds them.

const $ = (sel) => document.querySelector(sel);
const TOKEN = "docrecon.token";
const FINAL = new Set(["succeeded", "failed", "cancelled"]);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN) || "null");
    return s && s.expires * 1000 > Date.now() ? s : null;
  } catch {
    return null;
  }
}

async function errorOf(resp) {
  let code = "http_" + resp.status;
  let message = `${resp.status} ${resp.statusText}`;
  try {
    const body = await resp.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(resp.status, code, message);
}

/** fetch() on the API with the bearer token; throws ApiError with the service's own message. */
export async function api(path, opts = {}) {
  const s = session();
  const headers = new Headers(opts.headers || {});
  if (s) headers.set("Authorization", "Bearer " + s.token);
  const resp = await fetch(path, { ...opts, headers });
  if (!resp.ok) {
    const err = await errorOf(resp);
    if (resp.status === 401 && s) signOut("Your sign-in has expired: sign in again.");
    throw err;
  }
  return resp;
}

export async function apiJson(path, opts) {
  return (await api(path, opts)).json();
}

// ---------- sign-in ----------

function showSignedIn() {
  const s = session();
  $("#signin").hidden = !!s;
  $("#app").hidden = !s;
  $("#who").hidden = $("#signout").hidden = !s;
  if (s) $("#who").textContent = `signed in as ${s.key_name || s.secret_id}`;
}

function signOut(message = "") {
  sessionStorage.removeItem(TOKEN);
  for (const t of tasks.values()) t.abort?.abort();
  tasks.clear();
  $("#tasks").replaceChildren();
  $("#result").hidden = true;
  $("#qa").hidden = true;
  showSignedIn();
  $("#signin-error").textContent = message;
}

async function signIn(ev) {
  ev.preventDefault();
  const secretId = $("#secret-id").value.trim();
  const keyInput = $("#secret-key");
  $("#signin-error").textContent = "";
  try {
    const resp = await fetch("/v1/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ secret_id: secretId, secret_key: keyInput.value }),
    });
    if (!resp.ok) throw await errorOf(resp);
    const t = await resp.json();
    sessionStorage.setItem(TOKEN, JSON.stringify({ token: t.token, expires: t.expires, secret_id: secretId,
      key_name: t.key_name }));
  } catch (err) {
    $("#signin-error").textContent = err.message;
    return;
  } finally {
    keyInput.value = ""; // the secret does not stay in the page either
  }
  showSignedIn();
  restoreTasks();
}

// ---------- tasks ----------

const tasks = new Map(); // task id -> {status, el, abort, lastId, started}

function fmtSeconds(s) {
  if (!isFinite(s) || s < 0) return "–";
  s = Math.round(s);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function taskElement(id) {
  const li = document.createElement("li");
  li.className = "task";
  li.dataset.taskId = id;
  li.innerHTML = `<div><span class="name"></span> <span class="state"></span></div>
    <div class="actions"><button type="button" class="secondary cancel">Cancel</button>
    <button type="button" class="open" hidden>Open</button></div>
    <progress max="100" value="0"></progress>
    <div class="meta"></div><p class="error" role="alert"></p>`;
  li.querySelector(".cancel").addEventListener("click", () => cancelTask(id));
  li.querySelector(".open").addEventListener("click", () => openResult(id));
  return li;
}

function render(id) {
  const t = tasks.get(id);
  if (!t) return;
  const s = t.status;
  const el = t.el;
  el.querySelector(".name").textContent = s.file_name || id;
  const state = el.querySelector(".state");
  state.textContent = s.state;
  state.dataset.state = s.state;
  const bar = el.querySelector("progress");
  bar.value = s.progress;
  bar.setAttribute("aria-label", `${s.file_name}: ${s.progress} %`);
  const final = FINAL.has(s.state);
  const elapsed = ((final && s.finished ? s.finished * 1000 : Date.now()) - s.created * 1000) / 1000;
  const frac = s.progress / 100;
  const eta = !final && frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
  const pages = s.pages_total ? `page ${s.pages_done} of ${s.pages_total}` : "pages: –";
  const parts = [`${s.progress} %`, pages, `elapsed ${fmtSeconds(elapsed)}`];
  if (!final) parts.push(`ETA ${fmtSeconds(eta)}`);
  if (s.failed_pages && s.failed_pages.length) parts.push(`${s.failed_pages.length} failed page(s)`);
  el.querySelector(".meta").textContent = parts.join(" · ");
  el.querySelector(".cancel").hidden = final;
  el.querySelector(".open").hidden = s.state !== "succeeded";
  el.querySelector(".error").textContent = s.error ? s.error.message : "";
  el.dataset.state = s.state;
}

function addTask(status, first = true) {
  const id = status.task_id;
  let t = tasks.get(id);
  if (!t) {
    t = { status, el: taskElement(id), lastId: sessionStorage.getItem("docrecon.last." + id) };
    tasks.set(id, t);
    const list = $("#tasks");
    if (first) list.prepend(t.el);
    else list.append(t.el);
  }
  t.status = status;
  render(id);
  if (!FINAL.has(status.state)) follow(id);
  refreshQa();
  return t;
}

/** One SSE frame: {id, event, data} from its lines. */
function parseFrame(text) {
  const out = { id: null, event: "message", data: "" };
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data += (out.data ? "\n" : "") + value;
  }
  return out;
}

/** Read a text/event-stream body, calling onFrame for each event. */
export async function readEvents(resp, onFrame) {
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value.replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const frame = parseFrame(buf.slice(0, cut));
      buf = buf.slice(cut + 2);
      if (frame.data) onFrame(frame);
    }
  }
}

function onTaskEvent(id, frame) {
  const t = tasks.get(id);
  if (!t) return;
  if (frame.id !== null) {
    t.lastId = frame.id;
    sessionStorage.setItem("docrecon.last." + id, frame.id);
  }
  const d = JSON.parse(frame.data);
  const s = { ...t.status };
  if (d.Response && d.Response.Error) {
    s.state = "failed";
    s.error = { code: d.Response.Error.Code, message: d.Response.Error.Message };
  } else {
    s.progress = Math.max(s.progress, parseInt(d.Progress, 10) || 0);
    if (d.PagesTotal) s.pages_total = d.PagesTotal;
    if (d.PagesDone !== undefined) s.pages_done = Math.max(s.pages_done, d.PagesDone);
    if (s.state === "queued" && d.PagesTotal) s.state = "running";
    if (d.ResponseType === "TASK_RSP") {
      s.state = "succeeded";
      s.progress = 100;
    }
  }
  t.status = s;
  render(id);
}

/** Follow the task's event stream (fetch, so the bearer header is sent), resuming with
 * Last-Event-ID after a dropped connection or a reload; then refresh its status. */
async function follow(id) {
  const t = tasks.get(id);
  if (!t || t.abort) return;
  t.abort = new AbortController();
  try {
    for (let attempt = 0; attempt < 20 && !FINAL.has(t.status.state); attempt++) {
      const headers = t.lastId !== null && t.lastId !== undefined ? { "Last-Event-ID": t.lastId } : {};
      try {
        const resp = await api(`/v1/tasks/${id}/events`, { headers, signal: t.abort.signal });
        await readEvents(resp, (f) => onTaskEvent(id, f));
        break;
      } catch (err) {
        if (err.name === "AbortError" || err instanceof ApiError) throw err;
        await new Promise((r) => setTimeout(r, 1000)); // dropped: resume from the last event
      }
    }
    const status = await apiJson(`/v1/tasks/${id}`);
    t.status = status;
    render(id);
    refreshQa();
  } catch (err) {
    if (err.name !== "AbortError") t.el.querySelector(".error").textContent = err.message;
  } finally {
    t.abort = null;
  }
}

async function cancelTask(id) {
  const t = tasks.get(id);
  try {
    const status = await apiJson(`/v1/tasks/${id}`, { method: "DELETE" });
    t.status = { ...t.status, ...status };
    render(id);
  } catch (err) {
    t.el.querySelector(".error").textContent = err.message;
  }
}

/** The key's recent tasks (newest first); running ones are followed again from their last event. */
async function restoreTasks() {
  try {
    const { tasks: list } = await apiJson("/v1/tasks?limit=30");
    for (const status of list) addTask(status, false);
  } catch (err) {
    $("#submit-error").textContent = err.message;
  }
}

// ---------- submit ----------

let chosen = [];

function choose(files) {
  chosen = [...files];
  $("#chosen").replaceChildren(...chosen.map((f) => Object.assign(document.createElement("li"),
    { textContent: `${f.name} (${Math.ceil(f.size / 1024)} KiB)` })));
}

function commonFields() {
  const fd = new FormData();
  const start = $("#page-start").value;
  const end = $("#page-end").value;
  if (start) fd.set("page_start", start);
  if (end) fd.set("page_end", end);
  fd.set("ocr", $("#ocr").value);
  fd.set("config", JSON.stringify({ TableResultType: $("#tables").value,
    MarkdownImageResponseType: $("#images").value, ResultType: $("#result-type").value }));
  fd.set("view", "true");
  return fd;
}

async function submit(ev) {
  ev.preventDefault();
  const errors = $("#submit-error");
  errors.replaceChildren();
  const url = $("#url").value.trim();
  const jobs = chosen.map((f) => ["file", f, f.name]);
  if (url) jobs.push(["file_url", url, url]);
  if (!jobs.length) {
    errors.textContent = "Choose a file or give a URL.";
    return;
  }
  $("#submit").disabled = true;
  for (const [field, value, label] of jobs) {
    const fd = commonFields();
    fd.set(field, value);
    try {
      addTask(await apiJson("/v1/tasks", { method: "POST", body: fd }));
    } catch (err) {
      const p = document.createElement("p");
      p.className = "refusal";
      p.textContent = `${label}: ${err.message}`;
      errors.append(p);
    }
  }
  $("#submit").disabled = false;
  choose([]);
  $("#files").value = "";
  $("#url").value = "";
}

function setupDrop() {
  const drop = $("#drop");
  const input = $("#files");
  drop.addEventListener("click", (e) => { if (e.target !== input) input.click(); });
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
  });
  input.addEventListener("change", () => choose(input.files));
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    choose(e.dataTransfer.files);
  });
}

// ---------- result view and Q&A (view.js) ----------

let viewModule = null;
async function view() {
  viewModule ??= await import("./view.js");
  return viewModule;
}

async function openResult(id) {
  const t = tasks.get(id);
  try {
    await (await view()).openResult(t.status);
  } catch (err) {
    t.el.querySelector(".error").textContent = err.message;
  }
}

function refreshQa() {
  const done = [...tasks.values()].filter((t) => t.status.state === "succeeded").map((t) => t.status);
  $("#qa").hidden = done.length === 0;
  $("#qa-docs").textContent = done.length ? `Questions go to: ${done.map((s) => s.file_name).join(", ")}` : "";
  $("#qa").dataset.tasks = JSON.stringify(done.map((s) => s.task_id));
}

async function ask(ev) {
  ev.preventDefault();
  const ids = JSON.parse($("#qa").dataset.tasks || "[]");
  const names = Object.fromEntries([...tasks.values()].map((t) => [t.status.task_id, t.status]));
  await (await view()).ask($("#question").value, ids, names);
}

// ---------- start ----------

setInterval(() => { for (const [id, t] of tasks) if (!FINAL.has(t.status.state)) render(id); }, 1000);
$("#signin-form").addEventListener("submit", signIn);
$("#signout").addEventListener("click", () => signOut());
$("#submit-form").addEventListener("submit", submit);
$("#qa-form").addEventListener("submit", ask);
setupDrop();
showSignedIn();
if (session()) restoreTasks();
