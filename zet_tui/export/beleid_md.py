"""Beleid beside praktijk in Markdown: one table per municipality, in the evaluation report and
in the region's reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from zet_tui.core.beleid import (
    DIVERGING,
    GAP,
    MIN_POLICY_SCORES,
    MIN_PRACTICE_SCORES,
    PolicyComparison,
    Score,
)
from zet_tui.core.dutch import format_number
from zet_tui.core.region_matrix import MIN_PERSPECTIVE_SCORES, score_text
from zet_tui.export.safe_md import heading, inline, table


def scored(score: Score, minimum: int = MIN_PERSPECTIVE_SCORES) -> str:
    """A mean with its number of scores: '3,4 (12)', 'te weinig gegevens (1)', '–'."""
    text = score_text(score, minimum)
    return f"{text} ({score.n})" if score.n else text


def policy_table(p: PolicyComparison) -> str:
    rows = [[inline(t.title), scored(t.beleid, MIN_POLICY_SCORES),
             scored(t.praktijk, MIN_PRACTICE_SCORES), str(t.praktijk.cases),
             f"**{t.verdict}**" if t.verdict in DIVERGING else t.verdict] for t in p.themes]
    return table(["Thema", "Beleid (scores)", "Praktijk (scores)", "Casussen", "Oordeel"], rows)


def policy_section(policies: Sequence[PolicyComparison], *, text: Callable[[str], str],
                   level: int = 2) -> list[str]:
    """The evaluation report's section: per municipality with a policy session, beleid beside
    praktijk per theme, and what the policy staff wrote where the two diverge."""
    shown = [p for p in policies if p.session is not None]
    if not shown:
        return []
    out = [heading(level, "Beleid en praktijk"), "",
           "Per thema de score van de beleidsvragenlijst (bedoeld) naast het gemiddelde van alle "
           "casusscores (gevonden), op de vijfpuntsschaal. Een verschil van "
           f"{format_number(GAP)} punt of meer is vetgedrukt; met te weinig scores (praktijk "
           f"minder dan {MIN_PRACTICE_SCORES}) geen oordeel.", ""]
    for p in shown:
        if len(shown) > 1:
            out += [heading(level + 1, text(p.municipality)), ""]
        out += [policy_table(p), ""]
        for t in p.diverging:
            notes = " / ".join(inline(text(n)) for n in t.toelichtingen)
            out.append(f"- **{inline(t.title)}**: {t.verdict}" + (f"; beleid: {notes}" if notes else ""))
        if p.diverging:
            out.append("")
    return out
