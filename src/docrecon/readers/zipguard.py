"""Safe access to OOXML (zip) packages: zip-bomb limits, encrypted entries, hardened XML.

Every Office reader opens its package through :class:`SafeZip` (or :func:`check_package` before
handing the bytes to a third-party library), so bad input always ends as one specific error:

* a damaged or truncated container -> :class:`CorruptDocument`
* more uncompressed bytes or a higher compression ratio than the options allow -> :class:`TooLarge`
* encrypted zip entries (the encryption flag, or WinZip AES: method 99) -> :class:`EncryptedDocument`
* a compression method other than stored / deflate / bzip2 / lzma -> :class:`UnsupportedFormat`
* the bytes actually inflated (counted while streaming, whatever the headers declare) beyond
  ``ParseOptions.max_uncompressed_bytes`` -> :class:`TooLarge`
* a DTD / entity declaration in any XML part (billion laughs, XXE) -> :class:`CorruptDocument`
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import IO

from lxml import etree

from docrecon.errors import CorruptDocument, EncryptedDocument, TooLarge, UnsupportedFormat
from docrecon.options import ParseOptions
from docrecon.readers.source import Source

#: more entries than any real Office document holds
MAX_ENTRIES = 20_000
#: ratios are only judged on entries big enough to matter (tiny XML parts compress very well)
RATIO_MIN_BYTES = 4 * 1024 * 1024
#: zip compression methods Python reads (stored, deflate, bzip2, lzma); 99 is WinZip AES
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
AES = 99
_CHUNK = 1 << 20

SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
)

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def check_entries(zf: zipfile.ZipFile, opts: ParseOptions) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise TooLarge(f"the package holds {len(infos)} entries (limit {MAX_ENTRIES})")
    total = 0
    packed = 0
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type == AES:
            raise EncryptedDocument("the package holds encrypted entries")
        if info.compress_type not in METHODS:
            raise UnsupportedFormat(
                f"the package member {info.filename} uses zip compression method {info.compress_type}, "
                "which is not supported"
            )
        total += info.file_size
        packed += info.compress_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > opts.max_compression_ratio * max(
            1, info.compress_size
        ):
            raise TooLarge(
                f"zip bomb suspected: {info.filename} expands {info.file_size // max(1, info.compress_size)}x"
            )
    if total > opts.max_uncompressed_bytes:
        raise TooLarge(f"the package expands to {total} bytes (limit {opts.max_uncompressed_bytes})")
    if total > RATIO_MIN_BYTES and total > opts.max_compression_ratio * max(1, packed):
        raise TooLarge(f"zip bomb suspected: the package expands {total // max(1, packed)}x")


def reject_dtd(data: bytes, name: str) -> None:
    """OOXML never needs a DTD; one is refused before any parser sees it."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<\x00!\x00D\x00O\x00C" in head:
        raise CorruptDocument(f"{name}: XML document type declarations are not allowed")


class SafeZip:
    """A checked zip package; XML parts parse with entities and DTDs disabled."""

    def __init__(self, src: Source, opts: ParseOptions) -> None:
        self._fh: IO[bytes] = src.open()
        try:
            self.zf = zipfile.ZipFile(self._fh)
            check_entries(self.zf, opts)
        except zipfile.BadZipFile as exc:
            self._fh.close()
            raise CorruptDocument(f"damaged zip container: {exc}") from exc
        except Exception:
            self._fh.close()
            raise
        self.names = set(self.zf.namelist())
        self._limit = opts.max_uncompressed_bytes
        self.inflated = 0

    def read(self, name: str) -> bytes:
        """The member's bytes, counted as they inflate: the package's total may not pass
        ``max_uncompressed_bytes`` whatever its headers say."""
        try:
            parts: list[bytes] = []
            with self.zf.open(name) as fh:
                while chunk := fh.read(_CHUNK):
                    self.inflated += len(chunk)
                    if self.inflated > self._limit:
                        raise TooLarge(
                            f"the package inflates to more than {self._limit} bytes (at member {name})"
                        )
                    parts.append(chunk)
            return b"".join(parts)
        except KeyError as exc:
            raise CorruptDocument(f"the package lacks the part {name}") from exc
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:  # truncated data, bad CRC
            raise CorruptDocument(f"damaged part {name}: {exc}") from exc

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        reject_dtd(data, name)
        try:
            return etree.fromstring(data, SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise CorruptDocument(f"malformed XML in {name}: {exc}") from exc

    def xml_opt(self, name: str | None) -> etree._Element | None:
        if name is None or name not in self.names:
            return None
        return self.xml(name)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationships of ``part``: id -> (type, target part or URL, external)."""
        folder, base = posixpath.split(part)
        rel_name = posixpath.join(folder, "_rels", base + ".rels")
        root = self.xml_opt(rel_name)
        out: dict[str, tuple[str, str, bool]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            if not external:
                target = resolve(folder, target)
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, external)
        return out

    def main_part(self, fallback: str) -> str:
        for rtype, target, _ in self.rels("").values():
            if rtype == "officeDocument" and target in self.names:
                return target
        if fallback in self.names:
            return fallback
        raise CorruptDocument("the package has no main document part")

    def close(self) -> None:
        self.zf.close()
        self._fh.close()


def resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def check_package(src: Source, opts: ParseOptions) -> None:
    """Run every container check (sizes, encryption, DTDs in XML parts) without keeping it open."""
    pkg = SafeZip(src, opts)
    try:
        for name in pkg.names:
            if name.endswith((".xml", ".rels", ".vml")):
                with pkg.zf.open(name) as fh:
                    reject_dtd(fh.read(4096), name)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorruptDocument(f"damaged zip container: {exc}") from exc
    finally:
        pkg.close()
