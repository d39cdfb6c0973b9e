"""The analyst's workbench as plain data: what the coding screen shows and where its keys go.

The answers are laid out like the analyseschema (`core/analysis.py` rows):
theme by theme, per question row one line per case, the perspectives side by
side. An `Item` is one answer in that grid; the reading order (theme, row,
case, perspective) is the order of "next answer". The screen only draws this
model and calls the store: every rule (what counts as coded, which polarity a
code gets by default, where a filter or an arrow key leads) lives here and is
tested without a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zet_tui.core import anchors
from zet_tui.core.analysis import Cell, EvaluationAnalysis, Row, analyse_evaluation
from zet_tui.core.codebook import Suggestion, suggestions
from zet_tui.core.coding import Codebook, Coding, Polarity, Quote
from zet_tui.core.evidence import Evidence, load_evidence
from zet_tui.core.findings import Findings
from zet_tui.core.store import Case, Evaluation, Finding, Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, AnswerType

#: Up to this smiley5-equivalent a score suggests a knelpunt, from `HIGH` a succesfactor.
LOW, HIGH = 2.0, 4.0


@dataclass(frozen=True)
class Item:
    """One answer of one perspective of one case, in the grid of its theme."""

    index: int
    case: Case
    theme_id: str
    row: Row
    cell: Cell
    line: int
    """Index of the (row, case) line within the theme; the perspectives of a line sit side by side."""

    @property
    def perspective(self) -> str:
        return self.cell.perspective

    @property
    def session_id(self) -> str:
        return self.cell.session_id

    @property
    def question_id(self) -> str:
        return self.cell.question.id

    @property
    def toelichting(self) -> str:
        return self.cell.toelichting

    @property
    def has_text(self) -> bool:
        """Free text to code: a toelichting, or the answer of an open (tekst) question."""
        a = self.cell.answer
        return bool(self.toelichting.strip()) or bool(
            a is not None and self.cell.question.type == AnswerType.TEXT and (a.value or "").strip())


@dataclass(frozen=True)
class Filter:
    """Which answers navigation stops at; every part is optional."""

    code_id: str | None = None
    theme_id: str | None = None
    case_id: str | None = None
    uncoded: bool = False
    """Only answers with free text and no coding yet."""
    review: bool = False
    """Only answers with a coding or quote whose fragment no longer matches (edited later)."""

    @property
    def active(self) -> bool:
        return self != Filter()


def default_polarity(cell: Cell) -> Polarity:
    """A low score suggests a knelpunt, a high one a succesfactor; anything else is neutral."""
    if cell.level is not None:
        if cell.level <= LOW:
            return Polarity.KNELPUNT
        if cell.level >= HIGH:
            return Polarity.SUCCESFACTOR
    return Polarity.NEUTRAAL


class Workbench:
    def __init__(self, evaluation: Evaluation, analysis: EvaluationAnalysis,
                 evidence: Evidence, codebook: Codebook) -> None:
        self.evaluation = evaluation
        self.analysis = analysis
        self.evidence = evidence
        self.codebook = codebook
        self.cases = [ca.case for ca in analysis.cases]
        self.themes: list[tuple[str, str]] = []
        self.items: list[Item] = []
        self._layout()

    # -- layout ----------------------------------------------------------------------------
    def _layout(self) -> None:
        titles: dict[str, str] = {}
        rows: dict[str, dict[str, None]] = {}
        for ca in self.analysis.cases:
            for block in ca.themes:
                titles.setdefault(block.id, block.title)
                rows.setdefault(block.id, {}).update((r.key, None) for r in block.rows)
        self.themes = list(titles.items())
        by_case = {ca.case.id: {r.key: r for b in ca.themes for r in b.rows}
                   for ca in self.analysis.cases}
        for theme_id in titles:
            line = 0
            for key in rows[theme_id]:
                for case in self.cases:
                    row = by_case[case.id].get(key)
                    if row is None:
                        continue
                    for p in CASE_PERSPECTIVES:
                        cell = row.cells.get(p)
                        if cell is not None and cell.answer is not None:
                            self.items.append(Item(len(self.items), case, theme_id, row, cell,
                                                   line))
                    line += 1

    def theme_title(self, theme_id: str) -> str:
        return dict(self.themes).get(theme_id, theme_id)

    def theme_items(self, theme_id: str) -> list[Item]:
        return [i for i in self.items if i.theme_id == theme_id]

    # -- evidence -----------------------------------------------------------------------
    def with_evidence(self, evidence: Evidence) -> Workbench:
        """The same layout with fresh codings (after a write): no new analysis needed."""
        fresh = object.__new__(Workbench)
        fresh.__dict__.update(self.__dict__)
        fresh.evidence = evidence
        return fresh

    def codings(self, item: Item) -> list[Coding]:
        return self.evidence.codings_of(item.session_id, item.question_id)

    def quotes(self, item: Item) -> list[Quote]:
        return self.evidence.quotes_of(item.session_id, item.question_id)

    def stale(self, item: Item) -> list[Coding | Quote]:
        text = item.toelichting
        marks: list[Coding | Quote] = [*self.codings(item), *self.quotes(item)]
        return [m for m in marks
                if anchors.state(text, m.start, m.end, m.fragment) == anchors.AnchorState.STALE]

    def is_coded(self, item: Item) -> bool:
        return bool(self.codings(item))

    def needs_coding(self, item: Item) -> bool:
        return item.has_text and not self.is_coded(item)

    def progress(self) -> tuple[int, int]:
        """(coded, to code): answers with free text that carry at least one coding."""
        texts = [i for i in self.items if i.has_text]
        return sum(1 for i in texts if self.is_coded(i)), len(texts)

    def suggestions(self, item: Item) -> list[Suggestion]:
        applied = {c.code_id for c in self.codings(item)}
        return suggestions(self.codebook, item.toelichting, skip=applied)

    # -- filters and navigation ----------------------------------------------------------
    def matches(self, item: Item, flt: Filter) -> bool:
        if flt.theme_id is not None and item.theme_id != flt.theme_id:
            return False
        if flt.case_id is not None and item.case.id != flt.case_id:
            return False
        if flt.code_id is not None and not any(c.code_id == flt.code_id
                                               for c in self.codings(item)):
            return False
        if flt.uncoded and not self.needs_coding(item):
            return False
        return not (flt.review and not self.stale(item))

    def step(self, start: int | None, forward: bool, flt: Filter,
             also: Callable[[Item], bool] | None = None) -> Item | None:
        """The next (or previous) matching answer in reading order, across themes, wrapping."""
        n = len(self.items)
        if n == 0:
            return None
        first = -1 if start is None else start
        for k in range(1, n + 1):
            i = (first + k) % n if forward else (first - k) % n
            item = self.items[i]
            if self.matches(item, flt) and (also is None or also(item)):
                return item  # `start` itself comes last (k == n): wrapping around to it
        return None

    def neighbour(self, item: Item, direction: str, flt: Filter) -> Item | None:
        """The answer next to `item` in the grid: left/right on its line, up/down in its column."""
        theme = [i for i in self.theme_items(item.theme_id) if self.matches(i, flt)]
        if direction in ("left", "right"):
            line = [i for i in theme if i.line == item.line]
            pos = next((k for k, i in enumerate(line) if i.index == item.index), None)
            if pos is None:
                return line[0] if line else None
            target = pos + (1 if direction == "right" else -1)
            return line[target] if 0 <= target < len(line) else None
        lines = sorted({i.line for i in theme})
        later = [ln for ln in lines if (ln > item.line if direction == "down" else ln < item.line)]
        if not later:
            return None
        target = min(later) if direction == "down" else max(later)
        candidates = [i for i in theme if i.line == target]
        same = [i for i in candidates if i.perspective == item.perspective]
        return (same or candidates)[0]

    def filtered(self, flt: Filter) -> Iterable[Item]:
        return (i for i in self.items if self.matches(i, flt))


@dataclass(frozen=True)
class RecommendationTarget:
    """A finding the analyst can write a recommendation for."""

    key: str
    text: str


def recommendation_targets(findings: Findings,
                           stored: Iterable[Finding]) -> list[RecommendationTarget]:
    """The findings of the feedback meeting, in the findings model's order (priorities first),
    keyed like the report looks recommendations up (`Finding.key` of the model); one the
    meeting already numbered carries its F-number. Read only: opening the form writes nothing."""
    from zet_tui.core.feedback import derive_findings

    numbers = {(f.kind, f.key): n for n, f in enumerate(stored, start=1)}
    out = []
    for d in derive_findings(findings):
        number = next((numbers[ref] for ref in ((d.kind, d.key), *d.aliases) if ref in numbers), None)
        out.append(RecommendationTarget(d.key, f"F{number}: {d.text}" if number else d.text))
    return out


def load_workbench(store: Store, evaluation_id: str, codebook: Codebook) -> Workbench:
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        raise StoreError(f"evaluatie '{evaluation_id}' niet gevonden")
    with store.snapshot():
        sessions = store.sessions(evaluation_id=evaluation_id)
        answers = store.answers_for_sessions([s.id for s in sessions])
        cases = store.cases(evaluation_id)
        evidence = load_evidence(store, evaluation_id, codebook=codebook)
    analysis = analyse_evaluation(evaluation, cases, sessions, answers)
    return Workbench(evaluation, analysis, evidence, codebook)


def refresh_evidence(store: Store, bench: Workbench) -> Workbench:
    return bench.with_evidence(load_evidence(store, bench.evaluation.id, codebook=bench.codebook))
