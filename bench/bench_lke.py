"""LKE real-time parse and session chat benchmark (issues 7 and 8).

Starts ``python -m docrecon.api`` on a free loopback port with a temporary data directory (as
bench_service.py does), creates an app and API keys with the ``docrecon`` CLI, then measures:

1. upload + docParse of a 1-page PDF: DescribeStorageCredential (official lke SDK) -> put_object
   (COS SDK, IP/Port mode) -> docParse (httpx stream); time to the first ``parsing`` event and to
   the final SUCCESS one. Peer, interleaved round by round: ReconstructDocumentSSE with the same
   PDF as base64 (hand-signed TC3). Target: first parsing event within 100 ms.
2. memory of the server process (VmRSS sampled, VmHWM) for a 100 MB ``put_object`` and a 100 MB
   ``upload_file`` (multipart, 8 MB parts, 5 threads). Peer: the same uploads with boto3 to a
   ``moto_server`` on loopback. Target: server memory increase under 50 MB.
3. chat over a session holding 5 parsed documents (no LLM): time to the echo event, the first
   answer ``reply`` event and the end of ``/v1/qbot/chat/sse``; ``/v1/qbot/chat/answer`` latency.
   Target: first answer event within 300 ms.

    .venv/bin/python bench/bench_lke.py            # full run (~1-2 min)
    .venv/bin/python bench/bench_lke.py --quick    # fewer rounds, 30 MB uploads
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

for _var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

import httpx  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_service import Target, start_server  # noqa: E402

MiB = 1024 * 1024
BIN = Path(sys.executable).parent

# Five documents, three pages each, two facts a page: (title, [[page lines]]).
DOCS: list[tuple[str, list[list[str]]]] = [
    (
        "Harbor Logistics annual report",
        [
            [
                "Harbor Logistics moved 1.8 million containers in 2023.",
                "The Rotterdam terminal handles 40 percent of that volume.",
            ],
            [
                "The company employs 3,450 dock workers across six ports.",
                "Average crane downtime fell to 2.1 hours per month.",
            ],
            ["The new Gdansk terminal opens in May 2025.", "Fuel costs rose by 12 percent compared with 2022."],
        ],
    ),
    (
        "Greenfield Clinic patient handbook",
        [
            [
                "Visiting hours are from 10 am to 8 pm every day.",
                "Each ward allows a maximum of 2 visitors per patient.",
            ],
            [
                "Prescription refills take 3 working days.",
                "The pharmacy is located on the ground floor next to the cafeteria.",
            ],
            ["Parking for patients is free for the first 90 minutes.", "The emergency contact number is 555-0199."],
        ],
    ),
    (
        "Aurora Software release notes",
        [
            ["Version 4.2 adds single sign-on with SAML.", "The export limit was raised to 50,000 rows."],
            ["Support for Windows 7 ends on 30 June.", "The mobile app now supports offline mode."],
            [
                "Dark mode is enabled in the settings menu under Appearance.",
                "The API rate limit is 600 requests per minute.",
            ],
        ],
    ),
    (
        "Maple Street school newsletter",
        [
            ["The science fair takes place on 14 March in the gym.", "Forty-two students joined the robotics club."],
            ["The school library lends up to 5 books per pupil.", "The lunch menu changes every four weeks."],
            ["The autumn trip goes to the Natural History Museum.", "Parents' evening starts at 6:30 pm."],
        ],
    ),
    (
        "Sunrise Bakery operations manual",
        [
            ["Ovens are preheated to 230 degrees for sourdough.", "The dough rests for 18 hours in the cold room."],
            ["Each morning the bakery produces 600 croissants.", "Flour deliveries arrive every Tuesday."],
            ["Staff wash their hands every 30 minutes.", "The bakery closes at 3 pm on Sundays."],
        ],
    ),
]

# (question, text the answer should contain)
QUESTIONS: list[tuple[str, str]] = [
    ("How many containers did Harbor Logistics move in 2023?", "1.8 million"),
    ("What share of the volume does the Rotterdam terminal handle?", "40 percent"),
    ("How many dock workers does the company employ?", "3,450"),
    ("When does the new Gdansk terminal open?", "May 2025"),
    ("By how much did fuel costs rise?", "12 percent"),
    ("What are the visiting hours at the clinic?", "10 am"),
    ("How long do prescription refills take?", "3 working days"),
    ("Where is the pharmacy located?", "ground floor"),
    ("How long is patient parking free?", "90 minutes"),
    ("What is the emergency contact number?", "555-0199"),
    ("Which single sign-on protocol does version 4.2 add?", "SAML"),
    ("What is the export limit in rows?", "50,000"),
    ("When does support for Windows 7 end?", "30 June"),
    ("What is the API rate limit?", "600 requests"),
    ("When does the science fair take place?", "14 March"),
    ("How many students joined the robotics club?", "Forty-two"),
    ("How many books can each pupil borrow from the library?", "5 books"),
    ("At what temperature are the ovens preheated for sourdough?", "230 degrees"),
    ("How many croissants does the bakery produce each morning?", "600 croissants"),
    ("When does the bakery close on Sundays?", "3 pm"),
]
WARMUP_QUESTIONS = ["Where does the autumn trip go?", "How long does the dough rest?"]


# ---------------------------------------------------------------- helpers


def pdf_bytes(title: str, pages: list[list[str]]) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n, lines in enumerate(pages, 1):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 740, f"{title} - page {n}" if len(pages) > 1 else title)
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            c.drawString(72, 700 - 18 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def one_page_pdf(i: int) -> bytes:
    return pdf_bytes(
        f"Benchmark round {i}",
        [
            [
                f"Round {i}: a short paragraph of text for the parser to read.",
                "A second line so that the page has a paragraph.",
            ]
        ],
    )


def ms(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 1)


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": ms(values, 0.5), "p95_ms": ms(values, 0.95), "max_ms": ms(values, 1.0), "n": len(values)}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_json(*args: str) -> dict[str, Any]:
    out = subprocess.run([str(BIN / "docrecon"), *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@dataclass
class Stream:
    first: float  # s from sending the request to the first event
    final: float  # s to the final event
    end: float  # s to the end of the response
    events: list[tuple[str, dict[str, Any]]]
    marks: list[float]  # arrival time of every event


def sse(
    client: httpx.Client,
    url: str,
    *,
    json_body: Any = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    final: Callable[[str, dict[str, Any]], bool],
) -> Stream:
    """Time one SSE POST: every ``data:`` line is an event, ``final`` picks the last one."""
    events: list[tuple[str, dict[str, Any]]] = []
    marks: list[float] = []
    name = "message"
    final_at = math.nan
    start = time.perf_counter()
    with client.stream(
        "POST", url, json=json_body, content=content, headers={"Accept": "text/event-stream", **(headers or {})}
    ) as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                now = time.perf_counter() - start
                data = json.loads(line[6:])
                events.append((name, data))
                marks.append(now)
                if final(name, data):
                    final_at = now
                name = "message"
    end = time.perf_counter() - start
    return Stream(marks[0] if marks else math.nan, final_at, end, events, marks)


def is_parse_final(_: str, data: dict[str, Any]) -> bool:
    return bool(data.get("payload", {}).get("is_final"))


def is_lkeap_final(_: str, data: dict[str, Any]) -> bool:
    return data.get("ResponseType") == "TASK_RSP" or "Response" in data


# ---------------------------------------------------------------- the LKE client flow


class Lke:
    def __init__(self, host: str, secret_id: str, secret_key: str, app_id: str, bot_key: str) -> None:
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.lke.v20231130 import lke_client

        self.host, self.app_id, self.bot_key = host, app_id, bot_key
        http = HttpProfile(endpoint=host, protocol="http", reqTimeout=120)
        self.client = lke_client.LkeClient(
            credential.Credential(secret_id, secret_key), "ap-guangzhou", ClientProfile(httpProfile=http)
        )
        self.http = httpx.Client(base_url=f"http://{host}", timeout=120)

    def credential(self, file_type: str) -> dict[str, Any]:
        from tencentcloud.lke.v20231130 import models

        req = models.DescribeStorageCredentialRequest()
        req._deserialize({"FileType": file_type, "IsPublic": False, "TypeKey": "realtime", "BotBizId": self.app_id})
        return json.loads(self.client.DescribeStorageCredential(req).to_json_string())  # type: ignore[no-any-return]

    def cos(self, cred: dict[str, Any]) -> Any:
        from qcloud_cos import CosConfig, CosS3Client

        c = cred["Credentials"]
        config = CosConfig(
            Region=cred["Region"],
            SecretId=c["TmpSecretId"],
            SecretKey=c["TmpSecretKey"],
            Token=c["Token"],
            Scheme="http",
            IP="127.0.0.1",
            Port=int(self.host.rsplit(":", 1)[1]),
        )
        return CosS3Client(config)

    def parse_body(
        self, session: str, cred: dict[str, Any], put: dict[str, Any], size: int, name: str
    ) -> dict[str, Any]:
        return {
            "session_id": session,
            "bot_app_key": self.bot_key,
            "request_id": str(uuid.uuid4()),
            "cos_bucket": cred["Bucket"],
            "file_type": "pdf",
            "file_name": name,
            "cos_url": cred["UploadPath"],
            "cos_hash": put["x-cos-hash-crc64ecma"],
            "e_tag": put["ETag"],
            "size": str(size),
        }

    def upload_and_parse(self, session: str, data: bytes, name: str) -> dict[str, Any]:
        t0 = time.perf_counter()
        cred = self.credential("pdf")
        t1 = time.perf_counter()
        put = self.cos(cred).put_object(Bucket=cred["Bucket"], Key=cred["UploadPath"], Body=data)
        t2 = time.perf_counter()
        s = sse(
            self.http,
            "/v1/qbot/chat/docParse",
            json_body=self.parse_body(session, cred, put, len(data), name),
            final=is_parse_final,
        )
        last = s.events[-1][1]["payload"]
        return {
            "credential": t1 - t0,
            "upload": t2 - t1,
            "first": s.first,
            "final": s.final,
            "total": t2 - t0 + s.end,
            "status": last["status"],
            "doc_id": last["doc_id"],
            "events": len(s.events),
            "error": last.get("error_message", ""),
        }


# ---------------------------------------------------------------- 1. upload + parse


def bench_parse(lke: Lke, lkeap: Target, rounds: int, warmup: int) -> dict[str, Any]:
    import base64

    session = uuid.uuid4().hex
    lke_runs: list[dict[str, Any]] = []
    peer_first: list[float] = []
    peer_final: list[float] = []
    failures: list[str] = []
    load_before = loadavg()
    for i in range(warmup + rounds):
        pdf = one_page_pdf(i)
        run = lke.upload_and_parse(session, pdf, f"round{i}.pdf")
        body = json.dumps({"FileType": "PDF", "FileBase64": base64.b64encode(pdf).decode()}).encode()
        url, headers = lkeap.request(body)
        peer = sse(lke.http, url, content=body, headers=headers, final=is_lkeap_final)
        peer_ok = peer.events and peer.events[-1][1].get("ResponseType") == "TASK_RSP"
        if i < warmup:
            continue
        if run["status"] != "SUCCESS":
            failures.append(f"docParse round {i}: {run['status']} {run['error']}")
        else:
            lke_runs.append(run)
        if not peer_ok:
            failures.append(f"ReconstructDocumentSSE round {i}: {peer.events[-1:]}")
        else:
            peer_first.append(peer.first)
            peer_final.append(peer.final)
    first = [r["first"] for r in lke_runs]
    out: dict[str, Any] = {
        "rounds": rounds,
        "warmup_rounds": warmup,
        "docparse_first_event": summary(first),
        "docparse_final_event": summary([r["final"] for r in lke_runs]),
        "describe_storage_credential": summary([r["credential"] for r in lke_runs]),
        "put_object_1page": summary([r["upload"] for r in lke_runs]),
        "credential_upload_parse_total": summary([r["total"] for r in lke_runs]),
        "events_per_parse": sorted({r["events"] for r in lke_runs}),
        "peer_reconstruct_sse_first_event": summary(peer_first),
        "peer_reconstruct_sse_final_event": summary(peer_final),
        "ratio_first_event_p50_docparse_over_peer": round(ms(first, 0.5) / ms(peer_first, 0.5), 2),
        "ratio_final_event_p50_docparse_over_peer": round(
            ms([r["final"] for r in lke_runs], 0.5) / ms(peer_final, 0.5), 2
        ),
        "target_first_event_ms": 100,
        "target_met_p95": ms(first, 0.95) < 100,
        "failures": failures,
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }
    return out


# ---------------------------------------------------------------- 2. upload memory


def proc_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Sampler:
    """Samples VmRSS of a process every few ms in a thread; resets its VmHWM first when allowed."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.before = proc_kib(pid, "VmRSS")
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, proc_kib(self.pid, "VmRSS"))
            time.sleep(0.005)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def result(self, seconds: float) -> dict[str, Any]:
        after = proc_kib(self.pid, "VmRSS")
        hwm = proc_kib(self.pid, "VmHWM")
        peak = max(self.peak, after, hwm if self.hwm_reset else 0)
        time.sleep(1.0)
        settled = proc_kib(self.pid, "VmRSS")
        return {
            "seconds": round(seconds, 3),
            "rss_before_mib": round(self.before / 1024, 1),
            "rss_after_mib": round(after / 1024, 1),
            "rss_after_1s_mib": round(settled / 1024, 1),
            "rss_peak_mib": round(peak / 1024, 1),
            "vmhwm_mib": round(hwm / 1024, 1),
            "vmhwm_reset": self.hwm_reset,
            "peak_increase_mib": round((peak - self.before) / 1024, 1),
            "after_increase_mib": round((after - self.before) / 1024, 1),
        }


