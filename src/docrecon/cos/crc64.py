"""CRC-64 as COS reports it in ``x-cos-hash-crc64ecma`` (spec §3.3.4): the CRC-64/XZ variant
(ECMA-182 polynomial, reflected, initial and final XOR all ones).

``crc64(data, crc)`` continues from a previous result, so an object's CRC is computed while it
streams in. crcmod's C extension does the work when it is importable (the COS SDK uses the same
parameters); otherwise a table-driven loop gives the same values, slowly.
"""

from __future__ import annotations

from collections.abc import Callable

_POLY_REFLECTED = 0xC96C5795D7870F42
_MASK = 0xFFFFFFFFFFFFFFFF


def _make_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _POLY_REFLECTED if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _make_table()


def crc64_python(data: bytes, crc: int = 0) -> int:
    """The table-driven reference (a few MB/s); same results as :func:`crc64`."""
    crc ^= _MASK
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _MASK


def _load_crcmod() -> Callable[[bytes, int], int] | None:
    try:
        import crcmod
        import crcmod._crcfunext  # noqa: F401 - the C extension, or slow
    except ImportError:
        return None
    fun: Callable[[bytes, int], int] = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=_MASK, rev=True)
    return fun


_FAST = _load_crcmod()
#: True when crcmod's C extension computes the CRC
ACCELERATED = _FAST is not None


def crc64(data: bytes, crc: int = 0) -> int:
    """CRC-64/XZ of ``data``, continuing from ``crc`` (the result for the bytes before it)."""
    if _FAST is not None:
        return _FAST(data, crc)
    return crc64_python(data, crc)
