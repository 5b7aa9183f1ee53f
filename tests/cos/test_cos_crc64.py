"""CRC-64 as COS sends it in x-cos-hash-crc64ecma (spec §3.3.4)."""

from __future__ import annotations

import os

import pytest

from docrecon.cos.crc64 import ACCELERATED, crc64, crc64_python

VECTORS = [
    (b"", 0),
    (b"a", 3675645893302102789),
    (b"123456789", 11051210869376104954),
    (b"hello docrecon\n", 3559886382973348025),
]


@pytest.mark.parametrize(("data", "expected"), VECTORS, ids=["empty", "a", "check", "hello"])
def test_spec_vectors(data: bytes, expected: int) -> None:
    assert crc64(data) == expected
    assert crc64_python(data) == expected


def test_check_value_in_hex() -> None:
    assert crc64(b"123456789") == 0x995DC9BBDF1939FA


def test_continues_across_chunks() -> None:
    data = os.urandom(100_003)
    crc = 0
    for i in range(0, len(data), 4096):
        crc = crc64(data[i : i + 4096], crc)
    assert crc == crc64(data) == crc64_python(data)


def test_crcmod_c_extension_is_used() -> None:
    assert ACCELERATED
