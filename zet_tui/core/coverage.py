"""Which themes have been discussed: per session, per case and per evaluation.

A theme is covered when every visible required question has a complete
answer: answered, weet niet, n.v.t., or niet besproken *with* a reason. A
covered theme is "done", or "skipped" (niet besproken) when every complete
question in it was skipped. That rule and the counts (`3/4`) live in
`interview.ThemeProgress`; this module only aggregates them, so the interview
screen, the review screen, `zet coverage` and the transcript can never disagree.

Aggregation rules (documented here because scripts depend on them):

- Case: themes x perspectives (inwoner, professional, dossier, plus any other
  perspective the case has sessions for). A perspective without a session is
  "geen sessie" and counts as open. A case with only policy sessions (the
  beleid self-evaluation of a municipality) has the beleid column and its own
  themes only.
- Several sessions of one perspective (a second interview, a follow-up visit):
  a theme counts as done when it is done in *any* of them; the cell shows the
  best session's state and counts (done > partly > open).
- A theme a perspective's questionnaire does not contain is "n.v.t." for that
  cell and does not keep the case open.
- Which themes a perspective without a session is expected to cover: the
  themes that perspective's sessions elsewhere in the evaluation contain; when
  the evaluation has no session of that perspective at all, every theme of the
  evaluation's interviews and dossier studies (its chosen themes when it has a
  compact selection); the themes of a checklist (perspective "other") only
  concern the checklist.
- Evaluation: every case; limited to the evaluation's chosen themes when it has
  a selection. An evaluation without cases is not complete: nothing has been
  covered yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zet_tui.core.answers import Answer
from zet_tui.core.interview import (
    DONE,
    OPEN,
    PARTLY,
    SKIPPED,
    THEME_STATE_LABELS,
    is_visible,
    theme_progress,
)
from zet_tui.core.questionnaire import Questionnaire, Theme
from zet_tui.core.store import Case, Evaluation, Session, Store
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS, POLICY_PERSPECTIVE

NO_SESSION = "no_session"
NOT_APPLICABLE = "not_applicable"

#: Dutch labels for every cell state, as printed by `zet coverage` and the review screen.
STATE_LABELS: dict[str, str] = {
    **THEME_STATE_LABELS,
    NO_SESSION: "geen sessie",
    NOT_APPLICABLE: "n.v.t.",
}
#: Plain-text marks that render in any terminal font (no emoji needed).
STATE_MARKS: dict[str, str] = {
    DONE: "✔",
    PARTLY: "◐",
    OPEN: "✗",
    SKIPPED: "⊘",
    NO_SESSION: "✗",
    NOT_APPLICABLE: "–",
}
#: Which session's cell a case shows when a perspective has several: the best one.
_RANK = {DONE: 4, SKIPPED: 3, PARTLY: 2, OPEN: 1, NO_SESSION: 0}


def is_covered(state: str) -> bool:
    """Whether a cell in that state keeps nothing open."""
    return state in (DONE, SKIPPED, NOT_APPLICABLE)


@dataclass(frozen=True)
class ThemeCoverage:
    """One theme in one session."""

    theme_id: str
    title: str
    state: str
    visible: int
    required: int
    complete: int
    required_complete: int
    open_questions: tuple[str, ...] = ()
    #: the counts shown as `3/4`, from `ThemeProgress.done_count` / `total_count`
    done_count: int = 0
    total_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme_id, "title": self.title, "state": self.state,
            "visible": self.visible, "required": self.required, "complete": self.complete,
            "required_complete": self.required_complete,
            "done_count": self.done_count, "total_count": self.total_count,
            "open_questions": list(self.open_questions),
        }


def theme_coverage(questionnaire: Questionnaire, answers: Mapping[str, Answer],
                   theme: Theme) -> ThemeCoverage:
    progress = theme_progress(questionnaire, answers, theme)
    visible = [q for q in theme.questions if is_visible(q, answers, questionnaire)]

    def incomplete(qid: str) -> bool:
        return not (qid in answers and answers[qid].is_complete)

    open_ids = [q.id for q in visible if q.required and incomplete(q.id)]
    if not progress.covered and not open_ids:
        # only optional questions and none answered: any of them would cover the theme
        open_ids = [q.id for q in visible if incomplete(q.id)]
    return ThemeCoverage(theme.id, theme.title, progress.state, progress.visible,
                         progress.required, progress.complete, progress.required_complete,
                         tuple(open_ids), progress.done_count, progress.total_count)


@dataclass(frozen=True)
class SessionCoverage:
    session_id: str
    case_id: str
    perspective: str
    title: str
    status: str
    themes: tuple[ThemeCoverage, ...]

    @property
    def complete(self) -> bool:
        return all(is_covered(t.state) for t in self.themes)

    def theme(self, theme_id: str) -> ThemeCoverage | None:
        return next((t for t in self.themes if t.theme_id == theme_id), None)

    def counts(self) -> dict[str, int]:
        return _count(t.state for t in self.themes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": "session", "session": self.session_id, "case": self.case_id,
            "perspective": self.perspective, "questionnaire": self.title,
            "status": self.status, "complete": self.complete, "counts": self.counts(),
            "themes": [t.to_dict() for t in self.themes],
        }


def session_coverage(session: Session, answers: Mapping[str, Answer]) -> SessionCoverage:
    """Coverage of one session from its snapshot; pure, so the review screen can reuse loaded answers."""
    q = session.questionnaire
    return SessionCoverage(
        session.id, session.case_id, session.perspective, q.title, session.status,
        tuple(theme_coverage(q, answers, t) for t in q.themes),
    )


@dataclass(frozen=True)
class Cell:
    """One theme in one perspective of a case."""

    perspective: str
    state: str
    done: int = 0
    total: int = 0
    session_id: str | None = None
    open_questions: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        return is_covered(self.state)

    def to_dict(self) -> dict[str, Any]:
        return {"perspective": self.perspective, "state": self.state, "done": self.done,
                "total": self.total, "session": self.session_id,
                "open_questions": list(self.open_questions)}


@dataclass(frozen=True)
class ThemeRow:
    theme_id: str
    title: str
    cells: tuple[Cell, ...]

    @property
    def covered(self) -> bool:
        return all(c.covered for c in self.cells)

    def cell(self, perspective: str) -> Cell | None:
        return next((c for c in self.cells if c.perspective == perspective), None)


@dataclass(frozen=True)
class CaseCoverage:
    case_id: str
    code: str
    perspectives: tuple[str, ...]
    rows: tuple[ThemeRow, ...]
    sessions: tuple[SessionCoverage, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Never without a single session (in a checklist-only evaluation every cell of
        such a case would otherwise be n.v.t.)."""
        return bool(self.rows) and bool(self.sessions) and all(r.covered for r in self.rows)

    def counts(self) -> dict[str, int]:
        return _count(c.state for r in self.rows for c in r.cells)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": "case", "case": self.case_id, "code": self.code,
            "complete": self.complete, "perspectives": list(self.perspectives),
            "counts": self.counts(),
            "themes": [
                {"theme": r.theme_id, "title": r.title, "covered": r.covered,
                 "cells": {c.perspective: c.to_dict() for c in r.cells}}
                for r in self.rows
            ],
            "sessions": [s.to_dict() for s in self.sessions],
        }


