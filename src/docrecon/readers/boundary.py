"""The reader boundary: whatever a third-party library raises becomes an error of the tree.

:func:`docrecon.readers.registry.get_reader` hands out every reader wrapped in
:class:`BoundaryReader`, so ``open``, page iteration and ``close`` can only raise
:class:`DocreconError` subclasses. ``zipfile``, ``olefile``, ``openpyxl``, ``xlrd``,
``python-docx``/``pptx``, Pillow, lxml and Ghostscript failures are mapped here (a reader may
still map its own cases more precisely before they get here):

==========================================  =========================
raised by the library                       error
==========================================  =========================
``RecursionError`` (deep nesting)           :class:`CorruptDocument`
``MemoryError``                             :class:`TooLarge`
``NotImplementedError`` (a zip compression  :class:`UnsupportedFormat`
method, a feature the library lacks)
"encrypted" / "password" in the message     :class:`EncryptedDocument`
anything else (``KeyError``, ``IndexError``,  :class:`CorruptDocument`
``struct.error``, ``BadZipFile``, lxml ...)
==========================================  =========================
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from docrecon.errors import CorruptDocument, DocreconError, EncryptedDocument, TooLarge, UnsupportedFormat
from docrecon.model import AssetStore, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import OpenedDocument, Reader
from docrecon.readers.formats import Format
from docrecon.readers.source import Source

_DETAIL = 200


def translate(exc: BaseException, fmt: Format) -> DocreconError:
    """The tree's error for ``exc``, raised by a reader of ``fmt``."""
    if isinstance(exc, DocreconError):
        return exc
    detail = str(exc)
    detail = detail if len(detail) <= _DETAIL else detail[:_DETAIL] + "..."
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    if isinstance(exc, RecursionError):
        return CorruptDocument(f"the {fmt.value} document nests its content too deeply to read ({what})")
    if isinstance(exc, MemoryError):
        return TooLarge(f"reading the {fmt.value} document needs more memory than allowed")
    if isinstance(exc, NotImplementedError):
        return UnsupportedFormat(f"the {fmt.value} document uses a feature the reader does not support ({what})")
    lowered = detail.lower()
    if "encrypted" in lowered or "password" in lowered:
        return EncryptedDocument(f"the {fmt.value} document is encrypted ({what})")
    return CorruptDocument(f"damaged {fmt.value} document ({what})")


class BoundaryDocument:
    """An opened document whose every call maps third-party exceptions (see :func:`translate`)."""

    def __init__(self, inner: OpenedDocument, fmt: Format) -> None:
        self._inner = inner
        self._fmt = fmt
        try:
            self.page_count = inner.page_count
            self.page_numbers = inner.page_numbers
            self.metadata = inner.metadata
            self.warnings = inner.warnings
        except DocreconError:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - the boundary: every failure becomes a tree error
            self.close()
            raise translate(exc, fmt) from exc

    def pages(self) -> Iterator[Page]:
        it = self._inner.pages()
        while True:
            try:
                page = next(it)
            except StopIteration:
                return
            except DocreconError:
                raise
            except Exception as exc:  # noqa: BLE001 - the boundary
                raise translate(exc, self._fmt) from exc
            yield page

    def close(self) -> None:
        try:
            self._inner.close()
        except DocreconError:
            raise
        except Exception as exc:  # noqa: BLE001 - the boundary
            raise translate(exc, self._fmt) from exc


class BoundaryReader:
    """A reader whose ``open`` maps third-party exceptions and returns a :class:`BoundaryDocument`."""

    formats: ClassVar[frozenset[Format]] = frozenset()

    def __init__(self, inner: Reader) -> None:
        self.inner = inner

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> OpenedDocument:
        try:
            opened = self.inner.open(src, fmt, opts, assets)
        except DocreconError:
            raise
        except Exception as exc:  # noqa: BLE001 - the boundary
            raise translate(exc, fmt) from exc
        return BoundaryDocument(opened, fmt)


__all__ = ["BoundaryDocument", "BoundaryReader", "translate"]
