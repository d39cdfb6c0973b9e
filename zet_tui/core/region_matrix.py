"""The regional matrix: municipalities x basisfuncties, and x werkzame elementen.

A cell holds, for one municipality and one tag (`basisfunctie:integraal`,
`werkzaam:continuiteit`), the scores of every question with that tag:

* per perspective (inwoner, professional, dossier, and beleid from the policy
  self-evaluation), the mean on the five-point scale and how many scores;
* **praktijk**: the mean over the three case perspectives together, and the
  number of cases with at least one such score;
* the cases the findings model calls a knelpunt or a succesfactor on that tag
  (filled in by `core/region_learning.py`).

Thin data is named, never hidden behind a number:

* fewer than `MIN_CASES` cases or fewer than `MIN_SCORES` praktijk scores: the
  cell says "te weinig gegevens" and is left out of rankings and comparisons;
* a perspective's own mean needs `MIN_PERSPECTIVE_SCORES` scores, else it is
  shown as "te weinig gegevens" too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zet_tui.core.analysis import CaseAnalysis
from zet_tui.core.beleid import Score, scored_cells
from zet_tui.core.dutch import format_number
from zet_tui.core.region import RegionData
from zet_tui.core.vocab import CASE_PERSPECTIVES, POLICY_PERSPECTIVE, TAG_NAMESPACES

MIN_CASES = 1
"""Cases with a score on the tag a cell needs."""
MIN_SCORES = 3
"""Praktijk scores (all cases and case perspectives together) a cell needs."""
MIN_PERSPECTIVE_SCORES = 2
"""Scores one perspective's mean needs before it is shown."""

NO_DATA = "geen gegevens"
THIN = "te weinig gegevens"
MATRIX_PERSPECTIVES: tuple[str, ...] = (*CASE_PERSPECTIVES, POLICY_PERSPECTIVE)
#: Column headers for narrow tables (the screen, the CLI); reports use the full labels.
SHORT_LABELS: dict[str, str] = {
    "basisfunctie:veilig": "Veilig",
    "basisfunctie:signaleren": "Signaleren",
    "basisfunctie:toegankelijk": "Toegankelijk",
    "basisfunctie:integraal": "Integraal",
    "basisfunctie:leren": "Leren",
    "werkzaam:continuiteit": "Continuïteit",
    "werkzaam:integraal-plan": "Int. plan",
    "werkzaam:langdurig": "Langdurig",
    "werkzaam:maatwerk": "Maatwerk",
    "werkzaam:specifieke-kennis": "Spec. kennis",
    "werkzaam:eigen-regie": "Eigen regie",
    "werkzaam:vast-contactpersoon": "Vast contact",
    "werkzaam:basishouding": "Basishouding",
    "werkzaam:toegankelijk": "Toegankelijk",
    "werkzaam:vraagverheldering": "Vraagverh.",
}
NAMESPACE_TITLES: dict[str, str] = {"basisfunctie": "Basisfuncties",
                                    "werkzaam": "Werkzame elementen"}


@dataclass(frozen=True)
class MatrixCell:
    municipality: str
    tag: str
    praktijk: Score
    perspectives: Mapping[str, Score]
    cases: tuple[str, ...]
    """Ids of the cases with at least one score on the tag."""
    knelpunt: tuple[str, ...] = ()
    """Cases the findings model counts as a knelpunt on this tag."""
    succesfactor: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    """Keys of the region's findings on this tag that name a case of this municipality."""

    @property
    def thin(self) -> bool:
        return len(self.cases) < MIN_CASES or self.praktijk.n < MIN_SCORES

    @property
    def status(self) -> str:
        """'' when the cell has enough data, else why not."""
        if not self.cases and self.praktijk.n == 0:
            return NO_DATA
        return THIN if self.thin else ""

    @property
    def mean(self) -> float | None:
        """The praktijk mean, or None when the cell is thin."""
        return None if self.thin else self.praktijk.mean

    def perspective(self, perspective: str) -> Score:
        return self.perspectives.get(perspective, Score(None, 0))

    @property
    def beleid(self) -> Score:
        return self.perspective(POLICY_PERSPECTIVE)


def perspective_mean(score: Score) -> float | None:
    """A perspective's mean, or None below `MIN_PERSPECTIVE_SCORES`."""
    return score.mean if score.n >= MIN_PERSPECTIVE_SCORES else None


