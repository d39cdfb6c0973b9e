"""SVG snapshots of the screens not covered elsewhere, at 80x24 (the smallest terminal the app
promises to work in) and some at 120x40: review, the session list, the feedback meeting, the
main dialogs, and the interview in ASCII and the light colour scheme.

Update after an intended change with
`pytest tests/app/test_narrow_snapshots.py --snapshot-update` and look at the SVGs first.
Times on screen are fixed (one time zone, fixed stamps in the database) so the SVGs are stable.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from exports_support import demo
from textual.pilot import Pilot

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.app.app import ZetApp
from zet_tui.app.feedback_app import FeedbackApp
from zet_tui.app.review_app import ReviewApp
from zet_tui.core.answers import Answer
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_or_raise, shipped_dir
from zet_tui.core.store import Session, Store, ids
from zet_tui.core.vocab import AnswerStatus

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
NARROW = (80, 24)
FIXED = "2026-03-02T09:15:00.000+00:00"
Compare = Callable[..., bool]


def _fix_times(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE answer SET updated = ?", (FIXED,))
        conn.execute("UPDATE note SET created = ?", (FIXED,))
        conn.execute("UPDATE note SET handled_at = ? WHERE handled_at IS NOT NULL", (FIXED,))
        conn.execute("UPDATE session SET started = ?", (FIXED,))


@pytest.fixture
def reviewed(store: Store, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch) -> Session:
    """A session (with a fixed id: the review header shows it) with answers, a note and two
    flags (one handled) with long texts: the columns at 80."""
    counter = itertools.count(1)
    monkeypatch.setattr(ids, "new_id", lambda: f"5e55{next(counter):028x}")
    ev = store.create_evaluation("Evaluatie Testdorp", "Testdorp")
    session = store.start_session(store.add_case(ev.id, "K-01").id, mini, interviewer="Anna",
                                  consent_given=True, consent_by="inwoner")
    sid = session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2,
                                  toelichting="Pas na drie telefoontjes wist ze bij wie ze "
                                              "moest zijn; de huisarts wees de weg."), actor="Anna")
    store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"),
                      actor="Anna")
    store.add_note(sid, "vraag door op het netwerk: wie hielp bij de aanvraag en waarom niet "
                        "eerder", kind="flag", theme_id="toegang", author="Rob")
    handled = store.add_note(sid, "vraag naar de wachttijd tussen aanmelding en eerste gesprek",
                             kind="flag", question_id="toegang.wachten", author="Rob")
    store.handle_note(handled.id, actor="Anna")
    store.add_note(sid, "mooie open vraag over het netwerk", author="Rob")
    _fix_times(store.path)
    return session


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(snap_compare: Compare, db_path: Path, reviewed: Session, utc: None,
                       size: tuple[int, int]) -> None:
    """Every key of the review screen in its footer, the header in two lines, the notes'
    status and text on screen (at 120 columns the status was pushed off the edge)."""
    app = ReviewApp(db_path, session_id=reviewed.id, reviewer_name="Rob")
    assert snap_compare(app, terminal_size=size)


def test_review_finish_tab(snap_compare: Compare, db_path: Path, reviewed: Session,
                           utc: None) -> None:
    app = ReviewApp(db_path, session_id=reviewed.id, reviewer_name="Rob")
    assert snap_compare(app, terminal_size=NARROW, press=["a"])


def test_review_note_dialog(snap_compare: Compare, db_path: Path, reviewed: Session,
                            utc: None) -> None:
    app = ReviewApp(db_path, session_id=reviewed.id, reviewer_name="Rob")
    assert snap_compare(app, terminal_size=NARROW, press=["f", *"netwerk"])


def test_session_pick_list(snap_compare: Compare, db_path: Path, reviewed: Session,
                           utc: None) -> None:
    assert snap_compare(ReviewApp(db_path, reviewer_name="Rob"), terminal_size=NARROW)


@pytest.mark.parametrize("size", SIZES)
def test_feedback_screen(snap_compare: Compare, db_path: Path, store: Store,
                         size: tuple[int, int]) -> None:
    evaluation = demo(store).evaluation
    assert snap_compare(FeedbackApp(db_path, evaluation.id, actor="Anna"), terminal_size=size)


def test_feedback_reaction_dialog(snap_compare: Compare, db_path: Path, store: Store) -> None:
    evaluation = demo(store).evaluation
    assert snap_compare(FeedbackApp(db_path, evaluation.id, actor="Anna"),
                        terminal_size=NARROW, press=["r"])


def test_feedback_improvement_dialog(snap_compare: Compare, db_path: Path, store: Store) -> None:
    """The largest feedback form: whole at 24 lines (its bottom was cut)."""
    evaluation = demo(store).evaluation
    assert snap_compare(FeedbackApp(db_path, evaluation.id, actor="Anna"),
                        terminal_size=NARROW, press=["v"])


def _start_dialog(key: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open a start screen dialog once the lists are loaded."""
    async def ask(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press(key)
        await pilot.pause()

    return ask


@pytest.mark.parametrize("key", ["ctrl+e", "ctrl+f"])
def test_start_dialogs(snap_compare: Compare, db_path: Path, store: Store, mini_paths: list[Path],
                       monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    """Export (the folder wraps no more) and feedback meeting."""
    demo(store)
    monkeypatch.setattr(Path, "cwd", classmethod(lambda cls: Path("/home/anna")))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, ascii=False)
    assert snap_compare(app, terminal_size=NARROW, run_before=_start_dialog(key))


def test_coverage_dialog(snap_compare: Compare, db_path: Path, store: Store,
                         open_session: Session, mini_paths: list[Path]) -> None:
    """The dialog's buttons whole at 24 lines (a fixed-height list cut them)."""
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id,
                 ascii=False, clock=lambda: _started(open_session))
    assert snap_compare(app, terminal_size=NARROW, press=["f3"])


