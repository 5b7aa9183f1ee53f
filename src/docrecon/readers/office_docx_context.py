"""Document-wide state of a DOCX read: package, relationships, styles, numbering, pictures, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from docrecon.model import AssetStore, ImageRef
from docrecon.options import ParseOptions
from docrecon.readers.office_charts import ChartData, chart_part, drawingml_chart
from docrecon.readers.office_docx_inline import ext_of
from docrecon.readers.office_docx_styles import Numbering, Styles, w
from docrecon.readers.zipguard import SafeZip, reject_dtd

MIME = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf",
    "wmf": "image/x-wmf", "svg": "image/svg+xml", "webp": "image/webp",
}


@dataclass
class DocxContext:
    pkg: SafeZip
    part: str
    opts: ParseOptions
    assets: AssetStore
    styles: Styles
    numbering: Numbering
    rels: dict[str, tuple[str, str, bool]]
    page: int = 1
    #: False while reading headers, footers and notes (their pictures are not extracted)
    images_on: bool = True
    images: dict[str, ImageRef] = field(default_factory=dict)
    #: (label, kind, note id) in order of first reference
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    note_parts: dict[str, dict[str, etree._Element]] = field(default_factory=dict)
    note_rels: dict[str, dict[str, tuple[str, str, bool]]] = field(default_factory=dict)
    #: for ``Document.warnings`` (an unreadable chart part)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, pkg: SafeZip, opts: ParseOptions, assets: AssetStore) -> DocxContext:
        part = pkg.main_part("word/document.xml")
        rels = pkg.rels(part)
        by_type = {rtype: target for rtype, target, ext in rels.values() if not ext}
        ctx = cls(
            pkg, part, opts, assets, Styles(pkg.xml_opt(by_type.get("styles"))),
            Numbering.load(pkg.xml_opt(by_type.get("numbering"))), rels,
        )
        for kind in ("footnote", "endnote"):
            target = by_type.get(kind + "s")
            root = pkg.xml_opt(target)
            notes = {} if root is None else {n.get(w("id"), ""): n for n in root.iter(w(kind))}
            ctx.note_parts[kind] = notes
            ctx.note_rels[kind] = pkg.rels(target) if target else {}
        return ctx

    def image(self, rid: str, size: tuple[int, int]) -> ImageRef | None:
        if not (self.images_on and self.opts.extract_images) or rid not in self.rels:
            return None
        start, end = self.opts.page_start or 1, self.opts.page_end
        if self.page < start or (end is not None and self.page > end):
            return None
        _, target, external = self.rels[rid]
        if external or target not in self.pkg.names:
            return None
        if target in self.images:
            return self.images[target]
        ext = ext_of(target)
        name = f"p{self.page}_img{len(self.images) + 1}.{ext}"
        ref = self.assets.put(name, self.pkg.read(target), MIME.get(ext, "application/octet-stream"), *size)
        self.images[target] = ref
        return ref

    def chart(self, rid: str) -> ChartData | None:
        """The chart part behind ``c:chart r:id`` (read as PPTX charts are); None when the
        relationship or part is missing, external or unreadable (with a warning)."""
        if rid not in self.rels:
            return None
        _, target, external = self.rels[rid]
        if external or target not in self.pkg.names:
            return None
        blob = self.pkg.read(target)
        reject_dtd(blob, target)
        try:
            return drawingml_chart(chart_part(blob))
        except (etree.XMLSyntaxError, ValueError, KeyError, AttributeError, TypeError) as exc:
            self.warnings.append(f"chart {target} not read: {type(exc).__name__}: {exc}")
            return None

    def note_ref(self, kind: str, note_id: str) -> str:
        if note_id not in self.note_parts.get(kind, {}):
            return ""
        for label, k, nid in self.notes:
            if k == kind and nid == note_id:
                return label
        count = sum(1 for _, k, _ in self.notes if k == kind) + 1
        label = str(count) if kind == "footnote" else f"e{count}"
        self.notes.append((label, kind, note_id))
        return label

    def note(self, kind: str, note_id: str) -> etree._Element:
        return self.note_parts[kind][note_id]

    def part_xml(self, rid: str) -> tuple[etree._Element, dict[str, tuple[str, str, bool]]] | None:
        """A related part (header, footer) and its own relationships."""
        if rid not in self.rels:
            return None
        _, target, external = self.rels[rid]
        root = None if external else self.pkg.xml_opt(target)
        return None if root is None else (root, self.pkg.rels(target))
