"""The regional demo as a test fixture (`regio` in conftest.py): its store, evidence and findings."""

from __future__ import annotations

from dataclasses import dataclass

from zet_tui.core.demo_regio import RegioDemo
from zet_tui.core.findings import Findings
from zet_tui.core.store import Store


@dataclass
class RegioFixture:
    store: Store
    demo: RegioDemo
    findings: Findings
    """With the analyst's coded evidence."""
    scores_only: Findings
    """The same evaluation read without the analyst's work: what the scores alone show."""

    def ids(self, *codes: str) -> tuple[str, ...]:
        return tuple(self.demo.case_ids[c] for c in codes)

    def codes(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.findings.code(c) for c in ids)
