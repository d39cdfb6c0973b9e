"""Beleid beside praktijk: the policy self-evaluation of a municipality next to its cases.

The policy questionnaire (`questionnaires/beleid.md`, perspective `beleid`) is
answered once per municipality by its policy staff and uses the theme ids of
the case questionnaires. Per theme this module sets what the municipality
*intends* (beleid) beside what its cases *show* (praktijk). Pure functions
over sessions and answers already read, shared by the evaluation report, the
region report and the region screen.

Rules (the same sentences are in `docs/regio.md`):

* **Scores** are placed on the five-point scale (`analysis.smiley5_equivalent`).
* **Beleid** of a theme: the mean of the policy session's scores in that theme
  (the latest policy session of the municipality).
* **Praktijk** of a theme: the mean of all scores in that theme over every
  case of the municipality and every case perspective (inwoner,
  professional, dossier).
* **Too little data**: praktijk rests on fewer than `MIN_PRACTICE_SCORES`
  scores, or beleid on fewer than `MIN_POLICY_SCORES`: no verdict.
* **Divergence**: beleid and praktijk lie `GAP` points or more apart. Beleid
  higher: what was intended does not (yet) reach residents; praktijk higher:
  the cases went better than the policy staff expected.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zet_tui.core.analysis import CaseAnalysis, Cell
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_file, questionnaire_files
from zet_tui.core.store import Session, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, POLICY_PERSPECTIVE

GAP = 1.0
"""Points on the five-point scale between beleid and praktijk that count as a divergence."""
MIN_PRACTICE_SCORES = 3
"""Scores (all cases and perspectives of the theme together) praktijk needs for a verdict."""
MIN_POLICY_SCORES = 1
"""Scores of the policy session in the theme needed for a verdict."""

ALIGNED = "in lijn"
POLICY_HIGHER = "beleid positiever"
PRACTICE_HIGHER = "praktijk positiever"
THIN = "te weinig gegevens"
NO_PRACTICE = "geen scores uit de casussen"
NO_POLICY = "geen beleidsscore"
VERDICT_TEXTS: dict[str, str] = {
    ALIGNED: "beleid en praktijk liggen dicht bij elkaar",
    POLICY_HIGHER: "het beleid is positiever dan wat de casussen laten zien",
    PRACTICE_HIGHER: "de casussen laten meer zien dan het beleid verwachtte",
    THIN: "te weinig scores voor een oordeel",
    NO_PRACTICE: "de casussen hebben in dit thema geen scores",
    NO_POLICY: "de beleidsvragenlijst heeft hier geen score",
}
DIVERGING = (POLICY_HIGHER, PRACTICE_HIGHER)


@dataclass(frozen=True)
class Score:
    """A mean on the five-point scale and the number of scores behind it."""

    mean: float | None
    n: int
    cases: int = 0

    @classmethod
    def of(cls, levels: Sequence[float], cases: int = 0) -> Score:
        return cls(statistics.fmean(levels) if levels else None, len(levels), cases)


@dataclass(frozen=True)
class PolicyTheme:
    theme_id: str
    title: str
    beleid: Score
    praktijk: Score
    perspectives: Mapping[str, Score] = field(default_factory=dict)
    """Praktijk per case perspective."""
    toelichtingen: tuple[str, ...] = ()
    """What the policy staff wrote with their scores in this theme."""

    @property
    def gap(self) -> float | None:
        if self.beleid.mean is None or self.praktijk.mean is None:
            return None
        return self.beleid.mean - self.praktijk.mean

    @property
    def verdict(self) -> str:
        if self.praktijk.n == 0:
            return NO_PRACTICE
        if self.beleid.n == 0:
            return NO_POLICY
        if self.praktijk.n < MIN_PRACTICE_SCORES or self.beleid.n < MIN_POLICY_SCORES:
            return THIN
        gap = self.gap
        assert gap is not None
        if gap >= GAP:
            return POLICY_HIGHER
        if gap <= -GAP:
            return PRACTICE_HIGHER
        return ALIGNED

    @property
    def diverges(self) -> bool:
        return self.verdict in DIVERGING


@dataclass(frozen=True)
class PolicyComparison:
    """Beleid beside praktijk for one municipality."""

    municipality: str
    session: Session | None
    """The policy session used (None: the municipality has none yet)."""
    cases: int
    """Cases of the municipality with an analyseschema."""
    themes: tuple[PolicyTheme, ...]

    @property
    def diverging(self) -> list[PolicyTheme]:
        return [t for t in self.themes if t.diverges]

    def theme(self, theme_id: str) -> PolicyTheme | None:
        return next((t for t in self.themes if t.theme_id == theme_id), None)


def policy_questionnaire(paths: Path | Sequence[Path] | None = None) -> Questionnaire:
    """The policy self-evaluation among `paths` (default: the shipped questionnaires)."""
    targets = [paths] if isinstance(paths, Path) else list(paths or ())
    for path in questionnaire_files(targets or None):
        result = load_file(path)
        q = result.questionnaire
        if result.ok and q is not None and q.perspective == POLICY_PERSPECTIVE:
            return q
    where = ", ".join(map(str, targets)) or "de meegeleverde vragenlijsten"
    raise StoreError(f"geen geldige vragenlijst voor perspectief beleid in {where}")


def policy_sessions(sessions: Iterable[Session]) -> list[Session]:
    """The sessions of the policy perspective, oldest first."""
    return sorted((s for s in sessions if s.perspective == POLICY_PERSPECTIVE),
                  key=lambda s: s.started)


def scored_cells(session: Session, answers: Mapping[str, Answer]) -> list[Cell]:
    """The policy session's answers as analyseschema cells (which carry the five-point level)."""
    return [Cell(session.perspective, session.id, q, answers.get(q.id))
            for q in session.questionnaire.questions()]


