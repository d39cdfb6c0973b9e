"""What a region export reads, read once, and the privacy rules all its formats share.

Pseudonymised, a region export keeps the municipalities (they are the unit of
comparison) and never shows a case code, a person's name or an interviewer:
cases are only counted, and every free text (a toelichting of the policy
staff, an evaluation name) goes through the same `Pseudonymizer` as an
evaluation export, with the sensitive terms of every case in the region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zet_tui.core.privacy import Pseudonymizer
from zet_tui.core.region import RegionData, load_region
from zet_tui.core.region_compare import RegionComparison, compare_region_data
from zet_tui.core.region_report import RegionReport, region_report
from zet_tui.core.store import Store, now


@dataclass
class RegionExport:
    report: RegionReport
    pseudo: Pseudonymizer
    comparison: RegionComparison | None = None
    """The comparison with the earlier round, when the region follows one."""
    exported_at: str = field(default_factory=now)

    @property
    def data(self) -> RegionData:
        return self.report.data

    def case_codes(self, case_ids: tuple[str, ...] | list[str]) -> str:
        """'ALD-1, ALD-2' or, pseudonymised, '2 casussen': codes never leave a shared export."""
        if self.pseudo.enabled:
            return casussen(len(case_ids))
        codes = []
        for cid in case_ids:
            rc = self.data.case(cid)
            codes.append(rc.case.code if rc else cid[:8])
        return ", ".join(codes)


def casussen(n: int) -> str:
    return f"{n} casus" if n == 1 else f"{n} casussen"


def load_region_export(store: Store, region_id: str, *, pseudonymize: bool = False) -> RegionExport:
    data = load_region(store, region_id)
    comparison = None
    if data.region.follows_id and store.region(data.region.follows_id) is not None:
        comparison = compare_region_data(load_region(store, data.region.follows_id), data)
    pseudo = Pseudonymizer.disabled()
    if pseudonymize:
        cases = [rc.case for rc in data.cases]
        terms = {c.id: store.sensitive_terms(c.id) for c in cases}
        pseudo = Pseudonymizer.build(cases, data.sessions, terms)
    return RegionExport(region_report(data), pseudo, comparison)
