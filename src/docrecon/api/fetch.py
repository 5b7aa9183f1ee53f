"""``FileUrl`` downloads that cannot be turned against the server's own network (SSRF).

Every hop (the URL and each redirect target) is resolved first; each resolved address must be
public unless an allow-list entry admits it. The connection then goes to that checked address
(the URL's host is kept in ``Host`` and TLS SNI), so a second DNS answer cannot swap it.
Blocked: loopback, private, link-local, unique-local, shared (CGNAT), reserved, multicast,
unspecified, and cloud-metadata addresses, also when embedded in IPv6 (IPv4-mapped, 6to4,
Teredo, NAT64). Odd IPv4 spellings (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) are resolved by
the system resolver to the address they denote and checked as such.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from docrecon.config import FetchSettings
from docrecon.errors import FileUrlInvalid, TooLarge

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_METADATA = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "168.63.129.16")
}
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class AllowEntry:
    host: str | None = None
    network: IPNetwork | None = None
    port: int | None = None

    def admits(self, hostname: str, ip: IPAddress, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.host is not None:
            return self.host == hostname.lower()
        return self.network is not None and ip.version == self.network.version and ip in self.network


def parse_allow(entry: str) -> AllowEntry:
    """``host``, ``host:port``, ``10.0.0.0/8``, ``10.0.0.0/8:8080``, ``::1``, ``[::1]:9000``."""
    text, port = entry.strip(), None
    if text.startswith("["):
        inner, _, rest = text[1:].partition("]")
        text, port = inner, int(rest[1:]) if rest.startswith(":") else None
    elif text.count(":") == 1:
        text, _, p = text.partition(":")
        port = int(p)
    try:
        return AllowEntry(network=ipaddress.ip_network(text, strict=False), port=port)
    except ValueError:
        return AllowEntry(host=text.lower().rstrip("."), port=port)


def embedded_v4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 address (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_blocked(ip: IPAddress) -> bool:
    """True for every address a FileUrl must not reach without an allow-list entry."""
    if ip in _METADATA or not ip.is_global or ip.is_multicast or ip.is_reserved:
        return True
    return any(is_blocked(v4) for v4 in embedded_v4(ip))


def _canonical(ip: IPAddress) -> IPAddress:
    return ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip


async def resolve(hostname: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FileUrlInvalid(f"cannot resolve {hostname!r}: {exc}") from None
    return [_canonical(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos]


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    pinned_url: str
    host_header: str
    hostname: str


async def check_url(url: str, allow: list[AllowEntry]) -> Target:
    """Validate one hop; raises ``InvalidParameter.FileURLInvalid`` for anything refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FileUrlInvalid("FileUrl must be an http(s) URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FileUrlInvalid("FileUrl has an invalid port") from None
    hostname = parts.hostname.rstrip(".")
    ips = await resolve(hostname, port)
    for ip in ips:
        if is_blocked(ip) and not any(e.admits(hostname, ip, port) for e in allow):
            raise FileUrlInvalid(
                f"FileUrl host {hostname} resolves to a non-public address ({ip});"
                " add it to fetch.allow to permit it"
            )
    ip = ips[0]
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    pinned = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    default = port == (443 if parts.scheme == "https" else 80)
    host_header = parts.netloc.rpartition("@")[2] if not default else parts.hostname
    return Target(url, pinned, host_header, hostname)


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    name: str


def _name_of(url: str) -> str:
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return last.replace("\\", "_").strip() or "document"


async def _read_capped(resp: httpx.Response, max_bytes: int) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"the file at FileUrl is {declared} bytes, the limit is {max_bytes}")
    chunks, size = [], 0
    async for chunk in resp.aiter_bytes(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"the file at FileUrl exceeds the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class Fetcher:
    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.allow = [parse_allow(e) for e in settings.allow]
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, max_bytes: int) -> Fetched:
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await self._follow(url, max_bytes)
        except TimeoutError:
            raise FileUrlInvalid(
                f"downloading FileUrl took longer than {self.settings.total_timeout:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise FileUrlInvalid(f"downloading FileUrl failed: {type(exc).__name__}: {exc}") from None

    async def _follow(self, url: str, max_bytes: int) -> Fetched:
        for _ in range(self.settings.max_redirects + 1):
            target = await check_url(url, self.allow)
            ext = {"sni_hostname": target.hostname} if url.startswith("https") else {}
            request = self._client.build_request(
                "GET", target.pinned_url, headers={"Host": target.host_header}, extensions=ext
            )
            resp = await self._client.send(request, stream=True)
            try:
                if resp.status_code in _REDIRECTS and "location" in resp.headers:
                    url = urljoin(url, resp.headers["location"])
                    continue
                if resp.status_code != 200:
                    raise FileUrlInvalid(f"downloading FileUrl failed: HTTP {resp.status_code}")
                return Fetched(await _read_capped(resp, max_bytes), _name_of(url))
            finally:
                await resp.aclose()
        raise FileUrlInvalid(f"FileUrl redirected more than {self.settings.max_redirects} times")
