"""The per-key token bucket shared by API processes (real Redis), and its local fallback."""

from __future__ import annotations

import threading
import time

from netutil import free_port
from redisserver import redis_base_url, redis_url  # noqa: F401 - the real Redis fixtures

from docrecon.api.ratelimit import RateLimiter
from docrecon.state.buckets import RedisBuckets


def test_two_processes_share_one_bucket(redis_url: str) -> None:  # noqa: F811
    api1, api2 = (RateLimiter(0.001, 20, RedisBuckets(redis_url, 0.001, 20)) for _ in range(2))
    results: list[bool] = []
    lock = threading.Lock()

    def burst(limiter: RateLimiter) -> None:
        for _ in range(15):
            ok = limiter.take("AKIDshared")
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=burst, args=(lim,)) for lim in (api1, api2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 20 and results.count(False) == 10  # 20 in all, not 20 each
    assert api1.take("AKIDother")  # buckets are per key


def test_refill_follows_the_rate(redis_url: str) -> None:  # noqa: F811
    buckets = RedisBuckets(redis_url, 50.0, 2)
    assert buckets.take("k") and buckets.take("k")
    time.sleep(0.1)  # 5 tokens' worth at 50/s, capped at the burst of 2
    assert buckets.take("k") and buckets.take("k") and not buckets.take("k")


def test_unreachable_redis_falls_back_to_the_local_bucket() -> None:
    limiter = RateLimiter(0.001, 3, RedisBuckets(f"redis://127.0.0.1:{free_port()}/0", 0.001, 3))
    assert [limiter.take("k") for _ in range(4)] == [True, True, True, False]
