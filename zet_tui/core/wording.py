"""Dutch wording shared by every screen and command: counts with the right noun form,
typed text shortened to fit a table cell or a status line."""

from __future__ import annotations


def count(n: int, singular: str, plural: str) -> str:
    """`1 antwoord`, `0 antwoorden`, `2 antwoorden`: Dutch uses the singular only for one."""
    return f"{n} {singular if n == 1 else plural}"


def short(text: str, limit: int = 70) -> str:
    """Typed text on one line (runs of whitespace and line breaks become one space), cut
    at `limit` characters with `…` so the reader sees that more follows."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["count", "short"]
