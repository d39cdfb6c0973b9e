"""The analyseschema as data: per case, per theme, the three perspectives side by side.

Pure functions over sessions and answers already read from the store, so the
exporters, the app, the findings model (`core/findings.py`) and a benchmark
share one model and one set of rules.

Rules, chosen so an analyst can explain every mark in the feedback meeting:

* **Rows.** Questions line up across perspectives on `Question.key` (the
  `tegenhanger` or the question's own id). A row sits in the theme where its
  key first appears (inwoner, then professional, then dossier order). When a
  case has several sessions of one perspective, the most recently started one
  fills the column; every session still gets its own transcript.
* **Not asked.** A question hidden by its condition (`toon-als`) in a session
  is marked as not asked, not as unanswered.
* **Direction of a score.** On every scale the points below the middle are the
  *low* side, the points above it the *high* side: smiley5 1-2 / 4-5, smiley3
  1 / 3, ja-deels-nee *nee* / *ja*; the middle (3, 2, *deels*) has no side.
* **Smiley5-equivalent.** Only for averages: a score on a shorter scale is
  placed on the five-point scale, `1 + (score - 1) * 4 / (size - 1)`, so
  smiley3 2 and *deels* become 3 and their ends 1 and 5.
* **Divergence.** Two answers to one row diverge when
  - both are scores on the same scale and lie two or more steps apart
    (smiley5 2 vs 4; smiley3 1 vs 3; ja-deels-nee nee vs ja), or
  - both are scores on different scales and lie on opposite sides
    (ja-deels-nee *nee* against smiley5 4 or 5, *ja* against 1 or 2): compared
    by meaning, never by a distance between converted numbers, or
  - both are yes/no-like and one is *ja*, the other *nee*: a `ja-nee` answer,
    or a `ja-deels-nee` score of 3 (ja) or 1 (nee); *deels* never diverges.
  Anything else (a choice against a smiley, weet niet, n.v.t.) is not compared.
  Differences the scores cannot show are marked by the analyst by hand
  (`ManualDivergence`, see `core/findings.py`).
* **Recurring divergence.** The same question key diverges in two or more cases.

Which patterns across cases are findings (knelpunten, succesfactoren, ...) is
decided in `core/findings.py`, not here.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from zet_tui.core.answers import Answer
from zet_tui.core.dutch import format_value
from zet_tui.core.interview import visible_questions
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Case, Evaluation, Session
from zet_tui.core.timeline import Timeline, build_timeline
from zet_tui.core.vocab import (
    CASE_PERSPECTIVES,
    PERSPECTIVE_LABELS,
    STATUS_LABELS,
    TAG_NAMESPACES,
    AnswerStatus,
    AnswerType,
)

DIVERGENCE_STEPS = 2
NOT_ASKED = "niet gesteld (voorwaarde)"


def smiley5_equivalent(score: int, size: int) -> float:
    """Position of `score` on a scale of `size` points, expressed on the 1..5 scale."""
    if size <= 1:
        return 3.0
    return 1 + (score - 1) * 4 / (size - 1)


def side_of(score: int, size: int) -> int:
    """-1 below the middle of the scale, +1 above it, 0 on the middle point."""
    doubled = 2 * score - (size + 1)
    return (doubled > 0) - (doubled < 0)


@cache
def _position(score: int, size: int) -> tuple[float, int]:
    """(smiley5-equivalent, side) of a score: a few dozen pairs, asked for every cell."""
    return smiley5_equivalent(score, size), side_of(score, size)


@dataclass(frozen=True)
class Cell:
    """One perspective's answer to one row of the analyseschema.

    The derived values are computed once at construction: an analysis of a
    thousand sessions reads them hundreds of thousands of times.
    """

    perspective: str
    session_id: str
    question: Question
    answer: Answer | None
    hidden: bool = False
    """The question was not asked: its condition (`toon-als`) did not hold."""
    answered: bool = field(init=False)
    score: int | None = field(init=False)
    """The scale score of an answered scale question, else None."""
    scale_size: int | None = field(init=False)
    level: float | None = field(init=False)
    """The smiley5-equivalent of the score (None without a score)."""
    side: int | None = field(init=False)
    """Direction of the score on its own scale: -1 low, 0 middle, +1 high (None without a score)."""
    polarity: bool | None = field(init=False)
    """True for ja, False for nee, None for anything else (including deels)."""

    def __post_init__(self) -> None:
        a, q = self.answer, self.question
        answered = a is not None and a.status == AnswerStatus.ANSWERED
        scaled = q.is_scaled
        size = q.scale_def.size if scaled else None
        score = a.score if answered and scaled and a is not None else None
        level, side = _position(score, size) if score is not None and size else (None, None)
        polarity: bool | None = None
        if answered and a is not None:
            if q.type == AnswerType.YES_NO:
                polarity = {"ja": True, "nee": False}.get((a.value or "").lower())
            elif scaled and q.scale == "ja-deels-nee":
                polarity = {3: True, 1: False}.get(a.score or 0)
        # the frozen dataclass's fields, filled at once (object.__setattr__ per field costs
        # more than the rest of the cell: an export of 1,000 sessions makes 20,000 cells)
        self.__dict__.update(answered=answered, score=score, scale_size=size, level=level, side=side,
                             polarity=polarity)

    @property
    def display(self) -> str:
        """Short text of the answer on its own scale, without emoji: '4 goed', '1/3 niet goed',
        'deels', 'ja', 'weet niet', 'niet gesteld (voorwaarde)', 'geen antwoord'."""
        a = self.answer
        if a is None:
            return NOT_ASKED if self.hidden else "geen antwoord"
        if a.status != AnswerStatus.ANSWERED:
            return STATUS_LABELS.get(str(a.status), str(a.status))
        if self.question.is_scaled and a.score is not None:
            return score_text(self.question, a.score)
        return format_value(self.question.type, a.value)

    @property
    def toelichting(self) -> str:
        return self.answer.toelichting if self.answer else ""


def score_text(question: Question, score: int) -> str:
    """A score on its own scale: '4 goed' (smiley5), '2/3 gaat wel' (smiley3), 'deels'."""
    point = question.scale_def.point(score)
    if point is None:
        return str(score)
    if question.scale == "ja-deels-nee":
        return point.label
    if question.scale_def.size != 5:
        return f"{score}/{question.scale_def.size} {point.label}"
    return f"{score} {point.label}"


@dataclass(frozen=True)
class Divergence:
    case_id: str
    case_code: str
    theme_id: str
    key: str
    text: str
    a: Cell
    b: Cell
    kind: str  # "scale" (same scale), "richting" (different scales) or "ja-nee"

    @property
    def perspectives(self) -> tuple[str, str]:
        return (self.a.perspective, self.b.perspective)

    def describe(self) -> str:
        pa = PERSPECTIVE_LABELS.get(self.a.perspective, self.a.perspective)
        pb = PERSPECTIVE_LABELS.get(self.b.perspective, self.b.perspective)
        return f"{pa} {self.a.display} tegenover {pb.lower()} {self.b.display}"


def diverges(a: Cell, b: Cell) -> str | None:
    """The kind of divergence between two cells ('scale' / 'richting' / 'ja-nee'), or None."""
    if not (a.question.is_scaled and b.question.is_scaled):
        pa, pb = a.polarity, b.polarity
        if pa is not None and pb is not None and pa != pb:
            return "ja-nee"
        return None
    sa, sb = a.score, b.score
    if sa is None or sb is None:
        return None
    if a.question.scale == b.question.scale:
        return "scale" if abs(sa - sb) >= DIVERGENCE_STEPS else None
    # different scales mean different things: compare the direction, never a distance
    return "richting" if a.side and b.side and a.side == -b.side else None


@dataclass
class Row:
    key: str
    theme_id: str
    cells: dict[str, Cell] = field(default_factory=dict)
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The row label: the inwoner's wording when there is one (each cell keeps its own)."""
        for p in (*CASE_PERSPECTIVES, *self.cells):
            if p in self.cells:
                return self.cells[p].question.text
        return self.key

    @property
    def tags(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for cell in self.cells.values():
            for t in cell.question.tags:
                seen[t] = None
        return tuple(seen)


@dataclass
class ThemeBlock:
    id: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def divergences(self) -> list[Divergence]:
        return [d for r in self.rows for d in r.divergences]


@dataclass
class CaseAnalysis:
    case: Case
    sessions: dict[str, Session]
    """The session shown per perspective (latest started)."""
    themes: list[ThemeBlock]
    timeline: Timeline

    @property
    def divergences(self) -> list[Divergence]:
        return [d for t in self.themes for d in t.divergences]

    @property
    def perspectives(self) -> list[str]:
        return [p for p in CASE_PERSPECTIVES if p in self.sessions]

    def theme_mean(self, theme_id: str) -> float | None:
        block = next((t for t in self.themes if t.id == theme_id), None)
        if block is None:
            return None
        levels = [c.level for r in block.rows for c in r.cells.values() if c.level is not None]
        return statistics.fmean(levels) if levels else None


def analyse_case(case: Case, sessions: Sequence[Session],
                 answers: Mapping[str, Mapping[str, Answer]],
                 themes: Sequence[str] | None = None) -> CaseAnalysis:
    """Build the analyseschema of one case from its sessions and their answers.

    `themes` restricts to an evaluation's chosen themes (compact mode); the
    sessions' snapshots already are restricted, this guards older sessions.
    """
    chosen: dict[str, Session] = {}
    for s in sorted(sessions, key=lambda s: s.started):
        if s.perspective in CASE_PERSPECTIVES:
            chosen[s.perspective] = s
    wanted = set(themes) if themes else None
    blocks: dict[str, ThemeBlock] = {}
    rows: dict[str, Row] = {}
    for perspective in CASE_PERSPECTIVES:
        session = chosen.get(perspective)
        if session is None:
            continue
        session_answers = answers.get(session.id, {})
        asked = {q.id for q in visible_questions(session.questionnaire, session_answers)}
        for theme in session.questionnaire.themes:
            if wanted is not None and theme.id not in wanted:
                continue
            for q in theme.questions:
                key = q.key
                row = rows.get(key)
                if row is not None and perspective in row.cells:
                    key = f"{q.key}#{q.id}"  # two questions of one list share a key
                    row = rows.get(key)
                if row is None:
                    block = blocks.get(theme.id)
                    if block is None:
                        block = blocks[theme.id] = ThemeBlock(theme.id, theme.title)
                    row = rows[key] = Row(key, theme.id)
                    block.rows.append(row)
                row.cells[perspective] = Cell(perspective, session.id, q,
                                              session_answers.get(q.id), q.id not in asked)
    for row in rows.values():
        cells = [row.cells[p] for p in CASE_PERSPECTIVES if p in row.cells]
        for i, a in enumerate(cells):
            for b in cells[i + 1:]:
                kind = diverges(a, b)
                if kind:
                    row.divergences.append(Divergence(case.id, case.code, row.theme_id,
                                                      row.key, row.text, a, b, kind))
    dossier = chosen.get("dossier")
    timeline = (build_timeline(dossier.questionnaire, answers.get(dossier.id, {}))
                if dossier else Timeline(()))
    return CaseAnalysis(case, chosen, list(blocks.values()), timeline)


# -- evaluation level ----------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    """Scores of one perspective on one theme (or tag) across cases, on the smiley5 scale."""

    n: int
    minimum: float | None
    median: float | None
    mean: float | None
    distribution: tuple[int, int, int, int, int]
    statuses: Mapping[str, int]

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> Spread:
        levels: list[float] = []
        statuses: Counter[str] = Counter()
        for c in cells:
            if c.level is not None:
                levels.append(c.level)
            elif c.answer is not None and c.answer.status != AnswerStatus.ANSWERED:
                statuses[str(c.answer.status)] += 1
        # a smiley5-equivalent is binned on the nearest point (half up): smiley3 and
        # ja-deels-nee land on 1, 3 and 5
        dist = [0] * 5
        for lv in levels:
            dist[min(4, max(0, int(lv + 0.5) - 1))] += 1
        return cls(
            n=len(levels),
            minimum=min(levels) if levels else None,
            median=statistics.median(levels) if levels else None,
            mean=statistics.fmean(levels) if levels else None,
            distribution=(dist[0], dist[1], dist[2], dist[3], dist[4]),
            statuses=dict(statuses),
        )


@dataclass(frozen=True)
class ThemeStats:
    id: str
    title: str
    spreads: Mapping[str, Spread]  # per perspective
    case_means: Mapping[str, float]  # case code -> mean smiley5-equivalent


@dataclass(frozen=True)
class RecurringDivergence:
    key: str
    theme_id: str
    text: str
    divergences: tuple[Divergence, ...]

    @property
    def case_codes(self) -> list[str]:
        return sorted({d.case_code for d in self.divergences})

    @property
    def pairs(self) -> Counter[tuple[str, str]]:
        return Counter(d.perspectives for d in self.divergences)


@dataclass(frozen=True)
class TagSummary:
    tag: str
    namespace: str
    label: str
    question_keys: tuple[str, ...]
    spreads: Mapping[str, Spread]
    divergences: int


@dataclass
class EvaluationAnalysis:
    evaluation: Evaluation
    cases: list[CaseAnalysis]
    themes: list[ThemeStats]
    recurring: list[RecurringDivergence]
    tags: list[TagSummary]

    @property
    def divergences(self) -> list[Divergence]:
        return [d for c in self.cases for d in c.divergences]

    def tags_in(self, namespace: str) -> list[TagSummary]:
        return [t for t in self.tags if t.namespace == namespace]


def analyse_evaluation(evaluation: Evaluation, cases: Sequence[Case],
                       sessions: Sequence[Session],
                       answers: Mapping[str, Mapping[str, Answer]]) -> EvaluationAnalysis:
    """Analyse every case of `evaluation` that has sessions, and the patterns across them."""
    by_case: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        by_case[s.case_id].append(s)
    # a case seen only through another instrument (a checklist) has no analyseschema
    analyses = [analyse_case(c, by_case[c.id], answers, evaluation.themes)
                for c in cases if any(s.perspective in CASE_PERSPECTIVES for s in by_case[c.id])]
    return EvaluationAnalysis(evaluation, analyses, _theme_stats(analyses),
                              _recurring(analyses), _tag_summaries(analyses))


def _theme_stats(cases: Sequence[CaseAnalysis]) -> list[ThemeStats]:
    titles: dict[str, str] = {}
    cells: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    means: dict[str, dict[str, float]] = defaultdict(dict)
    for ca in cases:
        for block in ca.themes:
            titles.setdefault(block.id, block.title)
            for row in block.rows:
                for p, cell in row.cells.items():
                    cells[block.id][p].append(cell)
            mean = ca.theme_mean(block.id)
            if mean is not None:
                means[block.id][ca.case.code] = mean
    return [
        ThemeStats(tid, title,
                   {p: Spread.of(cells[tid][p]) for p in CASE_PERSPECTIVES if p in cells[tid]},
                   dict(means[tid]))
        for tid, title in titles.items()
    ]


def _recurring(cases: Sequence[CaseAnalysis]) -> list[RecurringDivergence]:
    found: dict[str, list[Divergence]] = defaultdict(list)
    for ca in cases:
        for d in ca.divergences:
            found[d.key].append(d)
    out = []
    for key, divs in found.items():
        if len({d.case_id for d in divs}) >= 2:
            out.append(RecurringDivergence(key, divs[0].theme_id, divs[0].text, tuple(divs)))
    out.sort(key=lambda r: (-len(r.case_codes), r.key))
    return out


def _tag_summaries(cases: Sequence[CaseAnalysis]) -> list[TagSummary]:
    cells: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[str, dict[str, None]] = defaultdict(dict)
    divs: Counter[str] = Counter()
    for ca in cases:
        for block in ca.themes:
            for row in block.rows:
                for tag in row.tags:
                    keys[tag][row.key] = None
                    divs[tag] += len(row.divergences)
                for p, cell in row.cells.items():
                    for tag in cell.question.tags:
                        cells[tag][p].append(cell)
    out = []
    for namespace, vocab in TAG_NAMESPACES.items():
        for value, label in vocab.items():
            tag = f"{namespace}:{value}"
            out.append(TagSummary(
                tag, namespace, label, tuple(keys.get(tag, {})),
                {p: Spread.of(cells[tag][p]) for p in CASE_PERSPECTIVES if p in cells.get(tag, {})},
                divs[tag]))
    return out
