"""Findings across municipalities: patterns several municipalities share, and who can learn from whom.

The findings model (`core/findings.py`) runs once over all the region's cases
together (`RegionData.findings`), each case carrying the municipality it
counts for as its attribute `gemeente`, so every rule of that model (at least
two cases, a share of the cases considered, a pattern of one subgroup such as
one municipality) holds unchanged. This module adds no rule about what a
finding is; it reads the model's findings and its verdict per case and names
the municipalities:

* **Shared finding**: a finding of the model (from its list for the feedback
  meeting, so no pattern twice) whose cases lie in at least
  `MIN_MUNICIPALITIES` municipalities. *The other side*: the municipalities
  with a case the model puts on the opposite side of the same subject (a
  succesfactor where the finding is a knelpunt, and the other way round), or,
  for a theme that was rarely discussed, where it was discussed.
* **Learning pair**: a knelpunt or succesfactor of the model (also one of a
  single municipality) on a subject, and on the other side of that subject a
  case in another municipality. The municipality with the succesfactor and the
  one with the knelpunt are a pair to talk to each other; every subject they
  can talk about is a topic of the pair, in the model's order (knelpunten
  first, strongest first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zet_tui.core.findings import (
    KIND_TITLES,
    KNELPUNT,
    SIDES,
    SUCCESFACTOR,
    WEINIG_BESPROKEN,
    Finding,
    Findings,
    Subject,
    evidence_text,
)

MIN_MUNICIPALITIES = 2
"""A finding is shared when its cases lie in at least this many municipalities."""
TOP_SUMMARY = 5
"""How many shared findings and learning pairs the aldermen summary names."""


@dataclass(frozen=True)
class SharedFinding:
    finding: Finding
    municipalities: tuple[str, ...]
    """Where the pattern is found."""
    other_side: tuple[str, ...]
    """Where the model finds the opposite on the same subject."""


@dataclass(frozen=True)
class Topic:
    """One subject a learning pair can talk about."""

    subject: Subject
    finding_key: str
    success_cases: tuple[str, ...]
    """The source municipality's cases with a succesfactor on the subject."""
    problem_cases: tuple[str, ...]
    """The learner's cases with a knelpunt on it."""


@dataclass(frozen=True)
class LearningPair:
    source: str
    """The municipality whose cases show the succesfactor."""
    learner: str
    """The municipality whose cases show the knelpunt."""
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class RegionLearning:
    shared: tuple[SharedFinding, ...] = ()
    pairs: tuple[LearningPair, ...] = ()
    verdicts: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    """Per werkzaam element or basisfunctie tag, per case id: the model's sides."""
    tagged: Mapping[str, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict)
    """Per tag: (finding key, its case ids) of the knelpunten and succesfactoren on or under it."""

    def shared_with(self, municipality: str) -> list[SharedFinding]:
        return [s for s in self.shared if municipality in s.municipalities
                or municipality in s.other_side]

    def pairs_of(self, municipality: str) -> list[LearningPair]:
        return [p for p in self.pairs if municipality in (p.source, p.learner)]


def _names(cases: Iterable[str], municipality: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted({municipality[c] for c in cases if c in municipality}, key=str.casefold))


def opposite(findings: Findings, f: Finding) -> tuple[str, ...]:
    """Cases the model puts on the other side of `f`'s subject (or that discussed the theme)."""
    if f.kind == WEINIG_BESPROKEN:
        return f.counterexamples
    if f.kind not in SIDES:
        return ()
    other = SUCCESFACTOR if f.kind == KNELPUNT else KNELPUNT
    return tuple(c for c, v in findings.verdicts.get(f.subject.ref, {}).items()
                 if other in v.sides and f.kind not in v.sides)


def build_learning(findings: Findings, municipality: Mapping[str, str]) -> RegionLearning:
    """Shared findings and learning pairs of the model's findings over the region's cases.

    `municipality`: case id -> the municipality it counts for.
    """
    shared: list[SharedFinding] = []
    for f in findings.headline:
        places = _names(f.cases, municipality)
        if len(places) >= MIN_MUNICIPALITIES:
            shared.append(SharedFinding(f, places, _names(opposite(findings, f), municipality)))
    topics: dict[tuple[str, str], dict[str, Topic]] = {}
    for f in (h for h in findings.headline if h.kind in (KNELPUNT, SUCCESFACTOR)):
        other = opposite(findings, f)
        success, problem = (other, f.cases) if f.kind == KNELPUNT else (f.cases, other)
        for source in _names(success, municipality):
            for learner in _names(problem, municipality):
                if source == learner:
                    continue
                per_pair = topics.setdefault((source, learner), {})
                per_pair.setdefault(f.subject.ref, Topic(
                    f.subject, f.key, tuple(c for c in success if municipality.get(c) == source),
                    tuple(c for c in problem if municipality.get(c) == learner)))
    pairs = [LearningPair(source, learner, tuple(t.values()))
             for (source, learner), t in topics.items()]
    tags = {ref for ref in findings.verdicts if ref.partition(":")[0] in ("werkzaam", "basisfunctie")}
    return RegionLearning(
        tuple(shared), tuple(pairs),
        {tag: {c: v.sides for c, v in findings.verdicts[tag].items()} for tag in tags},
        {tag: tuple((f.key, frozenset(f.cases)) for f in findings.about(tag)) for tag in tags})


# -- sentences for the reports, the screen and the CLI -------------------------------------
def places(case_ids: Iterable[str], municipality: Mapping[str, str]) -> str:
    """Cases as municipalities, never as codes: 'Aldermeer (2), Brakveen (1)'."""
    counts: dict[str, int] = {}
    for c in case_ids:
        name = municipality.get(c, "?")
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(),
                                                            key=lambda kv: kv[0].casefold()))


def finding_title(f: Finding) -> str:
    """'Knelpunt bij Integraal plan (werkzaam element)', with its subgroup when it has one."""
    where = f", vooral bij {f.subgroup.attribute} {f.subgroup.value}" if f.subgroup else ""
    return f"{KIND_TITLES[f.kind]} bij {f.subject.label} ({f.subject.kind_label}{where})"


def shared_text(s: SharedFinding, municipality: Mapping[str, str]) -> str:
    """The shared finding with its evidence per municipality (the model's own sentence)."""
    return (f"{finding_title(s.finding)}: "
            f"{evidence_text(s.finding, lambda ids: places(ids, municipality))}")


def topics_text(pair: LearningPair) -> str:
    return "; ".join(t.subject.label for t in pair.topics)
