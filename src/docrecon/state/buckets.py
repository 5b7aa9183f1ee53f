"""Token buckets shared by every API process (distributed mode): one Redis hash per key,
refilled and spent atomically by a Lua script on Redis's own clock, so the per-key rate holds
across all API processes whichever one a request reaches."""

from __future__ import annotations

from typing import Any

_TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local v = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(v[1]) or burst
local last = tonumber(v[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'last', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return ok
"""
PREFIX = "docrecon:bucket:"


class RedisBuckets:
    def __init__(self, url: str, rate: float, burst: int) -> None:
        import redis

        self.rate, self.burst = rate, burst
        self._redis = redis.Redis.from_url(url)
        self._take: Any = self._redis.register_script(_TAKE)

    def take(self, key: str) -> bool:
        """Spend one token of ``key``'s bucket; False when it is empty (raises on Redis errors)."""
        return bool(self._take(keys=[PREFIX + key], args=[self.rate, self.burst]))
