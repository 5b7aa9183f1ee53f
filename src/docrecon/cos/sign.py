"""The COS request signature, ``q-sign-algorithm=sha1`` (spec §3.3.6), both ways.

::

    SignKey      = hex(HMAC-SHA1(SecretKey, KeyTime))
    HttpString   = method \\n path \\n HttpParameters \\n HttpHeaders \\n
    StringToSign = sha1 \\n SignTime \\n hex(SHA1(HttpString)) \\n
    Signature    = hex(HMAC-SHA1(SignKey, StringToSign))

Parameters and headers are URL-encoded (unreserved ``-_.~``), names lower-cased, sorted, joined
as ``k=v`` with ``&``; ``path`` is the un-encoded key with a leading ``/``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

ALGORITHM = "sha1"
TOKEN = "x-cos-security-token"
_FIELDS = ("q-sign-algorithm", "q-ak", "q-sign-time", "q-key-time", "q-header-list", "q-url-param-list", "q-signature")


@dataclass(frozen=True, slots=True)
class CosAuth:
    """The ``key=value`` pairs of an ``Authorization`` value (or of a presigned query)."""

    algorithm: str
    access_key: str
    sign_time: str
    key_time: str
    header_list: tuple[str, ...]
    param_list: tuple[str, ...]
    signature: str

    @property
    def window(self) -> tuple[int, int]:
        """``(start, end)`` of ``q-sign-time``; ValueError if malformed."""
        return _window(self.sign_time)


def _window(value: str) -> tuple[int, int]:
    start, sep, end = value.partition(";")
    if not sep:
        raise ValueError(f"bad sign time {value!r}")
    return int(start), int(end)


def _names(value: str) -> tuple[str, ...]:
    return tuple(n for n in value.split(";") if n)


def auth_from_pairs(pairs: Mapping[str, str]) -> CosAuth:
    """Build :class:`CosAuth` from its ``q-*`` fields; ValueError if one is missing or malformed."""
    missing = [f for f in _FIELDS if f not in pairs]
    if missing:
        raise ValueError(f"authorization lacks {', '.join(missing)}")
    auth = CosAuth(
        pairs["q-sign-algorithm"],
        pairs["q-ak"],
        pairs["q-sign-time"],
        pairs["q-key-time"],
        _names(pairs["q-header-list"]),
        _names(pairs["q-url-param-list"]),
        pairs["q-signature"],
    )
    auth.window  # noqa: B018 - validates q-sign-time
    _window(auth.key_time)
    return auth


def parse_authorization(value: str) -> CosAuth:
    """Parse an ``Authorization`` header value; ValueError if it is not a COS signature."""
    pairs: dict[str, str] = {}
    for item in value.strip().split("&"):
        name, sep, val = item.partition("=")
        if not sep:
            raise ValueError(f"malformed authorization item {item!r}")
        pairs[name.strip()] = val.strip()
    return auth_from_pairs(pairs)


def encode(text: str) -> str:
    """URL-encoding of the signature: everything but ``A-Za-z0-9-_.~`` (space as ``%20``)."""
    return quote(text.encode("utf-8", "surrogateescape"), safe="-_.~")


def canonical(items: Mapping[str, str]) -> tuple[str, str]:
    """``(names joined by ';', 'k=v' pairs joined by '&')`` of parameters or headers."""
    encoded = sorted((encode(k).lower(), encode(v)) for k, v in items.items())
    return ";".join(k for k, _ in encoded), "&".join(f"{k}={v}" for k, v in encoded)


def http_string(method: str, path: str, params: Mapping[str, str], headers: Mapping[str, str]) -> str:
    return f"{method.lower()}\n{path}\n{canonical(params)[1]}\n{canonical(headers)[1]}\n"


def string_to_sign(sign_time: str, http: str) -> str:
    return f"{ALGORITHM}\n{sign_time}\n{hashlib.sha1(http.encode('utf-8')).hexdigest()}\n"


def signature(secret_key: str, key_time: str, to_sign: str) -> str:
    sign_key = hmac.new(secret_key.encode(), key_time.encode(), hashlib.sha1).hexdigest()
    return hmac.new(sign_key.encode(), to_sign.encode("utf-8"), hashlib.sha1).hexdigest()


def authorization(
    method: str,
    path: str,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    secret_id: str,
    secret_key: str,
    start: int,
    end: int,
) -> str:
    """The ``Authorization`` value the SDK would send (``path`` un-encoded, leading ``/``)."""
    window = f"{start};{end}"
    sig = signature(secret_key, window, string_to_sign(window, http_string(method, path, params, headers)))
    return (
        f"q-sign-algorithm={ALGORITHM}&q-ak={secret_id}&q-sign-time={window}&q-key-time={window}"
        f"&q-header-list={canonical(headers)[0]}&q-url-param-list={canonical(params)[0]}&q-signature={sig}"
    )


def _host_without_port(host: str) -> str | None:
    try:
        parsed = urlsplit(f"//{host}")
        name, port = parsed.hostname, parsed.port
    except ValueError:
        return None
    return name if name and port is not None else None


def _pick(listed: Iterable[str], available: Mapping[str, str]) -> dict[str, str] | None:
    """The listed (lower-cased, encoded) names with their values; None if one is absent."""
    picked: dict[str, str] = {}
    for name in listed:
        if name not in available:
            return None
        picked[name] = available[name]
    return picked


def _by_encoded_name(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request parameters or headers keyed the way names appear in the lists (first value wins)."""
    out: dict[str, str] = {}
    for name, value in items:
        out.setdefault(encode(name).lower(), value)
    return out


