"""The coded evidence of an evaluation, read from the store in one consistent snapshot.

The coding screen, the exports and the findings read it through `load_evidence`,
so all of them see the same codings, quotes, manual divergences, case summaries,
case attributes and recommendations (as the plain values of `core/coding.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from zet_tui.core import anchors
from zet_tui.core.answers import Answer
from zet_tui.core.coding import CaseSummary, Coding, ManualDivergence, Quote, Recommendation
from zet_tui.core.store import Store


@dataclass
class Evidence:
    codings: list[Coding] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    divergences: list[ManualDivergence] = field(default_factory=list)
    summaries: dict[str, CaseSummary] = field(default_factory=dict)
    """By case id."""
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Case id -> attribute name -> value."""
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    """By finding key."""

    def __post_init__(self) -> None:
        self._codings: dict[tuple[str, str], list[Coding]] = defaultdict(list)
        for c in self.codings:
            self._codings[(c.session_id, c.question_id)].append(c)
        self._quotes: dict[tuple[str, str], list[Quote]] = defaultdict(list)
        for q in self.quotes:
            self._quotes[(q.session_id, q.question_id)].append(q)

    def codings_of(self, session_id: str, question_id: str) -> list[Coding]:
        return self._codings.get((session_id, question_id), [])

    def quotes_of(self, session_id: str, question_id: str) -> list[Quote]:
        return self._quotes.get((session_id, question_id), [])

    def divergences_of(self, case_id: str) -> list[ManualDivergence]:
        return [d for d in self.divergences if d.case_id == case_id]

    def stale(self, answers: dict[str, dict[str, Answer]]) -> list[Coding | Quote]:
        """Codings and quotes whose fragment no longer reads the same in the toelichting."""
        out: list[Coding | Quote] = []
        marks: list[Coding | Quote] = [*self.codings, *self.quotes]
        for mark in marks:
            answer = answers.get(mark.session_id, {}).get(mark.question_id)
            text = answer.toelichting if answer else ""
            if anchors.state(text, mark.start, mark.end, mark.fragment) == anchors.AnchorState.STALE:
                out.append(mark)
        return out


def load_evidence(store: Store, evaluation_id: str, *,
                  session_ids: Collection[str] | None = None,
                  case_ids: Collection[str] | None = None) -> Evidence:
    """Everything the analyst recorded for `evaluation_id`, optionally only for some
    sessions (codings, quotes) and cases (divergences, summaries, attributes)."""
    with store.snapshot():
        codings = store.codings(evaluation_id=evaluation_id)
        quotes = store.quotes(evaluation_id=evaluation_id)
        divergences = store.manual_divergences(evaluation_id)
        summaries = store.case_summaries(evaluation_id)
        attributes = store.case_attributes(evaluation_id)
        recommendations = store.recommendations(evaluation_id)
    if session_ids is not None:
        wanted = set(session_ids)
        codings = [c for c in codings if c.session_id in wanted]
        quotes = [q for q in quotes if q.session_id in wanted]
    if case_ids is not None:
        cases = set(case_ids)
        divergences = [d for d in divergences if d.case_id in cases]
        summaries = {k: v for k, v in summaries.items() if k in cases}
        attributes = {k: v for k, v in attributes.items() if k in cases}
    return Evidence(codings, quotes, divergences, summaries, attributes, recommendations)