def measure(pid: int, action: Callable[[], object]) -> dict[str, Any]:
    time.sleep(0.3)
    with Sampler(pid) as sampler:
        t = time.perf_counter()
        action()
        seconds = time.perf_counter() - t
    return sampler.result(seconds)


def docrecon_uploads(lke: Lke, pid: int, path: Path) -> dict[str, Any]:
    size = path.stat().st_size
    out: dict[str, Any] = {}

    def put() -> None:
        cred = lke.credential("txt")
        cos = lke.cos(cred)
        with path.open("rb") as fh:
            resp = cos.put_object(Bucket=cred["Bucket"], Key=cred["UploadPath"], Body=fh)
        head = cos.head_object(Bucket=cred["Bucket"], Key=cred["UploadPath"])
        assert int(head["Content-Length"]) == size and resp["ETag"], (head, resp)

    def multipart() -> None:
        cred = lke.credential("txt")
        cos = lke.cos(cred)
        cos.upload_file(Bucket=cred["Bucket"], Key=cred["UploadPath"], LocalFilePath=str(path), PartSize=8, MAXThread=5)
        head = cos.head_object(Bucket=cred["Bucket"], Key=cred["UploadPath"])
        assert int(head["Content-Length"]) == size, head

    out["put_object"] = measure(pid, put)
    out["upload_file_multipart"] = measure(pid, multipart)
    return out