def _started(session: Session) -> datetime:
    return datetime.fromisoformat(session.started) + timedelta(minutes=3)


def test_interview_ascii_light_with_many_themes(snap_compare: Compare, db_path: Path,
                                                store: Store) -> None:
    """The inwoner questionnaire (nine themes) in ASCII and the light colour scheme, with
    reviewer notes: the header says it all in one line at 80 columns (it was cut off as
    "thema's [~][ ][ ][")."""
    Path(os.environ["ZET_SETTINGS"]).write_text(json.dumps({"theme": "textual-light"}))
    inwoner = load_or_raise(shipped_dir() / "inwoner.md")
    ev = store.create_evaluation("Evaluatie Testdorp", "Testdorp")
    session = store.start_session(store.add_case(ev.id, "K-01").id, inwoner, interviewer="Anna",
                                  consent_given=True, consent_by="inwoner")
    first = inwoner.themes[0].questions[0]
    store.save_answer(session.id, Answer(first.id, AnswerStatus.ANSWERED, score=4,
                                         toelichting="Via de buurvrouw."), actor="Anna")
    store.add_note(session.id, "vraag door op het netwerk", kind="flag", author="Rob")
    store.add_note(session.id, "goed doorgevraagd", author="Rob")
    app = ZetApp(db_path, session_id=session.id, ascii=True, clock=lambda: _started(session))
    assert snap_compare(app, terminal_size=NARROW)


def _analyse(store: Store, db_path: Path) -> AnalyseApp:
    result = demo(store)
    return AnalyseApp(db_path, result.evaluation.id, load_codebook_or_raise(codebook_path()),
                      analyst="Ana", ascii=False)


def test_coding_filter_dialog(snap_compare: Compare, db_path: Path, store: Store) -> None:
    assert snap_compare(_analyse(store, db_path), terminal_size=NARROW, press=["slash"])


def test_coding_recommendation_dialog(snap_compare: Compare, db_path: Path, store: Store) -> None:
    assert snap_compare(_analyse(store, db_path), terminal_size=NARROW, press=["r"])
