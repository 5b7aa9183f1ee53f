"""Per-key token buckets (spec §1.3.3 step 8): ``rate`` tokens per second, at most ``burst``.

In this process by default; shared by all API processes (:class:`docrecon.state.buckets.RedisBuckets`)
in the distributed mode. If Redis cannot be reached the local bucket decides, so requests are
never refused because the limiter is down."""

from __future__ import annotations

import logging
import threading
import time

from docrecon.errors import RateLimited
from docrecon.state.buckets import RedisBuckets

log = logging.getLogger(__name__)


class RateLimiter:
    def __init__(self, rate: float, burst: int, shared: RedisBuckets | None = None) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.shared = shared
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> bool:
        """Spend one token of ``key``'s bucket; False when it is empty."""
        if self.shared is not None and now is None:
            try:
                return self.shared.take(key)
            except Exception:  # noqa: BLE001 - Redis is down: fall back to this process's bucket
                log.warning("shared rate limit unavailable; using the local bucket", exc_info=True)
        t = now if now is not None else time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, t))
            tokens = min(self.burst, tokens + (t - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, t)
                return False
            self._buckets[key] = (tokens - 1.0, t)
            return True

    def check(self, key: str) -> None:
        if not self.take(key):
            raise RateLimited(
                f"more than {self.rate:g} requests per second with this key; slow down",
            )
