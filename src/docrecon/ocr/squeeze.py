"""How much a text-line crop is squeezed horizontally before recognition, and when a reading
must be repeated wider.

The recogniser scales every crop to 48 px high and emits one CTC step per 8 input columns, so
its cost is proportional to the crop's width at that height. A line has room to spare when it
gets many steps per character. Chinese characters are square and get 4–6 steps at full width;
Latin text gets about 2, and condensed Latin type 1.5–1.8. Measured on 5,245 lines of 15
born-digital dev PDFs rendered at 150 and 200 dpi, and on 48 generated Chinese pages (4 fonts,
9–12 pt, clean and scanned):

- Latin lines squeezed to 85 % read the same, except where the type is condensed: lines with
  under 1.75 steps per character at full width lost 10 % of their exact readings.
- Chinese lines squeezed to 70 % read as well as at full width (CER 0.15 % either way); at
  60 % errors start on 9 pt scans, at 50 % they double.

So: a crop is first read at :data:`LATIN` (85 %), if it is at least 24 px high. Once most of
the characters read on a page are CJK, later crops are read at :data:`CJK` (70 %), down to
16 px high (on generated pages of 7, 8 and 9 pt Chinese at 150 dpi, whose crops are 19–23 px
high, that squeeze added no error). A reading is repeated wider when it
proves the guess wrong: a crop read at 70 % that comes back mostly non-CJK is read again at
85 %, and one read at 85 % with fewer than :data:`MIN_STEPS` steps per character is read again
unsqueezed. When a third of a page's readings at 85 % had to be repeated, its type is condensed
and the rest of the page is read unsqueezed straight away.
"""

from __future__ import annotations

from dataclasses import dataclass

#: squeeze for a line of Latin (or unknown) script
LATIN = 0.85
#: squeeze for a line on a page whose text is mostly CJK
CJK = 0.7
#: Latin crops lower than this (pixels) are too coarse to be squeezed ...
MIN_HEIGHT = 24
#: ... CJK ones keep enough detail down to this height (7-9 pt at 150 dpi: no extra errors)
MIN_HEIGHT_CJK = 16
#: a reading at LATIN with fewer CTC steps per character than this is repeated unsqueezed
MIN_STEPS = 1.5
#: the recogniser's input height and its CTC stride (input columns per step)
REC_HEIGHT = 48
REC_STRIDE = 8


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, hangul and full-width forms and punctuation."""
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF)


def cjk_share(text: str) -> float:
    """The share of CJK characters among the non-space characters of ``text`` (0 when empty)."""
    chars = [c for c in text if not c.isspace()]
    return sum(map(is_cjk, chars)) / len(chars) if chars else 0.0


def squeezable(height: int, width: int, factor: float) -> bool:
    """Only long crops of fine enough resolution are squeezed by ``factor``."""
    return height >= (MIN_HEIGHT_CJK if factor <= CJK else MIN_HEIGHT) and width > 2 * height


def steps_per_char(height: int, width: int, squeeze: float, text: str) -> float:
    """CTC steps per character that a crop of this size, squeezed so, gave ``text``."""
    steps = REC_HEIGHT * width * squeeze / max(1, height) / REC_STRIDE
    return steps / max(1, len(text))


@dataclass
class PageScript:
    """What has been read so far on one page (or batch of crops), to pick the next squeeze:
    the characters read and how often a reading at :data:`LATIN` had to be repeated."""

    cjk: int = 0
    total: int = 0
    latin_reads: int = 0
    latin_retries: int = 0

    def add(self, text: str) -> None:
        chars = [c for c in text if not c.isspace()]
        self.cjk += sum(map(is_cjk, chars))
        self.total += len(chars)

    def tried(self, factor: float, retried: bool) -> None:
        """Record a reading at ``factor`` and whether it has to be repeated."""
        if factor == LATIN:
            self.latin_reads += 1
            self.latin_retries += retried

    def squeeze(self) -> float:
        """CJK once most characters are CJK; unsqueezed once a third of the readings at LATIN
        (three at least) had to be repeated (condensed type); LATIN otherwise."""
        if self.total and self.cjk * 2 > self.total:
            return CJK
        if self.latin_reads >= 3 and self.latin_retries * 3 > self.latin_reads:
            return 1.0
        return LATIN


def retry(height: int, width: int, squeeze: float, text: str) -> float | None:
    """The wider squeeze to read a crop again with, or None if this reading stands."""
    if squeeze <= CJK and cjk_share(text) < 0.5:
        return LATIN
    if CJK < squeeze < 1.0 and cjk_share(text) < 0.5 and steps_per_char(height, width, squeeze, text) < MIN_STEPS:
        return 1.0
    return None
