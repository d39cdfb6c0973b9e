"""The analyst's coded evidence of one evaluation, as plain values for the findings model.

The findings model (`core/findings.py`) is a pure function of the analysis
and of an `Evidence` value. `load_evidence` is the one place that reads that
evidence from the store, so the report, the feedback meeting and the
comparison of two rounds all see the same codings, quotes and attributes.

The workbench stores the evidence (codings, quotes, manual divergences, case
summaries, case attributes, recommendations); a store without those tables
yields empty evidence, and the findings then rest on the scores alone (the
report says so in its method section).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from zet_tui.core.coding import (
    CaseSummary,
    Codebook,
    Coding,
    ManualDivergence,
    Quote,
    Recommendation,
)


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
    """By finding key."""
    codebook: Codebook | None = None
    """Labels and tags of the codes; without it a code is known by its id and the coded question."""
    stored: bool = False
    """True when the store keeps coded evidence (the report's method section says whether it does)."""

    def attribute(self, case_id: str, name: str) -> str:
        return self.attributes.get(case_id, {}).get(name, "").strip()


@runtime_checkable
class EvidenceReader(Protocol):
    """The reads of the workbench's store modules that the findings model uses."""

    def codings(self, *, evaluation_id: str | None = None,
                session_id: str | None = None) -> list[Coding]: ...

    def quotes(self, *, evaluation_id: str | None = None,
               session_id: str | None = None) -> list[Quote]: ...

    def manual_divergences(self, evaluation_id: str) -> list[ManualDivergence]: ...

    def case_summaries(self, evaluation_id: str) -> dict[str, CaseSummary]: ...

    def case_attributes(self, evaluation_id: str) -> dict[str, dict[str, str]]: ...

    def recommendations(self, evaluation_id: str) -> dict[str, Recommendation]: ...


def load_evidence(store: object, evaluation_id: str, codebook: Codebook | None = None) -> Evidence:
    """The coded evidence of `evaluation_id`, read once; empty when the store has no coding tables."""
    if not isinstance(store, EvidenceReader):
        return Evidence(codebook=codebook)
    return Evidence(
        codings=tuple(store.codings(evaluation_id=evaluation_id)),
        quotes=tuple(store.quotes(evaluation_id=evaluation_id)),
        manual_divergences=tuple(store.manual_divergences(evaluation_id)),
        summaries=store.case_summaries(evaluation_id),
        attributes=store.case_attributes(evaluation_id),
        recommendations=store.recommendations(evaluation_id),
        codebook=codebook,
        stored=True,
    )
