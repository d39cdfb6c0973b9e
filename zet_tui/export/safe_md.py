"""Escaping free text for Markdown, so a toelichting can never break a table or a heading.

Every value from the database goes through `inline()` before it lands in a
Markdown file. The result is always one line of inline Markdown that renders
as the literal text on GitHub, in Obsidian and in any CommonMark parser:

* HTML-significant `<`, `>`, `&` and the table separator `|` become
  character references (`&lt;`, `&gt;`, `&amp;`, `&#124;`): a `<script>` is
  text, and GFM splits table cells before it decodes references, so no cell
  can be split;
* characters that start inline markup (backslash, `` ` ``, `*`, `_`, `[`,
  `]`, `#`, `~`, `$`, `%`, `=`, `^`) get a backslash: emphasis, code, links,
  Obsidian tags (`#tag`), math (`$`), comments (`%%`), highlights (`==`) and
  footnotes stay plain text;
* line breaks become `<br>`, the one line break that works inside table
  cells, list items and headings alike; escape sequences and other control
  characters are dropped (`zet_tui.core.safe_text.export_safe`, the rule every
  exported file follows).
"""

from __future__ import annotations

import re

from zet_tui.core.safe_text import export_safe

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_BACKSLASH = "\\`*_[]#~$%=^"
_REPLACE = {**_ENTITIES, **{ch: "\\" + ch for ch in _BACKSLASH}, "\n": "<br>"}
_SPECIAL = re.compile("[" + re.escape("".join(_REPLACE)) + "]")
def normalise(text: str) -> str:
    """The text as it will come back after rendering: one kind of line break, no controls."""
    if not text:
        return ""
    # isprintable (a C scan) first: export_safe returns a printable text unchanged
    return (text if text.isprintable() else export_safe(text)).strip()


def _escape(m: re.Match[str]) -> str:
    return _REPLACE[m.group()]


def inline(text: str | None) -> str:
    """Escape free text for use inside a table cell, list item or heading.

    Called for every value of an export (hundreds of thousands of times), so
    `normalise` is written out here."""
    if not text:
        return ""
    return _SPECIAL.sub(_escape, (text if text.isprintable() else export_safe(text)).strip())


def cell(text: str | None) -> str:
    """A table cell: escaped, and never empty (an empty cell reads as a missing value)."""
    return inline(text) or "–"


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {inline(text) or '–'}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GFM table; `header` and `rows` hold already escaped cell text."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return "\n".join(lines)


def shorten(text: str, limit: int = 160) -> str:
    """Cut raw text (before escaping, so no escape is cut in half) at a word boundary."""
    text = " ".join(normalise(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(".,;: ") + " …"