@dataclass(frozen=True)
class EvaluationCoverage:
    evaluation_id: str
    name: str
    chosen_themes: tuple[str, ...] | None
    cases: tuple[CaseCoverage, ...]

    @property
    def complete(self) -> bool:
        return bool(self.cases) and all(c.complete for c in self.cases)

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {k: 0 for k in STATE_LABELS}
        for case in self.cases:
            for k, v in case.counts().items():
                total[k] += v
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": "evaluation", "evaluation": self.evaluation_id, "name": self.name,
            "chosen_themes": None if self.chosen_themes is None else list(self.chosen_themes),
            "complete": self.complete, "counts": self.counts(),
            "cases": [c.to_dict() for c in self.cases],
        }


def _count(states: Iterable[str]) -> dict[str, int]:
    out = {k: 0 for k in STATE_LABELS}
    for s in states:
        out[s] += 1
    return out


# -- aggregation ----------------------------------------------------------------
def _best(coverages: Sequence[ThemeCoverage]) -> ThemeCoverage | None:
    if not coverages:
        return None
    return max(coverages, key=lambda t: (_RANK[t.state], t.required_complete, t.complete))


def build_case_coverage(
    case: Case, sessions: Sequence[SessionCoverage], *,
    themes: Sequence[tuple[str, str]] = (),
    expected: Mapping[str, set[str]] | None = None,
) -> CaseCoverage:
    """Combine session coverages into the themes x perspectives table of one case.

    `themes` lists (id, title) pairs that must appear even when no session has
    them (the evaluation's chosen themes); `expected` maps a perspective to the
    theme ids a missing session of it would have to cover.
    """
    # The policy self-evaluation has a case of its own: it expects no interviews or dossier
    # study, and only its own themes.
    policy_only = bool(sessions) and all(s.perspective == POLICY_PERSPECTIVE for s in sessions)
    perspectives = [] if policy_only else list(CASE_PERSPECTIVES)
    for s in sessions:
        if s.perspective not in perspectives:
            perspectives.append(s.perspective)
    order: dict[str, str] = {}
    for tid, title in () if policy_only else themes:
        order.setdefault(tid, title)
    for s in sessions:
        for t in s.themes:
            order.setdefault(t.theme_id, t.title)
    by_perspective: dict[str, list[SessionCoverage]] = {p: [] for p in perspectives}
    for s in sessions:
        by_perspective[s.perspective].append(s)
    rows: list[ThemeRow] = []
    for tid, title in order.items():
        cells: list[Cell] = []
        for p in perspectives:
            own = by_perspective[p]
            if not own:
                wanted = (expected or {}).get(p)
                state = NO_SESSION if wanted is None or tid in wanted else NOT_APPLICABLE
                cells.append(Cell(p, state))
                continue
            found: list[tuple[SessionCoverage, ThemeCoverage]] = []
            for s in own:
                tc = s.theme(tid)
                if tc is not None:
                    found.append((s, tc))
            best = _best([tc for _, tc in found])
            if best is None:
                cells.append(Cell(p, NOT_APPLICABLE))
                continue
            sid = next(s.session_id for s, tc in found if tc is best)
            cells.append(Cell(p, best.state, best.done_count, best.total_count, sid,
                              best.open_questions))
        rows.append(ThemeRow(tid, title, tuple(cells)))
    return CaseCoverage(case.id, case.code, tuple(perspectives), tuple(rows), tuple(sessions))