@dataclass(frozen=True)
class Matrix:
    namespace: str
    tags: tuple[tuple[str, str], ...]
    """(tag, label) in vocabulary order."""
    municipalities: tuple[str, ...]
    cells: Mapping[tuple[str, str], MatrixCell]
    region: Mapping[str, Score] = field(default_factory=dict)
    """Per tag, the praktijk of the whole region."""

    @property
    def title(self) -> str:
        return NAMESPACE_TITLES.get(self.namespace, self.namespace)

    def cell(self, municipality: str, tag: str) -> MatrixCell:
        return self.cells[(municipality, tag)]

    def ranked(self, tag: str) -> list[MatrixCell]:
        """The municipalities' cells on `tag` with enough data, highest praktijk first."""
        cells = [self.cells[(m, tag)] for m in self.municipalities]
        return sorted((c for c in cells if c.mean is not None),
                      key=lambda c: (-(c.mean or 0.0), c.municipality.casefold()))


def _tags(namespace: str) -> tuple[tuple[str, str], ...]:
    return tuple((f"{namespace}:{value}", label)
                 for value, label in TAG_NAMESPACES[namespace].items())


def _collect(cases: Iterable[CaseAnalysis], namespace: str
             ) -> tuple[dict[str, dict[str, list[float]]], dict[str, set[str]]]:
    levels: dict[str, dict[str, list[float]]] = {}
    with_scores: dict[str, set[str]] = {}
    prefix = f"{namespace}:"
    for ca in cases:
        for block in ca.themes:
            for row in block.rows:
                for p, cell in row.cells.items():
                    if cell.level is None:
                        continue
                    for tag in cell.question.tags:
                        if tag.startswith(prefix):
                            levels.setdefault(tag, {}).setdefault(p, []).append(cell.level)
                            with_scores.setdefault(tag, set()).add(ca.case.id)
    return levels, with_scores


def build_matrix(data: RegionData, namespace: str,
                 verdicts: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
                 findings: Mapping[str, Sequence[tuple[str, frozenset[str]]]] | None = None
                 ) -> Matrix:
    """The matrix of `namespace` ('basisfunctie' or 'werkzaam') for every municipality.

    `verdicts`: per tag, per case id, the sides (knelpunt / succesfactor) the
    findings model gives that case; `findings`: per tag, (finding key, its case
    ids). Both come from `core/region_learning.py`; without them the cells hold
    scores only.
    """
    tags = _tags(namespace)
    cells: dict[tuple[str, str], MatrixCell] = {}
    region: dict[str, list[float]] = {}
    for municipality in data.municipalities:
        own_cases = data.cases_of(municipality)
        levels, with_scores = _collect(own_cases, namespace)
        policy = data.policy_sessions_of(municipality)
        if policy:
            session = policy[-1]
            for c in scored_cells(session, data.answers.get(session.id, {})):
                if c.level is None:
                    continue
                for tag in c.question.tags:
                    if tag.startswith(f"{namespace}:"):
                        levels.setdefault(tag, {}).setdefault(POLICY_PERSPECTIVE, []).append(
                            c.level)
        case_ids = {ca.case.id for ca in own_cases}
        for tag, _label in tags:
            per = levels.get(tag, {})
            pooled = [lv for p in CASE_PERSPECTIVES for lv in per.get(p, [])]
            region.setdefault(tag, []).extend(pooled)
            shows = with_scores.get(tag, set())
            sides = (verdicts or {}).get(tag, {})
            cells[(municipality, tag)] = MatrixCell(
                municipality, tag, Score.of(pooled, len(shows)),
                {p: Score.of(per[p]) for p in MATRIX_PERSPECTIVES if p in per},
                tuple(sorted(shows)),
                knelpunt=tuple(sorted(c for c in case_ids if "knelpunt" in sides.get(c, ()))),
                succesfactor=tuple(sorted(c for c in case_ids
                                          if "succesfactor" in sides.get(c, ()))),
                findings=tuple(key for key, members in (findings or {}).get(tag, ())
                               if members & case_ids))
    return Matrix(namespace, tags, tuple(data.municipalities), cells,
                  {tag: Score.of(lv) for tag, lv in region.items()})


def score_text(score: Score, minimum: int = MIN_PERSPECTIVE_SCORES) -> str:
    """'3,4' for a mean with enough scores, 'te weinig gegevens' below `minimum`, '–' for none."""
    if score.n == 0 or score.mean is None:
        return "–"
    return format_number(score.mean, 1) if score.n >= minimum else THIN


def cell_text(cell: MatrixCell) -> str:
    """The praktijk of a cell in a few characters: '3,4', 'te weinig gegevens', 'geen gegevens'."""
    return cell.status or format_number(cell.praktijk.mean, 1)
