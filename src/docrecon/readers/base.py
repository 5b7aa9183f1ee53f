"""The reader plug-in point: a format family turns a Source into pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from docrecon.model import AssetStore, Page
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.readers.source import Source


class OpenedDocument(Protocol):
    #: pages in the whole source (before the range is applied)
    page_count: int
    #: the 1-based numbers of the pages :meth:`pages` will yield
    page_numbers: list[int]
    metadata: dict[str, str]
    #: what the reader left out or could not read (e.g. a slide shape it does not know), for
    #: ``Document.warnings``; a reader may add to it while pages are read
    warnings: list[str]

    def pages(self) -> Iterator[Page]:
        """Yield the selected pages one at a time. A page that cannot be read is yielded with
        ``failed=True`` and ``error`` set instead of raising."""
        ...

    def close(self) -> None: ...


class Reader(Protocol):
    formats: ClassVar[frozenset[Format]]

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> OpenedDocument:
        """Open ``src``; raise EncryptedDocument / CorruptDocument / InputError subclasses on bad
        input. Must not read every page up front."""
        ...


@dataclass
class ListDocument:
    """An OpenedDocument over pages already built in memory (small formats: CSV, TXT, DOCX...)."""

    all_pages: list[Page]
    opts: ParseOptions
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.all_pages)

    @property
    def page_numbers(self) -> list[int]:
        return self.opts.page_range(self.page_count)

    def pages(self) -> Iterator[Page]:
        wanted = set(self.page_numbers)
        for page in self.all_pages:
            if page.number in wanted:
                yield page

    def close(self) -> None:
        self.all_pages = []
