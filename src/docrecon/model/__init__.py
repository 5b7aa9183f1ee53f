"""The document model: Document -> Page -> Block, plus the raw reader output."""

from docrecon.model.assets import AssetStore, DirAssets, MemoryAssets
from docrecon.model.document import (
    SCHEMA_VERSION,
    Block,
    Cell,
    Document,
    FailedPage,
    Page,
    SourceInfo,
    Table,
)
from docrecon.model.raw import Char, RawImage, RawPage, Rule, TextLine
from docrecon.model.types import FURNITURE_TYPES, BBox, BlockType, ImageRef, Layer, Origin

__all__ = [
    "FURNITURE_TYPES",
    "SCHEMA_VERSION",
    "AssetStore",
    "BBox",
    "Block",
    "BlockType",
    "Cell",
    "Char",
    "DirAssets",
    "Document",
    "FailedPage",
    "ImageRef",
    "Layer",
    "MemoryAssets",
    "Origin",
    "Page",
    "RawImage",
    "RawPage",
    "Rule",
    "SourceInfo",
    "Table",
    "TextLine",
]
