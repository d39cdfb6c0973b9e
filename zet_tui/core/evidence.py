"""The analyst's coded evidence of one evaluation, as plain values.

The coding screen, the findings model (`core/findings.py`), the report, the
feedback meeting and the exports all read it through `load_evidence`, in one
consistent snapshot, so every one of them sees the same codings, quotes,
manual divergences, case summaries, case attributes and recommendations (the
value types of `core/coding.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from zet_tui.core.coding import (
    CaseSummary,
    Codebook,
    Coding,
    ManualDivergence,
    Quote,
    Recommendation,
)
from zet_tui.core.store import Store


@dataclass(frozen=True)
class Evidence:
    """Everything the analyst added to the answers of one evaluation."""

    codings: tuple[Coding, ...] = ()
    quotes: tuple[Quote, ...] = ()
    manual_divergences: tuple[ManualDivergence, ...] = ()
    summaries: Mapping[str, CaseSummary] = field(default_factory=dict)
    """The analyst's narrative per case id."""
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Case id -> attribute name -> value (domein, gemeente, free attributes)."""
    recommendations: Mapping[str, Recommendation] = field(default_factory=dict)
    """By finding key (`Finding.key` of the findings model)."""
    codebook: Codebook | None = None
    """Labels and tags of the codes; without it a code is known by its id and the coded question."""

    def attribute(self, case_id: str, name: str) -> str:
        return self.attributes.get(case_id, {}).get(name, "").strip()

    def codings_of(self, session_id: str, question_id: str) -> list[Coding]:
        return self._codings_by_answer.get((session_id, question_id), [])

    def quotes_of(self, session_id: str, question_id: str) -> list[Quote]:
        return self._quotes_by_answer.get((session_id, question_id), [])

    def divergences_of(self, case_id: str) -> list[ManualDivergence]:
        return [d for d in self.manual_divergences if d.case_id == case_id]

    # The coding screen asks per answer on every step: index once.
    @cached_property
    def _codings_by_answer(self) -> dict[tuple[str, str], list[Coding]]:
        out: dict[tuple[str, str], list[Coding]] = defaultdict(list)
        for c in self.codings:
            out[(c.session_id, c.question_id)].append(c)
        return dict(out)

    @cached_property
    def _quotes_by_answer(self) -> dict[tuple[str, str], list[Quote]]:
        out: dict[tuple[str, str], list[Quote]] = defaultdict(list)
        for q in self.quotes:
            out[(q.session_id, q.question_id)].append(q)
        return dict(out)


CodebookSource = Codebook | Callable[[], Codebook | None] | None
"""A codebook, or a factory of one (`core/codebook.codebook_in_use`) called only when needed."""


def load_evidence(store: Store, evaluation_id: str, *, codebook: CodebookSource = None,
                  session_ids: Collection[str] | None = None,
                  case_ids: Collection[str] | None = None) -> Evidence:
    """Everything the analyst recorded for `evaluation_id`, optionally only for some
    sessions (codings, quotes) and cases (divergences, summaries, attributes).

    A `codebook` factory is called only when there are codings: only they need the codebook,
    and reading the one in use parses every questionnaire."""
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
    return Evidence(tuple(codings), tuple(quotes), tuple(divergences), summaries, attributes,
                    recommendations, codebook_for(codings, codebook))


def codebook_for(codings: Collection[Coding], codebook: CodebookSource) -> Codebook | None:
    """`codebook` itself, or what its factory gives when there are `codings` (else None)."""
    if codebook is None or isinstance(codebook, Codebook):
        return codebook
    return codebook() if codings else None
