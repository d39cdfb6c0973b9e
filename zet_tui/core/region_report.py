"""Everything the region report says, computed once for the CLI, the screen and the exports."""

from __future__ import annotations

from dataclasses import dataclass

from zet_tui.core.beleid import PolicyComparison
from zet_tui.core.region import RegionData, load_region
from zet_tui.core.region_learning import RegionLearning, build_learning
from zet_tui.core.region_matrix import Matrix, build_matrix
from zet_tui.core.store import Store
from zet_tui.core.vocab import CASE_PERSPECTIVES


@dataclass(frozen=True)
class MunicipalityOverview:
    name: str
    evaluations: tuple[str, ...]
    case_ids: tuple[str, ...]
    """Cases with an analyseschema (interviews or a dossier study)."""
    perspectives: tuple[str, ...]
    """Case perspectives with at least one session."""
    policy: PolicyComparison

    @property
    def has_policy(self) -> bool:
        return self.policy.session is not None


@dataclass
class RegionReport:
    data: RegionData
    matrices: dict[str, Matrix]
    municipalities: list[MunicipalityOverview]
    learning: RegionLearning

    @property
    def basisfuncties(self) -> Matrix:
        return self.matrices["basisfunctie"]

    @property
    def werkzaam(self) -> Matrix:
        return self.matrices["werkzaam"]

    def overview(self, municipality: str) -> MunicipalityOverview:
        return next(m for m in self.municipalities if m.name == municipality)

    def thin_municipalities(self) -> list[str]:
        """Municipalities where most basisfunctie cells have too little data."""
        m = self.basisfuncties
        return [name for name in m.municipalities
                if sum(m.cell(name, tag).thin for tag, _ in m.tags) * 2 > len(m.tags)]


def build_region_report(store: Store, region_id: str) -> RegionReport:
    return region_report(load_region(store, region_id))


def region_report(data: RegionData) -> RegionReport:
    learning = build_learning(data.findings, data.case_municipalities)
    matrices = {ns: build_matrix(data, ns, learning.verdicts, learning.tagged)
                for ns in ("basisfunctie", "werkzaam")}
    overviews = []
    for name in data.municipalities:
        cases = data.cases_of(name)
        perspectives = {p for ca in cases for p in ca.sessions}
        overviews.append(MunicipalityOverview(
            name,
            tuple(dict.fromkeys(rc.evaluation.name for rc in data.cases if rc.municipality == name)),
            tuple(ca.case.id for ca in cases),
            tuple(p for p in CASE_PERSPECTIVES if p in perspectives),
            data.policy(name)))
    return RegionReport(data, matrices, overviews, learning)
