"""A region as data: its municipalities, their cases and policy sessions, read once.

A region groups evaluations (`store/regions.py`). Which municipality a case
counts for is decided in one place, `municipality_of`, in this order:

1. the case's own `gemeente` attribute (one evaluation whose cases come from
   several municipalities),
2. the gemeente given when the evaluation was added to the region,
3. the evaluation's own municipality,
4. otherwise the evaluation's name, with a warning.

Everything the region shows is computed from this value by pure functions
(`core/region_matrix.py`, `core/beleid.py`, `core/region_learning.py`), so the
CLI, the screen and the exports agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zet_tui.core.analysis import CaseAnalysis, EvaluationAnalysis, analyse_evaluation
from zet_tui.core.answers import Answer
from zet_tui.core.beleid import PolicyComparison, compare_policy, policy_sessions
from zet_tui.core.codebook import codebook_in_use
from zet_tui.core.evidence import Evidence, codebook_for, load_evidence
from zet_tui.core.findings import Findings, build_findings
from zet_tui.core.store import Case, Evaluation, Region, RegionMember, Session, Store, StoreError

GEMEENTE = "gemeente"
"""The case attribute that names a case's municipality."""


@dataclass(frozen=True)
class RegionCase:
    case: Case
    evaluation: Evaluation
    municipality: str


@dataclass
class RegionData:
    region: Region
    members: list[RegionMember]
    evaluations: dict[str, Evaluation]
    cases: list[RegionCase]
    """Every case of every member evaluation, the policy cases included."""
    sessions: list[Session]
    answers: dict[str, dict[str, Answer]]
    analysis: EvaluationAnalysis
    """The analyseschema of every case with an interview or dossier study, all evaluations pooled."""
    warnings: list[str] = field(default_factory=list)
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    member_municipalities: list[str] = field(default_factory=list)
    """The municipality of each member evaluation that has no cases yet."""
    evidence: Evidence = field(default_factory=Evidence)
    """The analyst's coded evidence of every member evaluation; each case's `gemeente` is the
    municipality it counts for here."""

    def __post_init__(self) -> None:
        self._by_case = {rc.case.id: rc for rc in self.cases}
        self._findings: Findings | None = None

    @property
    def findings(self) -> Findings:
        """The findings model over all the region's cases together (built once, when asked)."""
        if self._findings is None:
            self._findings = build_findings(self.analysis, self.evidence, self.sessions, self.answers)
        return self._findings

    def municipality(self, case_id: str) -> str:
        rc = self._by_case.get(case_id)
        return rc.municipality if rc else ""

    @property
    def case_municipalities(self) -> dict[str, str]:
        """Case id -> the municipality it counts for."""
        return {cid: rc.municipality for cid, rc in self._by_case.items()}

    def case(self, case_id: str) -> RegionCase | None:
        return self._by_case.get(case_id)

    @property
    def municipalities(self) -> list[str]:
        """Every municipality of the region (of a member or of a case), alphabetically."""
        return sorted({*self.member_municipalities, *(rc.municipality for rc in self.cases)},
                      key=str.casefold)

    def cases_of(self, municipality: str) -> list[CaseAnalysis]:
        """The analyseschema of the municipality's cases."""
        return [ca for ca in self.analysis.cases if self.municipality(ca.case.id) == municipality]

    def policy_sessions_of(self, municipality: str) -> list[Session]:
        return policy_sessions(s for s in self.sessions
                               if self.municipality(s.case_id) == municipality)

    def policy(self, municipality: str) -> PolicyComparison:
        return compare_policy(municipality, self.cases_of(municipality),
                              self.policy_sessions_of(municipality), self.answers)

    @property
    def case_count(self) -> int:
        return len(self.analysis.cases)


def municipality_of(evaluation: Evaluation, attributes: Mapping[str, str] | None = None,
                    override: str = "") -> str:
    """The municipality one case counts for (see the module docstring for the order)."""
    own = (attributes or {}).get(GEMEENTE, "").strip()
    return own or override.strip() or evaluation.municipality.strip() or evaluation.name.strip()


