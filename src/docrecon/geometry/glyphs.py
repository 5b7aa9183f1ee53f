"""Which characters of a text layer are readable, and what symbol-font bullets stand for.

Fonts without a usable ToUnicode map give control characters, private-use code points or
U+FFFD; symbol fonts (Wingdings, Symbol, ZapfDingbats) give their glyph codes in the private
use area U+F020-U+F0FF. Known bullets and arrows among them are mapped to their Unicode
characters; everything else that is unreadable is garbage that must never reach the output.
"""

from __future__ import annotations

import re

#: symbol-font glyph codes (the low byte of U+F0xx) -> Unicode, for the bullets, arrows and
#: marks lists and notes use
WINGDINGS = {
    0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x73: "⬧", 0x74: "⧫", 0x75: "◆",
    0x76: "❖", 0x77: "⬥", 0x9F: "•", 0xA1: "○", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xE0: "→",
    0xE8: "➔", 0xF0: "⇨", 0xFB: "✗", 0xFC: "✓", 0xFE: "☑", 0x6D: "❍", 0x70: "◻", 0x4A: "☺",
}
SYMBOL = {
    0xB7: "•", 0xAE: "→", 0xAC: "←", 0xAD: "↑", 0xAF: "↓", 0xDE: "⇒", 0xDC: "⇐", 0xB4: "×",
    0xB1: "±", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xA5: "∞", 0xD6: "√", 0xB0: "°", 0x2D: "−",
    0xE0: "◊", 0xA8: "♦", 0xA7: "♣", 0xA9: "♥", 0xAA: "♠",
}
DINGBATS = {0x6C: "●", 0x6E: "■", 0x75: "◆", 0x76: "❖", 0x33: "✓", 0x34: "✔", 0x37: "✗", 0xA8: "➔"}
#: private-use bullets that are the same whatever the font
PUA_BULLETS = {0xF0B7: "•", 0xF06C: "●", 0xF0A7: "▪", 0xF0D8: "➢", 0xF0FC: "✓", 0xF076: "❖", 0xF0A8: "◻",
               0xF06E: "■", 0xF075: "◆", 0xF09F: "•", 0xF0E0: "→"}


def symbol_char(cp: int, font: str) -> str | None:
    """The Unicode character a symbol font's private-use glyph code stands for, if known."""
    if not 0xF000 <= cp <= 0xF0FF:
        return None
    low = font.lower()
    code = cp - 0xF000
    if "wingding" in low or "webding" in low:
        return WINGDINGS.get(code)
    if "symbol" in low:
        return SYMBOL.get(code)
    if "dingbat" in low:
        return DINGBATS.get(code)
    return PUA_BULLETS.get(cp)


#: share of a line's letters in the Latin-1 supplement (À-ÿ) beyond which the line is
#: mojibake, not a language: accented letters are a minority in every Latin-script language
LATIN1_SHARE = 0.4


def latin1_letter(ch: str) -> bool:
    return "\u00c0" <= ch <= "\u00ff" and ch not in "\u00d7\u00f7"


def implausible(text: str) -> bool:
    """Letters in an implausible script for running text: mostly Latin-1 accented letters
    ("ÍÆ#(ØK)"), what a CJK font with a wrong ToUnicode map extracts as."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(1 for ch in letters if latin1_letter(ch)) >= LATIN1_SHARE * len(letters)


_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\ud800-\udfff\U000f0000-\U0010ffff"
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]"
)


def suspect_text(text: str) -> bool:
    """Whether ``text`` holds any unreadable character or Latin-1 letter: the one scan a clean
    page pays before :func:`unreadable` and :func:`implausible` look closer."""
    return _SUSPECT.search(text) is not None


def unreadable(ch: str) -> bool:
    """A control character (but tab and newline), a private-use code point, U+FFFD or a surrogate."""
    if not ch:
        return False
    o = ord(ch[0])
    return (o < 0x20 and ch not in "\t\n") or 0x7F <= o <= 0x9F or 0xE000 <= o <= 0xF8FF or o == 0xFFFD \
        or 0xD800 <= o <= 0xDFFF or 0xF0000 <= o


_UNREADABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\ud800-\udfff\U000f0000-\U0010ffff]|\\(cid:\\d+\\)"
)


def clean_text(text: str) -> str:
    """``text`` without unreadable characters or ``(cid:N)`` tokens."""
    return _UNREADABLE.sub("", text) if text else text
