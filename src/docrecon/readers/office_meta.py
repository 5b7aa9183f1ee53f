"""Core properties (docProps/core.xml) of OOXML packages as document metadata."""

from __future__ import annotations

from docrecon.errors import CorruptDocument
from docrecon.readers.zipguard import SafeZip

_FIELDS = {
    "title": "title",
    "subject": "subject",
    "creator": "author",
    "lastModifiedBy": "last_modified_by",
    "created": "created",
    "modified": "modified",
    "keywords": "keywords",
}


def core_properties(pkg: SafeZip) -> dict[str, str]:
    """Title, author, dates... from the core properties part; damaged properties are ignored."""
    out: dict[str, str] = {}
    try:
        root = pkg.xml_opt("docProps/core.xml")
    except CorruptDocument:
        return out
    if root is None:
        return out
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        key = _FIELDS.get(tag)
        if key and el.text and el.text.strip():
            out[key] = el.text.strip()
    return out
