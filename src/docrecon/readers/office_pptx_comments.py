"""Review comments on slides (legacy ``p:cmLst`` and modern threaded ``p188:cmLst`` parts)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from docrecon.readers.zipguard import SAFE_PARSER, reject_dtd

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _root(blob: bytes, name: str) -> etree._Element | None:
    reject_dtd(blob, name)
    try:
        return etree.fromstring(blob, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(el: etree._Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


class CommentAuthors:
    """Author id -> name, from commentAuthors.xml (legacy) and authors.xml (modern)."""

    def __init__(self, prs: Any) -> None:
        self.names: dict[str, str] = {}
        for rel in prs.part.rels.values():
            if rel.is_external or not rel.reltype.endswith(("/commentAuthors", "/authors")):
                continue
            root = _root(rel.target_part.blob, str(rel.target_part.partname))
            for el in root.iter() if root is not None else ():
                if _local(el) in ("cmAuthor", "author") and el.get("id") is not None:
                    self.names[el.get("id", "")] = el.get("name", "")


def slide_comments(slide: Any, authors: CommentAuthors) -> list[tuple[str, str, str]]:
    """(author, time, text) of every comment and reply on ``slide``, in file order."""
    out: list[tuple[str, str, str]] = []
    for rel in slide.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/comments", "/modernComment")):
            continue
        root = _root(rel.target_part.blob, str(rel.target_part.partname))
        if root is None:
            continue
        for el in root.iter():
            if _local(el) not in ("cm", "reply"):
                continue
            text = _comment_text(el)
            if text:
                who = authors.names.get(el.get("authorId", ""), "")
                out.append((who, el.get("dt") or el.get("created") or "", text))
    return out


def _comment_text(el: etree._Element) -> str:
    for child in el:
        if _local(child) == "text":
            return " ".join((child.text or "").split())
        if _local(child) == "txBody":
            paras = ["".join(t.text or "" for t in p.iter(f"{A}t")) for p in child.iter(f"{A}p")]
            return " ".join(" ".join(paras).split())
    return ""
