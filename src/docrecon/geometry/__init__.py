"""Page geometry below the stages and the table finders: fragments, lines, text joining."""

from docrecon.geometry.fragments import chars_to_fragments, page_fragments, region_lines, sideways_lines

__all__ = ["chars_to_fragments", "page_fragments", "region_lines", "sideways_lines"]
