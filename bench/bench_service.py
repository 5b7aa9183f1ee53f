"""Service benchmark: SDK round trip, time to first event, sustained load, memory over requests.

Starts ``python -m docrecon.api`` on a free loopback port with a temporary data directory and
drives it over HTTP (hand-signed TC3 requests; the official SDK for the round-trip figure).

    .venv/bin/python bench/bench_service.py                 # full run (load: 20 req/s for 60 s)
    .venv/bin/python bench/bench_service.py --quick         # 10 s of load, 200 memory requests
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from docrecon.api.tc3 import sign_headers
from docrecon.state import KeyStore, load_server_secret

ACTION = "ReconstructDocumentSSE"


def make_pdf(pages: int = 1) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 720, f"Benchmark page {p + 1}")
        c.drawString(72, 700, "A short paragraph of text for the parser to read.")
        c.showPage()
    c.save()
    return buf.getvalue()


class Target:
    """The server and the keys to sign with. Requests rotate over the keys: sequential runs
    faster than the per-key limit (20/s) use several keys; the load run uses one."""

    def __init__(self, host: str, keys: list[tuple[str, str]]) -> None:
        self.host, self.keys, self._next = host, keys, 0

    def request(self, body: bytes) -> tuple[str, dict[str, str]]:
        secret_id, secret_key = self.keys[self._next % len(self.keys)]
        self._next += 1
        ts = int(time.time())
        headers = {"Content-Type": "application/json", "Host": self.host, "X-TC-Action": ACTION,
                   "X-TC-Version": "2024-05-22", "X-TC-Timestamp": str(ts),
                   "Authorization": sign_headers(secret_id, secret_key, "lkeap", self.host, body, ts)}
        return f"http://{self.host}/", headers


async def one_call(client: httpx.AsyncClient, target: Target, body: bytes) -> dict[str, Any]:
    """Send one SSE request; times (s) to the first and the final event, and the outcome."""
    url, headers = target.request(body)
    start = time.perf_counter()
    started = time.time()
    first = final = None
    ok = False
    async with client.stream("POST", url, content=body, headers=headers) as resp:
        async for line in resp.aiter_lines():
            if not line.startswith("data: "):
                continue
            now = time.perf_counter() - start
            first = first if first is not None else now
            data = json.loads(line[6:])
            if data.get("ResponseType") == "TASK_RSP" or "Response" in data:
                final, ok = now, data.get("ResponseType") == "TASK_RSP"
    return {"first": first, "final": final, "ok": ok, "started": started}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


async def latency(target: Target, body: bytes, n: int) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(5):
            await one_call(client, target, body)  # warm-up
        runs = [await one_call(client, target, body) for _ in range(n)]
    firsts = [r["first"] for r in runs if r["ok"]]
    finals = [r["final"] for r in runs if r["ok"]]
    return {"first_event_p50_ms": pct(firsts, 0.5), "first_event_p99_ms": pct(firsts, 0.99),
            "final_event_p50_ms": pct(finals, 0.5), "errors": sum(not r["ok"] for r in runs)}


async def load(target: Target, body: bytes, rate: float, seconds: float) -> dict[str, float]:
    """Open-loop: a request every 1/rate s whatever the earlier ones are doing."""
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=200)) as client:
        tasks = []
        start, t0 = time.perf_counter(), time.time()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one_call(client, target, body)))
        results = await asyncio.gather(*tasks, return_exceptions=True)
    good = [r for r in results if isinstance(r, dict) and r["ok"]]
    return {"requests": len(results), "errors": len(results) - len(good),
            "achieved_rps": len(results) / (time.perf_counter() - start),
            "first_event_p50_ms": pct([r["first"] for r in good], 0.5),
            "first_event_p99_ms": pct([r["first"] for r in good], 0.99),
            "final_event_p50_ms": pct([r["final"] for r in good], 0.5),
            "final_event_p99_ms": pct([r["final"] for r in good], 0.99),
            "slow_over_500ms_at_s": [round(r["started"] - t0, 2) for r in good if r["final"] > 0.5]}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def memory(target: Target, body: bytes, pid: int, n: int) -> dict[str, Any]:
    samples = []
    async with httpx.AsyncClient(timeout=60) as client:
        for i in range(n):
            r = await one_call(client, target, body)
            assert r["ok"], r
            if i % 100 == 99 or i == 9:
                samples.append((i + 1, rss_kib(pid)))
    return {"rss_kib_by_request": samples, "growth_kib_after_warmup": samples[-1][1] - samples[1][1]}


def sdk_round_trip(host: str, secret_id: str, secret_key: str, pdf: bytes, n: int) -> dict[str, float]:
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.lkeap.v20240522 import lkeap_client, models

    client = lkeap_client.LkeapClient(credential.Credential(secret_id, secret_key), "ap-guangzhou",
                                      ClientProfile(httpProfile=HttpProfile(endpoint=host, protocol="http")))
    req = models.ReconstructDocumentSSERequest()
    req.FileType, req.FileBase64 = "PDF", base64.b64encode(pdf).decode()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        events = [e for e in client.ReconstructDocumentSSE(req) if "data" in e]
        assert json.loads(events[-1]["data"])["ResponseType"] == "TASK_RSP"
        times.append(time.perf_counter() - t)
    return {"sdk_round_trip_p50_ms": statistics.median(times) * 1000}


def start_server(data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(DOCRECON_DATA_DIR=str(data_dir), DOCRECON_SERVER__LOG_LEVEL="warning")
    proc = subprocess.Popen([sys.executable, "-m", "docrecon.api", "--port", str(port), "--workers", str(workers)],
                            env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return proc, f"127.0.0.1:{port}"
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--memory-requests", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("out-service.json"))
    args = ap.parse_args()
    if args.quick:
        args.seconds, args.memory_requests = 10.0, 200
    with tempfile.TemporaryDirectory(prefix="docrecon-bench-") as tmp:
        data_dir = Path(tmp)
        store = KeyStore(data_dir / "keys.sqlite3", load_server_secret(data_dir))
        keys = [(k.secret_id, k.secret_key) for k in (store.create(f"bench{i}").key for i in range(8))]
        store.close()
        proc, host = start_server(data_dir, args.workers)
        try:
            target, single = Target(host, keys), Target(host, keys[:1])
            pdf = make_pdf(1)
            body = json.dumps({"FileType": "PDF", "FileBase64": base64.b64encode(pdf).decode()}).encode()
            report: dict[str, Any] = {"workers": args.workers, "cpus": os.cpu_count()}
            report["sdk"] = sdk_round_trip(host, *keys[0], pdf, 20)
            report["latency_1page"] = asyncio.run(latency(target, body, 100))
            report["load"] = {"rate": args.rate, "seconds": args.seconds,
                              **asyncio.run(load(single, body, args.rate, args.seconds))}
            report["memory"] = asyncio.run(memory(target, body, proc.pid, args.memory_requests))
        finally:
            proc.terminate()
            proc.wait(20)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
