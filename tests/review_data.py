"""Builders for coverage and review tests: fictional cases on the mini questionnaire."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Case, Evaluation, Session, Store
from zet_tui.core.vocab import AnswerStatus

#: Every required question of mini.md with a valid answer (toegang.wachten = nee hides its follow-up).
FULL = {
    "toegang.wist-waar": {"score": 4},
    "toegang.wachten": {"value": "nee"},
    "plan.datum": {"value": "2024-03-01"},
    "plan.aantal": {"value": "2"},
    "plan.wie": {"value": "Samen"},
}


def perspective(mini: Questionnaire, name: str) -> Questionnaire:
    """The mini questionnaire as if it were the parallel list of another perspective."""
    return replace(mini, id=f"mini-{name}", perspective=name, _index={})


def setup_case(store: Store, mini: Questionnaire, *, code: str = "A-01",
               perspectives: Sequence[str] = ("inwoner", "professional", "dossier"),
               themes: Sequence[str] | None = None,
               evaluation: Evaluation | None = None) -> tuple[Evaluation, Case, dict[str, Session]]:
    ev = evaluation or store.create_evaluation("Testgemeente 2026", "Testdorp", themes)
    case = store.add_case(ev.id, code)
    sessions = {
        p: store.start_session(case.id, perspective(mini, p), interviewer="Ilse",
                               consent_given=True, consent_by="Fictieve inwoner")
        for p in perspectives
    }
    return ev, case, sessions


def save(store: Store, session_id: str, question_id: str, *, status: AnswerStatus = AnswerStatus.ANSWERED,
         score: int | None = None, value: str | None = None, toelichting: str = "",
         reason: str = "", actor: str = "Ilse") -> Answer:
    return store.save_answer(session_id, Answer(question_id, status, score=score, value=value,
                                                toelichting=toelichting, reason=reason), actor=actor)


def answer_all(store: Store, session_id: str, only: Sequence[str] | None = None) -> None:
    for qid, kw in FULL.items():
        if only is None or qid.split(".")[0] in only:
            save(store, session_id, qid, toelichting="fictieve toelichting", **kw)
