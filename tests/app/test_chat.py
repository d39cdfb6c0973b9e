"""The chat stays bounded however long the interview, the text fallback, and the CLI entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.interview import MAX_PAIRS, MAX_SUMMARIES, InterviewScreen
from zet_tui.app.widgets.chat import AnswerBar, Bubble
from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_bytes
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


def generated(themes: int, per_theme: int) -> Questionnaire:
    lines = ["---", "id: groot", "titel: Gegenereerd", "perspectief: inwoner", "versie: 1", "---",
             "", "Opening.", ""]
    for t in range(themes):
        lines += [f"# Thema {t} {{#t{t}}}", "", f"Inleiding {t}.", ""]
        for q in range(per_theme):
            lines += [f"## Vraag {t}.{q}? {{#t{t}.q{q}}}", "", "Doorvragen:", "- een", ""]
    result = load_bytes("\n".join(lines).encode())
    assert result.questionnaire is not None, result.problems
    return result.questionnaire


def start(store: Store, questionnaire: Questionnaire, answered: int) -> Session:
    ev = store.create_evaluation("Lang")
    case = store.add_case(ev.id, "K-09")
    session = store.start_session(case.id, questionnaire, interviewer="Anna",
                                  consent_given=True, consent_by="inwoner")
    for q in list(questionnaire.questions())[:answered]:
        store.save_answer(session.id, Answer(q.id, AnswerStatus.ANSWERED, score=3,
                                             toelichting=f"toelichting bij {q.id}"))
    return session


async def test_long_theme_keeps_a_bounded_window(db_path: Path, store: Store) -> None:
    session = start(store, generated(1, 60), answered=45)
    app = ZetApp(db_path, session_id=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.engine.current.id == "t0.q45"
        limit = 2 * MAX_PAIRS + 5  # opening, intro, "more" line, current question
        counts = []
        for _ in range(5):
            counts.append(len(app.screen.query(Bubble)))
            await pilot.press("4", "ctrl+s")
            await pilot.pause()
        assert max(counts) <= limit
        keys = [b.key for b in app.screen.query(Bubble)]
        assert "more:t0" in keys and keys[-1] == "q:t0.q50"
        assert len(store.answers(session.id)) == 50


async def test_resume_rebuilds_history_with_bounded_summaries(db_path: Path, store: Store) -> None:
    session = start(store, generated(10, 5), answered=32)
    app = ZetApp(db_path, session_id=session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = [b.key for b in app.screen.query(Bubble)]
        # one summary per recent finished theme; the oldest folded into one bubble
        assert [k for k in keys if k.startswith("sum:")] == [
            "sum:older", *(f"sum:t{i}" for i in range(6 - MAX_SUMMARIES, 6))]
        # the current theme shows its two answered questions, then the current one
        assert keys[-5:] == ["q:t6.q0", "a:t6.q0", "q:t6.q1", "a:t6.q1", "q:t6.q2"]
        text = "\n".join(b.plain_text() for b in app.screen.query(Bubble))
        assert "toelichting bij t6.q1" in text and "Thema 5: klaar 5/5" in text
        assert "Eerdere thema's (2" in text and "✓ Thema 0: klaar 5/5" in text


async def test_ascii_fallback_from_environment(db_path: Path, open_session: Session,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZET_ASCII", "1")
    app = ZetApp(db_path, session_id=open_session.id,
                 questionnaire_paths=[Path(__file__).parents[1] / "fixtures" / "mini.md"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.ascii
        bar = app.screen.query_one("#answer-bar", AnswerBar)
        rendered = str(bar.render())
        assert "1 -- heel slecht" in rendered and "5 ++ heel goed" in rendered
        assert "😄" not in rendered
        await pilot.press("5", "ctrl+s")
        await pilot.pause()
        text = "\n".join(b.plain_text() for b in app.screen.query(Bubble))
        assert "++ heel goed (5/5)" in text


def test_cli_unknown_session_is_one_line(db_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zet_tui.commands.common.has_terminal", lambda: True)
    assert main(["tui", "--db", str(db_path), "--session", "bestaatniet"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "zet: sessie 'bestaatniet' niet gevonden"
