"""Spreadsheet cell values as displayed: Excel number formats (numbers, percentages, currency,
dates and times). Covers the formats used in practice; anything unknown falls back to General.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_QUOTED = re.compile(r'"[^"]*"|\\.')
_COLOR = re.compile(r"\[(?:black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+)\]", re.IGNORECASE)
_COND = re.compile(r"\[[<>=][^\]]*\]")
_LOCALE = re.compile(r"\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]")
_DATE_TOKENS = re.compile(r"yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p", re.IGNORECASE)
_NUMBER = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def general(value: float) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant}E{exp[0]}{exp[1:].zfill(2)}"
    return text


def _strip(fmt: str) -> str:
    fmt = _COLOR.sub("", fmt)
    fmt = _COND.sub("", fmt)
    return _LOCALE.sub(lambda m: f'"{m.group(1)}"', fmt)


@lru_cache(maxsize=512)
def _sections(fmt: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in _strip(fmt):
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


@lru_cache(maxsize=512)
def is_date_format(fmt: str) -> bool:
    bare = _QUOTED.sub("", _sections(fmt)[0]).lower()
    bare = re.sub(r"\[[^\]]*\]", "", bare)
    return bool(re.search(r"[ymdhs]", bare)) and "general" not in bare


def _literal(part: str) -> str:
    return part.replace('"', "").replace("\\", "").replace("_", "").replace("*", "")


def format_number(value: float, fmt: str) -> str:
    secs = _sections(fmt)
    sec = secs[0]
    if value < 0 and len(secs) > 1 and secs[1].strip():
        sec, value = secs[1], -value
    elif value == 0 and len(secs) > 2 and secs[2].strip():
        sec = secs[2]
    if "general" in sec.lower() or "?/" in sec or "#/" in sec:
        return general(value)
    bare = _QUOTED.sub(lambda m: "\x00" * len(m.group(0)), sec)
    m = _NUMBER.search(bare)
    if m is None:
        return _literal(sec).strip() or general(value)
    body = sec[m.start() : m.end()]
    prefix, suffix = _literal(sec[: m.start()]), _literal(sec[m.end() :])
    if "%" in prefix + suffix:
        value *= 100
    if "E+" in suffix.upper() or "E-" in suffix.upper():
        return general(value)
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    text = f"{value:,.{decimals}f}" if "," in body.split(".")[0] else f"{value:.{decimals}f}"
    return f"{prefix}{text}{suffix}".strip()


def _date_token(tok: str, value: dt.datetime, minute: bool, ampm: bool) -> str:
    t = tok.lower()
    hour = value.hour % 12 or 12 if ampm else value.hour
    table = {
        "yyyy": f"{value.year:04d}", "yy": f"{value.year % 100:02d}",
        "mmmmm": value.strftime("%B")[:1], "mmmm": value.strftime("%B"), "mmm": value.strftime("%b"),
        "mm": f"{value.minute:02d}" if minute else f"{value.month:02d}",
        "m": str(value.minute) if minute else str(value.month),
        "dddd": value.strftime("%A"), "ddd": value.strftime("%a"), "dd": f"{value.day:02d}",
        "d": str(value.day), "hh": f"{hour:02d}", "h": str(hour), "ss": f"{value.second:02d}",
        "s": str(value.second), "am/pm": "AM" if value.hour < 12 else "PM",
        "a/p": "A" if value.hour < 12 else "P",
    }
    return table.get(t, tok)


def format_date(value: dt.datetime | dt.date | dt.time, fmt: str) -> str:
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    sec = re.sub(r"\[[^\]]*\]", "", _sections(fmt)[0])
    sec = re.sub(r"\.0+", "", sec)
    ampm = bool(re.search(r"am/pm|a/p", sec, re.IGNORECASE))
    tokens = list(_DATE_TOKENS.finditer(sec))
    out, pos = [], 0
    for i, m in enumerate(tokens):
        out.append(_literal(sec[pos : m.start()]))
        tok = m.group(0).lower()
        prev = tokens[i - 1].group(0).lower() if i else ""
        nxt = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
        minute = tok in ("m", "mm") and (prev.startswith("h") or nxt.startswith("s"))
        out.append(_date_token(m.group(0), value, minute, ampm))
        pos = m.end()
    out.append(_literal(sec[pos:]))
    return "".join(out).strip()


def display(value: object, fmt: str | None) -> str:
    """The text a spreadsheet shows for ``value`` under number format ``fmt``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    fmt = fmt or "General"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if not is_date_format(fmt):
            fmt = "yyyy-mm-dd hh:mm:ss" if isinstance(value, dt.datetime) and value.time() != dt.time() else (
                "hh:mm:ss" if isinstance(value, dt.time) else "yyyy-mm-dd"
            )
        return format_date(value, fmt)
    if isinstance(value, int | float):
        if fmt == "General" or fmt == "@":
            return general(value)
        try:
            return format_number(float(value), fmt)
        except (ValueError, OverflowError):
            return general(value)
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(value)