def evaluation_policy(evaluation: Evaluation, analysis: EvaluationAnalysis,
                      sessions: Sequence[Session], answers: Mapping[str, Mapping[str, Answer]],
                      attributes: Mapping[str, Mapping[str, str]] | None = None
                      ) -> list[PolicyComparison]:
    """Beleid beside praktijk for one evaluation: per municipality of its cases that has a
    policy session (usually one: the evaluation's own municipality)."""
    def name(case_id: str) -> str:
        return municipality_of(evaluation, (attributes or {}).get(case_id))

    policy = policy_sessions(sessions)
    names = sorted({name(s.case_id) for s in policy}, key=str.casefold)
    return [compare_policy(m, [ca for ca in analysis.cases if name(ca.case.id) == m],
                           [s for s in policy if name(s.case_id) == m], answers) for m in names]


def load_region(store: Store, region_id: str) -> RegionData:
    """Read everything the region's reports need, in one consistent snapshot."""
    with store.snapshot():
        region = store.region(region_id)
        if region is None:
            raise StoreError(f"regio '{region_id}' niet gevonden")
        members = store.region_members(region.id)
        evaluations: dict[str, Evaluation] = {}
        cases: list[RegionCase] = []
        sessions: list[Session] = []
        attributes: dict[str, Mapping[str, str]] = {}
        evidence: list[Evidence] = []
        warnings: list[str] = []
        spelling: dict[str, str] = {}
        named: list[str] = []
        for m in members:
            evaluation = store.evaluation(m.evaluation_id)
            if evaluation is None:
                continue
            evaluations[evaluation.id] = evaluation
            if not (m.municipality or evaluation.municipality):
                warnings.append(f"evaluatie '{evaluation.name}' heeft geen gemeente; haar "
                                "casussen tellen onder de naam van de evaluatie (geef een "
                                "gemeente met 'zet regio voeg-toe --gemeente')")
            found = load_evidence(store, evaluation.id)
            evidence.append(found)
            own = found.attributes
            members_cases = store.cases(evaluation.id)
            if not members_cases:  # a municipality that has not started yet is still in the region
                name = municipality_of(evaluation, None, m.municipality)
                named.append(spelling.setdefault(name.casefold(), name))
            for case in members_cases:
                attributes[case.id] = own.get(case.id, {})
                name = municipality_of(evaluation, attributes[case.id], m.municipality)
                # one spelling per municipality: 'Waterveen' and 'waterveen ' are one column
                name = spelling.setdefault(name.casefold(), name)
                cases.append(RegionCase(case, evaluation, name))
                attributes[case.id] = {**attributes[case.id], GEMEENTE: name}
            sessions += store.sessions(evaluation_id=evaluation.id)
        answers = store.answers_for_sessions([s.id for s in sessions])
    pooled = Evaluation(region.id, region.name, "", None, region.created)
    analysis = analyse_evaluation(pooled, [rc.case for rc in cases], sessions, answers)
    if not members:
        warnings.append("de regio heeft nog geen evaluaties (voeg ze toe met 'zet regio voeg-toe')")
    return RegionData(region, members, evaluations, cases, sessions, answers, analysis, warnings,
                      attributes, named, _pooled_evidence(evidence, attributes))


def _pooled_evidence(parts: Sequence[Evidence],
                     attributes: Mapping[str, Mapping[str, str]]) -> Evidence:
    """One `Evidence` for the pooled cases, with the codebook read once and only when a member
    has codings. Recommendations are left out: they belong to the findings of one evaluation,
    not to the region's."""
    codings = tuple(c for e in parts for c in e.codings)
    return Evidence(
        codings=codings,
        quotes=tuple(q for e in parts for q in e.quotes),
        manual_divergences=tuple(d for e in parts for d in e.manual_divergences),
        summaries={k: v for e in parts for k, v in e.summaries.items()},
        attributes=attributes, codebook=codebook_for(codings, codebook_in_use))