def verify(
    auth: CosAuth,
    secret_key: str,
    method: str,
    path: str,
    params: Iterable[tuple[str, str]],
    headers: Iterable[tuple[str, str]],
) -> bool:
    """Recompute the signature from the request as received (decoded ``path``, decoded query
    pairs, header pairs). If ``host`` is signed and carries a port, the host without the port is
    tried too: the SDK signs the URL's hostname when it sets no ``Host`` header itself."""
    chosen_params = _pick(auth.param_list, _by_encoded_name(params))
    all_headers = _by_encoded_name(headers)
    chosen_headers = _pick(auth.header_list, all_headers)
    if chosen_params is None or chosen_headers is None:
        return False
    candidates = [chosen_headers]
    bare = _host_without_port(chosen_headers.get("host", ""))
    if bare is not None:
        candidates.append({**chosen_headers, "host": bare})
    for hdrs in candidates:
        expected = signature(
            secret_key, auth.key_time, string_to_sign(auth.sign_time, _listed_http(method, path, chosen_params, hdrs))
        )
        if hmac.compare_digest(expected, auth.signature.lower()):
            return True
    return False


def _listed_http(method: str, path: str, params: Mapping[str, str], headers: Mapping[str, str]) -> str:
    """HttpString from items already keyed by their encoded lower-case names."""
    ps = "&".join(f"{k}={encode(v)}" for k, v in sorted(params.items()))
    hs = "&".join(f"{k}={encode(v)}" for k, v in sorted(headers.items()))
    return f"{method.lower()}\n{path}\n{ps}\n{hs}\n"


def presign(
    method: str,
    host: str,
    key: str,
    secret_id: str,
    secret_key: str,
    token: str | None,
    start: int,
    end: int,
) -> str:
    """The query string of a presigned URL for ``key``: the signature fields, then the token as
    ``x-cos-security-token`` (signed as a parameter). ``host`` is signed without its port."""
    path = key if key.startswith("/") else f"/{key}"
    params = {TOKEN: token} if token else {}
    signed_host = _host_without_port(host) or host
    auth = authorization(method, path, params, {"host": signed_host}, secret_id, secret_key, start, end)
    fields = dict(item.split("=", 1) for item in auth.split("&"))
    return urlencode({**fields, **params}, quote_via=quote, safe="")
