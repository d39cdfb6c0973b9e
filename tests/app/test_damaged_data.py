"""Damaged data in the apps: one Dutch message, the other sessions stay usable, never a traceback.

A merged laptop file or a hand edit can leave a row SQLite reads fine but zet-tui
cannot: a questionnaire snapshot cut short, `probes_asked` that is no JSON list, an
evaluation's theme list that is no JSON, a BLOB where a name or a code belongs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zet_tui.app.app import ZetApp
from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.review import ReviewScreen, SessionPickScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Session, Store, StoreError
from zet_tui.core.vocab import AnswerStatus

#: How each kind of damage is made: SQL on the damaged session's rows (`?` = its id).
DAMAGE = {
    "snapshot": "UPDATE session SET snapshot = '{\"id\": \"x\", \"themes\": [' WHERE id = ?",
    "probes": "UPDATE answer SET probes_asked = '[0,' WHERE session_id = ?",
    "blob-name": "UPDATE session SET interviewer = x'00ff41' WHERE id = ?",
    "blob-toelichting": "UPDATE answer SET toelichting = x'1b5b324a' WHERE session_id = ?",
    "blob-code": "UPDATE cases SET code = x'4b2d3031' WHERE id ="
                 " (SELECT case_id FROM session WHERE id = ?)",
}


@pytest.fixture
def sessions(store: Store, mini: Questionnaire) -> tuple[Session, Session]:
    """Two sessions in one evaluation, each with an answer; the first one gets damaged."""
    ev = store.create_evaluation("Evaluatie Testdorp", "Testdorp")
    out = []
    for code in ("K-01", "K-02"):
        case = store.add_case(ev.id, code)
        session = store.start_session(case.id, mini, interviewer="Anna", consent_given=True,
                                      consent_by="inwoner")
        store.save_answer(session.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                             toelichting="goed", probes_asked=(0,)))
        out.append(session)
    return out[0], out[1]


def damage(db_path: Path, kind: str, session_id: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(DAMAGE[kind], (session_id,))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_store_names_the_damage_and_lists_the_session_as_damaged(
        db_path: Path, store: Store, sessions: tuple[Session, Session], kind: str) -> None:
    bad, good = sessions
    damage(db_path, kind, bad.id)
    with pytest.raises(StoreError, match="beschadigd"):
        store.session(bad.id)
        store.answers(bad.id)
        case = store.case(bad.case_id)
        assert case is not None
        raise AssertionError(f"no damage found for {kind}")  # pragma: no cover
    summaries = {s.session_id: s for s in store.session_summaries()}
    assert summaries[bad.id].damaged and not summaries[good.id].damaged
    assert store.session(good.id).id == good.id and store.answers(good.id)


@pytest.mark.parametrize("kind", list(DAMAGE))
async def test_start_screen_lists_the_damaged_session_and_opens_the_others(
        db_path: Path, mini_paths: list[Path], store: Store, sessions: tuple[Session, Session],
        kind: str) -> None:
    bad, good = sessions
    damage(db_path, kind, bad.id)
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        open_list = screen.query_one("#open-sessions")
        prompts = {o.id: str(o.prompt) for o in open_list._options}  # type: ignore[attr-defined]
        assert "beschadigd" in prompts[bad.id] and "beschadigd" not in prompts[good.id]
        app.open_session(bad.id)  # as Enter on the line would, past the start screen's own check
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        messages = [n.message for n in app._notifications]
        assert any("beschadigd" in m for m in messages), messages
        app.open_session(good.id)
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and app.screen.session.id == good.id
    assert app.crash is None and app.return_code in (0, None)


async def test_damaged_evaluation_and_case_are_named_and_left_out(
        db_path: Path, mini_paths: list[Path], store: Store,
        sessions: tuple[Session, Session]) -> None:
    bad, _ = sessions
    second = store.create_evaluation("Tweede evaluatie")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE evaluation SET themes = '[\"toegang\"' WHERE id = ?", (second.id,))
    conn.execute("UPDATE cases SET code = x'00' WHERE id = ?", (bad.case_id,))
    conn.commit()
    conn.close()
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        warning = str(screen.query_one("#damaged").render())
        assert "evaluatie" in warning and "casus" in warning and "beschadigd" in warning
        evaluation = screen.query_one("#evaluation")
        values = [v for _, v in evaluation._options]  # type: ignore[attr-defined]
        assert second.id not in values and len(values) == 2  # the good one and "+ nieuw"
        case = screen.query_one("#case")
        assert bad.case_id not in [v for _, v in case._options]  # type: ignore[attr-defined]
    assert app.crash is None


@pytest.mark.parametrize("kind", ["snapshot", "probes", "blob-code"])
async def test_review_refuses_a_damaged_session_with_a_message(
        db_path: Path, store: Store, sessions: tuple[Session, Session], kind: str) -> None:
    bad, good = sessions
    damage(db_path, kind, bad.id)
    app = ReviewApp(db_path, reviewer_name="Rik")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionPickScreen)
        app.push_screen(ReviewScreen(db_path, bad.id, "Rik"))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SessionPickScreen)  # refused and closed again
        assert any("beschadigd" in n.message for n in app._notifications)
        app.push_screen(ReviewScreen(db_path, good.id, "Rik"))
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.answers
    assert app.crash is None


@pytest.mark.parametrize("kind", ["snapshot", "probes", "blob-name"])
def test_cli_refuses_a_damaged_session_in_one_line(
        db_path: Path, sessions: tuple[Session, Session], kind: str,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    bad, _ = sessions
    damage(db_path, kind, bad.id)
    monkeypatch.setattr("zet_tui.commands.common.has_terminal", lambda: True)  # refused before the screen
    for argv in (["tui", "--session", bad.id], ["review", "--session", bad.id, "--name", "R"]):
        assert main([*argv, "--db", str(db_path)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "beschadigd" in err[0] and bad.id[:8] in err[0], err


def test_saving_over_damaged_probes_keeps_the_new_answer(
        db_path: Path, store: Store, sessions: tuple[Session, Session]) -> None:
    """What is typed is never lost because of what it replaces."""
    bad, _ = sessions
    damage(db_path, "probes", bad.id)
    store.save_answer(bad.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2,
                                     toelichting="nieuw"), actor="Anna")
    assert store.answers(bad.id)["toegang.wist-waar"].toelichting == "nieuw"
    changed = [e for e in store.events(bad.id) if e.kind == "answer_changed"]
    assert changed[-1].old["probes_asked"] == "[0,"  # the damaged value, kept in the log
