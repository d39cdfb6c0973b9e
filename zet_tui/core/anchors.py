"""Fragments of a toelichting: offsets, word steps, and whether an anchor still holds.

A coded fragment or quote is stored as code-point offsets (`str` indices) into
the toelichting plus a copy of the fragment's text. Rules, so a fragment never
silently points at other words:

* **Holds**: the text at the stored offsets still equals the stored copy.
* **Stale**: it does not (the toelichting was edited after coding). The coding
  is flagged for review. `relocate` finds where the copy occurs now (nearest to
  the old start), but only the analyst applies it, with a key press.
* **Boundaries**: selections made by word steps never cut a character that is
  drawn as one (a letter with combining accents, an emoji with skin tone or a
  zero-width-joiner family, a flag); `clusters` approximates Unicode grapheme
  clusters for that, without a dependency.

The screen shows the text through `visible`, which maps every control or
line-separator character to one visible symbol, so offsets on screen and in
the stored text are the same numbers and only "\\n" breaks a line.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

ZWJ = "\u200d"
_REGIONAL = range(0x1F1E6, 0x1F200)
_EXTEND_CATEGORIES = frozenset({"Mn", "Me", "Mc"})


class AnchorState(StrEnum):
    HOLDS = "holds"
    STALE = "stale"


def _is_extender(ch: str) -> bool:
    """A character that belongs to the character before it on screen."""
    cp = ord(ch)
    return (unicodedata.category(ch) in _EXTEND_CATEGORIES or ch == ZWJ
            or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F
            or 0xE0100 <= cp <= 0xE01EF)


def is_boundary(text: str, i: int) -> bool:
    """True when a selection may start or end at offset `i` without cutting a character."""
    if i <= 0 or i >= len(text):
        return True
    ch, before = text[i], text[i - 1]
    if before == "\r" and ch == "\n":
        return False
    if _is_extender(ch) or before == ZWJ:
        return False
    if ord(ch) in _REGIONAL and ord(before) in _REGIONAL:
        run = 0  # flags are pairs of regional indicators: cut only between pairs
        j = i - 1
        while j >= 0 and ord(text[j]) in _REGIONAL:
            run += 1
            j -= 1
        return run % 2 == 0
    return True


def clusters(text: str) -> list[tuple[int, int]]:
    """The spans of the characters as drawn (approximate extended grapheme clusters)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if is_boundary(text, i):
            spans.append((start, i))
            start = i
    return spans


def word_spans(text: str) -> list[tuple[int, int]]:
    """Runs of non-space characters (as drawn): the steps of word-wise selection."""
    words: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in clusters(text):
        if text[start].isspace():
            if current is not None:
                words.append(current)
                current = None
        elif current is None:
            current = (start, end)
        else:
            current = (current[0], end)
    if current is not None:
        words.append(current)
    return words


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen `start:end` to the nearest boundaries (inside the text), so no character is cut."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while not is_boundary(text, start):
        start -= 1
    while not is_boundary(text, end):
        end += 1
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`start:end` without leading and trailing white space (a fragment is words, not gaps).

    An accent that hangs on a space is dropped with it, so both ends stay boundaries.
    """
    while start < end and (text[start].isspace() or not is_boundary(text, start)):
        start += 1
    while end > start and (text[end - 1].isspace() or not is_boundary(text, end)):
        end -= 1
    return start, end


def state(text: str, start: int | None, end: int | None, fragment: str) -> AnchorState:
    """Whether a stored fragment still reads the same at its offsets in `text`."""
    if start is None or end is None:
        return AnchorState.HOLDS  # a code on the whole answer has nothing to drift
    if 0 <= start <= end <= len(text) and text[start:end] == fragment:
        return AnchorState.HOLDS
    return AnchorState.STALE


def relocate(text: str, start: int, fragment: str) -> tuple[int, int] | None:
    """Where `fragment` occurs in `text` now, nearest to its old `start`; None when it is gone.

    Only whole occurrences on boundaries count, so a fragment "Jan" never lands
    inside "Janssen"s accent or in the middle of an emoji.
    """
    if not fragment:
        return None
    best: tuple[int, int] | None = None
    i = text.find(fragment)
    while i >= 0:
        end = i + len(fragment)
        if is_boundary(text, i) and is_boundary(text, end) and (
                best is None or abs(i - start) < abs(best[0] - start)):
            best = (i, end)
        i = text.find(fragment, i + 1)
    return best


# -- showing the text -------------------------------------------------------------------
_SEPARATORS = {"\x0b": "␋", "\x0c": "␌", "\r": "␍", "\x1c": "␜", "\x1d": "␝", "\x1e": "␞",
               "\x85": "⏎", "\u2028": "⏎", "\u2029": "¶", "\x7f": "␡", "\x1b": "␛",
               # bidi embeddings, overrides and isolates reorder what a reader sees
               **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "\ufffd")}


def _visible_char(ch: str) -> str:
    if ch == "\n" or ch == "\t":
        return ch
    mapped = _SEPARATORS.get(ch)
    if mapped is not None:
        return mapped
    cp = ord(ch)
    if cp < 0x20:
        return chr(0x2400 + cp)  # the Control Pictures block: ␀ ␁ ... ␟
    if 0x80 <= cp < 0xA0 or unicodedata.category(ch) in ("Cs", "Co", "Cn"):
        return "\ufffd"
    return ch


def visible(text: str) -> str:
    """`text` with every control character shown as one symbol: same length, same offsets.

    Only "\\n" stays a line break (and tab a tab), so a text widget that splits on
    every Unicode line separator still has one line per "\\n".
    """
    if text.isprintable():
        return text
    return "".join(_visible_char(ch) for ch in text)


def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) of a code-point offset in a text whose only line break is "\\n"."""
    offset = max(0, min(offset, len(text)))
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return row, offset - line_start


def location_to_offset(text: str, location: tuple[int, int]) -> int:
    """The code-point offset of a (row, column) location, the inverse of `offset_to_location`."""
    row, column = location
    start = 0
    for _ in range(max(0, row)):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    nl = text.find("\n", start)
    line_end = len(text) if nl < 0 else nl
    return min(start + max(0, column), line_end)
