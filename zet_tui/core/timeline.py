"""The case timeline: dossier dates of milestone questions, and the time between them.

Milestones are ordered by date (ties in their natural order from
`vocab.MILESTONES`), because the dossier is the fact and the natural order is
only an expectation; a milestone dated before one that should precede it is
reported as a warning rather than silently re-ordered away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.vocab import MILESTONES, AnswerStatus, AnswerType

START = "aanmelding"
_ORDER = {key: i for i, key in enumerate(MILESTONES)}


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    date: date
    question_id: str
    days_since_previous: int | None
    days_since_start: int | None
    """Days since aanmelding; None when the dossier has no aanmelding date."""


@dataclass(frozen=True)
class Timeline:
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...] = ()

    @property
    def total_days(self) -> int | None:
        if len(self.milestones) < 2:
            return None
        return (self.milestones[-1].date - self.milestones[0].date).days


def build_timeline(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Timeline:
    found: list[tuple[date, int, str, str]] = []
    for q in questionnaire.questions():
        if not q.milestone or q.type != AnswerType.DATE:
            continue
        a = answers.get(q.id)
        if a is None or a.status != AnswerStatus.ANSWERED or not a.value:
            continue
        try:
            when = date.fromisoformat(a.value)
        except ValueError:
            continue
        found.append((when, _ORDER.get(q.milestone, len(_ORDER)), q.milestone, q.id))
    found.sort()
    start = next((when for when, _, key, _ in found if key == START), None)
    milestones: list[Milestone] = []
    previous: date | None = None
    for when, _, key, qid in found:
        milestones.append(Milestone(
            key=key, label=MILESTONES.get(key, key), date=when, question_id=qid,
            days_since_previous=None if previous is None else (when - previous).days,
            days_since_start=None if start is None else (when - start).days,
        ))
        previous = when
    warnings = []
    for i, m in enumerate(milestones):
        for later in milestones[i + 1:]:
            if _ORDER.get(later.key, 99) < _ORDER.get(m.key, 99) and later.date > m.date:
                warnings.append(f"{later.label} ({later.date:%d-%m-%Y}) ligt na "
                                f"{m.label.lower()} ({m.date:%d-%m-%Y}), verwacht was ervoor")
    return Timeline(tuple(milestones), tuple(warnings))


_UNSAFE = re.compile(r"[:;#\n\r`\"<>{}]")


def _mermaid_text(text: str) -> str:
    """Mermaid gantt lines end task names at ':' and comments at '%%': keep names plain."""
    return _UNSAFE.sub(" ", text).replace("%%", "%").strip() or "-"


def mermaid_gantt(timeline: Timeline, title: str) -> str:
    """A Mermaid gantt chart: one bar per interval between milestones, then the milestones.

    GitHub and Obsidian both render a ```mermaid block.
    """
    lines = ["gantt", f"    title {_mermaid_text(title)}", "    dateFormat YYYY-MM-DD",
             "    axisFormat %d-%m-%Y"]
    ms = timeline.milestones
    if len(ms) >= 2:
        lines.append("    section Doorlooptijd")
        for i, (a, b) in enumerate(pairwise(ms), start=1):
            days = (b.date - a.date).days
            if days <= 0:
                continue
            lines.append(f"    {_mermaid_text(a.label)} tot {_mermaid_text(b.label.lower())}"
                         f" ({days} d) :t{i}, {a.date.isoformat()}, {days}d")
    if ms:
        lines.append("    section Mijlpalen")
        for i, m in enumerate(ms, start=1):
            lines.append(f"    {_mermaid_text(m.label)} :milestone, m{i}, {m.date.isoformat()}, 0d")
    return "\n".join(lines) + "\n"
