"""Dutch wording shared by every screen and command: counts with the right noun form."""

from __future__ import annotations


def count(n: int, singular: str, plural: str) -> str:
    """`1 antwoord`, `0 antwoorden`, `2 antwoorden`: Dutch uses the singular only for one."""
    return f"{n} {singular if n == 1 else plural}"


__all__ = ["count"]