def moto_uploads(path: Path) -> dict[str, Any]:
    import boto3
    from boto3.s3.transfer import TransferConfig

    port = free_port()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                httpx.get(url + "/moto-api/", timeout=2)
                break
            except httpx.HTTPError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        s3 = boto3.client(
            "s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
        )
        s3.create_bucket(Bucket="bench")
        s3.put_object(Bucket="bench", Key="warm", Body=b"x")
        size = path.stat().st_size

        def put() -> None:
            with path.open("rb") as fh:
                s3.put_object(Bucket="bench", Key="put", Body=fh)
            assert s3.head_object(Bucket="bench", Key="put")["ContentLength"] == size

        def multipart() -> None:
            cfg = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=8 * MiB, max_concurrency=5)
            s3.upload_file(str(path), "bench", "multi", Config=cfg)
            assert s3.head_object(Bucket="bench", Key="multi")["ContentLength"] == size

        return {"put_object": measure(proc.pid, put), "upload_file_multipart": measure(proc.pid, multipart)}
    finally:
        proc.terminate()
        proc.wait(20)


def bench_memory(lke: Lke, server_pid: int, megabytes: int) -> dict[str, Any]:
    load_before = loadavg()
    with tempfile.TemporaryDirectory(prefix="bench-lke-upload-") as tmp:
        path = Path(tmp) / "random.bin"
        with path.open("wb") as fh:
            for _ in range(megabytes):
                fh.write(os.urandom(MiB))
        ours = docrecon_uploads(lke, server_pid, path)
        peer = moto_uploads(path)
    out: dict[str, Any] = {"megabytes": megabytes, "docrecon": ours, "peer_moto_boto3": peer}
    for kind in ("put_object", "upload_file_multipart"):
        a, b = ours[kind], peer[kind]
        out[f"ratio_{kind}"] = {
            "peak_increase_docrecon_over_moto": round(a["peak_increase_mib"] / max(b["peak_increase_mib"], 0.1), 3),
            "seconds_docrecon_over_moto": round(a["seconds"] / b["seconds"], 2),
        }
    out["target_increase_mib"] = 50
    out["target_met"] = all(ours[k]["peak_increase_mib"] < 50 for k in ("put_object", "upload_file_multipart"))
    out["loadavg_before"], out["loadavg_after"] = load_before, loadavg()
    return out