def _load_sessions(store: Store, sessions: Sequence[Session]) -> list[SessionCoverage]:
    answers = store.answers_for_sessions([s.id for s in sessions])
    return [session_coverage(s, answers[s.id]) for s in sessions]


def coverage_for_session(store: Store, session_id: str) -> SessionCoverage:
    session = store.session(session_id)
    return session_coverage(session, store.answers(session.id))


def _evaluation_themes(evaluation: Evaluation,
                       sessions: Sequence[SessionCoverage]) -> list[tuple[str, str]]:
    titles: dict[str, str] = {}
    for s in sessions:
        for t in s.themes:
            titles.setdefault(t.theme_id, t.title)
    if evaluation.themes is not None:
        return [(tid, titles.get(tid, tid)) for tid in evaluation.themes]
    return list(titles.items())


def _expected(evaluation: Evaluation, sessions: Sequence[SessionCoverage],
              themes: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    everything = {tid for tid, _ in themes}
    seen: dict[str, set[str]] = {}
    for s in sessions:
        seen.setdefault(s.perspective, set()).update(t.theme_id for t in s.themes)
    if evaluation.themes is None:
        # A checklist (perspective "other", such as the Wmo checklist) has themes of its
        # own: a missing interview is not expected to cover them.
        everything = set().union(*(ids for p, ids in seen.items() if p in CASE_PERSPECTIVES))
    out = {p: everything for p in CASE_PERSPECTIVES}
    for p, ids in seen.items():
        out[p] = ids & everything if evaluation.themes is not None else ids
    return out


def coverage_for_evaluation(store: Store, evaluation_id: str) -> EvaluationCoverage:
    evaluation = store.evaluation(evaluation_id)
    if evaluation is None:
        evaluation = store.find_evaluation(evaluation_id)
    sessions = _load_sessions(store, store.sessions(evaluation_id=evaluation.id))
    themes = _evaluation_themes(evaluation, sessions)
    expected = _expected(evaluation, sessions, themes)
    cases = tuple(
        build_case_coverage(case, [s for s in sessions if s.case_id == case.id],
                            themes=themes, expected=expected)
        for case in store.cases(evaluation.id)
    )
    return EvaluationCoverage(evaluation.id, evaluation.name, evaluation.themes, cases)


def coverage_for_case(store: Store, case_id: str) -> CaseCoverage:
    """One case, with the same expectations as in its evaluation's overview."""
    case = store.case(case_id)
    if case is None:
        case = store.find_case(case_id)
    full = coverage_for_evaluation(store, case.evaluation_id)
    return next(c for c in full.cases if c.case_id == case.id)


def perspective_label(perspective: str) -> str:
    return PERSPECTIVE_LABELS.get(perspective, perspective)


__all__ = [
    "DONE", "NOT_APPLICABLE", "NO_SESSION", "OPEN", "PARTLY", "SKIPPED", "STATE_LABELS",
    "STATE_MARKS", "CaseCoverage", "Cell", "EvaluationCoverage", "SessionCoverage",
    "ThemeCoverage", "ThemeRow", "build_case_coverage", "coverage_for_case",
    "coverage_for_evaluation", "coverage_for_session", "is_covered", "perspective_label",
    "session_coverage", "theme_coverage",
]