def compare_policy(municipality: str, cases: Sequence[CaseAnalysis],
                   policy: Sequence[Session],
                   answers: Mapping[str, Mapping[str, Answer]]) -> PolicyComparison:
    """Beleid beside praktijk per theme for one municipality.

    `cases`: the analyseschema of each of its cases; `policy`: its policy
    sessions (the latest started one counts).
    """
    session = max(policy, key=lambda s: s.started) if policy else None
    practice: dict[str, dict[str, list[float]]] = {}
    case_count: dict[str, set[str]] = {}
    titles: dict[str, str] = {}
    for ca in cases:
        for block in ca.themes:
            titles.setdefault(block.id, block.title)
            for row in block.rows:
                for p, cell in row.cells.items():
                    if cell.level is not None:
                        practice.setdefault(block.id, {}).setdefault(p, []).append(cell.level)
                        case_count.setdefault(block.id, set()).add(ca.case.id)
    themes: list[PolicyTheme] = []
    if session is not None:
        own = answers.get(session.id, {})
        cells = scored_cells(session, own)
        for theme in session.questionnaire.themes:
            levels = [c.level for c in cells
                      if c.question.theme_id == theme.id and c.level is not None]
            notes = tuple(dict.fromkeys(a.toelichting.strip() for q in theme.questions
                                        if (a := own.get(q.id)) is not None and a.toelichting.strip()))
            themes.append(_theme(theme.id, titles.get(theme.id, theme.title), levels,
                                 practice.get(theme.id, {}), len(case_count.get(theme.id, ())),
                                 notes))
    return PolicyComparison(municipality, session, len(cases), tuple(themes))


def _theme(theme_id: str, title: str, policy_levels: list[float],
           practice: Mapping[str, list[float]], cases: int,
           notes: tuple[str, ...]) -> PolicyTheme:
    pooled = [lv for p in CASE_PERSPECTIVES for lv in practice.get(p, [])]
    return PolicyTheme(theme_id, title, Score.of(policy_levels), Score.of(pooled, cases),
                       {p: Score.of(practice[p]) for p in CASE_PERSPECTIVES if p in practice},
                       notes)