# ---------------------------------------------------------------- 3. chat


def bench_chat(lke: Lke, questions: int) -> dict[str, Any]:
    session = uuid.uuid4().hex
    build = []
    for title, pages in DOCS:
        t = time.perf_counter()
        run = lke.upload_and_parse(session, pdf_bytes(title, pages), title.replace(" ", "_") + ".pdf")
        assert run["status"] == "SUCCESS", run
        build.append(time.perf_counter() - t)
    load_before = loadavg()

    def ask(q: str) -> Stream:
        body = {
            "session_id": session,
            "bot_app_key": lke.bot_key,
            "request_id": str(uuid.uuid4()),
            "content": q,
            "visitor_biz_id": "bench",
        }
        return sse(
            lke.http,
            "/v1/qbot/chat/sse",
            json_body=body,
            final=lambda n, d: (
                n == "reply" and bool(d["payload"].get("is_final")) and not d["payload"].get("is_from_self")
            ),
        )

    def first_answer(s: Stream) -> float:
        for (name, data), at in zip(s.events, s.marks, strict=True):
            if name == "reply" and not data["payload"].get("is_from_self"):
                return at
        return math.nan

    cold = ask(WARMUP_QUESTIONS[0])
    for q in WARMUP_QUESTIONS[1:]:
        ask(q)
    echo: list[float] = []
    answer_first: list[float] = []
    end: list[float] = []
    correct = 0
    names: set[str] = set()
    for q, expect in (QUESTIONS * math.ceil(questions / len(QUESTIONS)))[:questions]:
        s = ask(q)
        assert s.events[0][0] == "reply" and s.events[0][1]["payload"]["is_from_self"], s.events[:1]
        echo.append(s.first)
        answer_first.append(first_answer(s))
        end.append(s.end)
        names.update(n for n, _ in s.events)
        finals = [d["payload"]["content"] for n, d in s.events if n == "reply" and not d["payload"]["is_from_self"]]
        correct += bool(finals) and expect.lower() in finals[-1].lower()
    json_lat: list[float] = []
    json_correct = 0
    for q, expect in (QUESTIONS * math.ceil(questions / len(QUESTIONS)))[:questions]:
        t = time.perf_counter()
        resp = lke.http.post(
            "/v1/qbot/chat/answer", json={"session_id": session, "bot_app_key": lke.bot_key, "content": q}
        )
        json_lat.append(time.perf_counter() - t)
        resp.raise_for_status()
        json_correct += expect.lower() in resp.json()["answer"].lower()
    return {
        "documents": len(DOCS),
        "pages_per_document": 3,
        "questions": questions,
        "build_upload_parse_per_doc": summary(build),
        "cold_first_question_ms": {
            "echo": round(cold.first * 1000, 1),
            "first_answer": round(first_answer(cold) * 1000, 1),
            "end": round(cold.end * 1000, 1),
        },
        "sse_echo_event": summary(echo),
        "sse_first_answer_event": summary(answer_first),
        "sse_end": summary(end),
        "json_answer": summary(json_lat),
        "event_names": sorted(names),
        "answers_containing_expected_fact": f"{correct}/{questions}",
        "json_answers_containing_expected_fact": f"{json_correct}/{questions}",
        "target_first_answer_ms": 300,
        "target_met_p95": ms(answer_first, 0.95) < 300,
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }


# ---------------------------------------------------------------- report


def table(report: dict[str, Any]) -> str:
    p, m, c = report["parse"], report["memory"], report["chat"]
    rows: list[tuple[str, str, str]] = []

    def line(name: str, s: dict[str, float], target: str = "") -> None:
        rows.append((name, f"{s['p50_ms']:>8.1f} {s['p95_ms']:>8.1f} {s['max_ms']:>8.1f}", target))

    line("docParse first event", p["docparse_first_event"], f"<100 ms: {'met' if p['target_met_p95'] else 'MISSED'}")
    line("docParse final SUCCESS", p["docparse_final_event"])
    line("DescribeStorageCredential (SDK)", p["describe_storage_credential"])
    line("put_object 1 page (COS SDK)", p["put_object_1page"])
    line("credential+upload+parse total", p["credential_upload_parse_total"])
    line(
        "peer ReconstructDocumentSSE first",
        p["peer_reconstruct_sse_first_event"],
        f"ratio p50 {p['ratio_first_event_p50_docparse_over_peer']}",
    )
    line(
        "peer ReconstructDocumentSSE final",
        p["peer_reconstruct_sse_final_event"],
        f"ratio p50 {p['ratio_final_event_p50_docparse_over_peer']}",
    )
    line("chat SSE echo event", c["sse_echo_event"])
    line(
        "chat SSE first answer event",
        c["sse_first_answer_event"],
        f"<300 ms: {'met' if c['target_met_p95'] else 'MISSED'}",
    )
    line("chat SSE end", c["sse_end"])
    line("chat JSON answer", c["json_answer"])
    out = [f"{'latency (ms)':<36} {'p50':>8} {'p95':>8} {'max':>8}  target / peer"]
    out += [f"{a:<36} {b}  {t}" for a, b, t in rows]
    cold = c["cold_first_question_ms"]
    out.append(
        f"cold first question: echo {cold['echo']} ms, first answer {cold['first_answer']} ms, "
        f"end {cold['end']} ms; facts found SSE {c['answers_containing_expected_fact']}, "
        f"JSON {c['json_answers_containing_expected_fact']}"
    )
    out.append("")
    out.append(
        f"{m['megabytes']} MB upload memory{'':<14} {'time s':>7} {'RSS before':>10} {'peak':>7} "
        f"{'increase':>8} {'after 1s':>8}  (MiB)"
    )
    for who, key in (("docrecon", "docrecon"), ("moto+boto3", "peer_moto_boto3")):
        for kind in ("put_object", "upload_file_multipart"):
            r = m[key][kind]
            out.append(
                f"{who + ' ' + kind:<36} {r['seconds']:>7.2f} {r['rss_before_mib']:>10.1f} "
                f"{r['rss_peak_mib']:>7.1f} {r['peak_increase_mib']:>8.1f} {r['rss_after_1s_mib']:>8.1f}"
            )
    for kind in ("put_object", "upload_file_multipart"):
        r = m[f"ratio_{kind}"]
        out.append(
            f"ratio {kind}: memory increase docrecon/moto {r['peak_increase_docrecon_over_moto']}, "
            f"time {r['seconds_docrecon_over_moto']}"
        )
    out.append(f"target increase <50 MB: {'met' if m['target_met'] else 'MISSED'}")
    out.append("")
    out.append(
        f"load average: start {report['loadavg_start']}, parse {p['loadavg_before']}->{p['loadavg_after']}, "
        f"memory {m['loadavg_before']}->{m['loadavg_after']}, chat {c['loadavg_before']}->{c['loadavg_after']}"
        f"; cpus {report['cpus']}, server workers {report['workers']}"
    )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="5 parse rounds, 6 questions, 30 MB uploads")
    ap.add_argument("--rounds", type=int, default=20, help="upload + docParse rounds")
    ap.add_argument("--questions", type=int, default=20, help="chat questions")
    ap.add_argument("--upload-mb", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("out-lke.json"))
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.questions, args.upload_mb = 5, 6, 30
    started = time.perf_counter()
    report: dict[str, Any] = {"cpus": os.cpu_count(), "workers": args.workers, "loadavg_start": loadavg()}
    tmp = Path(tempfile.mkdtemp(prefix="docrecon-bench-lke-"))
    try:
        app = cli_json("apps", "create", "--data-dir", str(tmp), "--name", "bench")
        k1 = cli_json("keys", "create", "--data-dir", str(tmp), "--name", "bench-lke")
        k2 = cli_json("keys", "create", "--data-dir", str(tmp), "--name", "bench-lkeap")
        proc, host = start_server(tmp, args.workers)
        try:
            lke = Lke(host, k1["SecretId"], k1["SecretKey"], app["BotBizId"], app["bot_app_key"])
            lkeap = Target(host, [(k2["SecretId"], k2["SecretKey"])])
            report["parse"] = bench_parse(lke, lkeap, args.rounds, warmup=3)
            report["memory"] = bench_memory(lke, proc.pid, args.upload_mb)
            report["chat"] = bench_chat(lke, args.questions)
        finally:
            proc.terminate()
            proc.wait(20)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report["loadavg_end"] = loadavg()
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    print(f"\nwall {report['wall_seconds']} s; JSON written to {args.out}")


if __name__ == "__main__":
    main()
