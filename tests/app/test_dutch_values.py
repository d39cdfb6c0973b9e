"""Dates and numbers in the interview read as the interviewer typed them, not as stored."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.widgets.chat import Bubble
from zet_tui.core.answers import Answer
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


async def test_a_typed_date_and_decimal_show_dutch_in_the_chat_and_when_edited(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="nee"))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.engine.current.id == "plan.datum"
        await pilot.press(*"14-3-2024", "enter")
        await pilot.pause()
        await pilot.press(*"2,5", "enter")
        await pilot.pause()
        assert screen.engine.current.id == "plan.wie"
        saved = app.store.answers(sid)
        assert (saved["plan.datum"].value, saved["plan.aantal"].value) == ("2024-03-14", "2.5")
        chat = "\n".join(b.plain_text() for b in screen.query(Bubble))
        assert "14-03-2024" in chat and "2,5" in chat and "2024-03-14" not in chat
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.engine.current.id == "plan.aantal"
        assert screen.query_one("#value", Input).value == "2,5"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.query_one("#value", Input).value == "14-03-2024"
        await pilot.press("enter")  # sending it unchanged keeps the same date
        await pilot.pause()
        assert app.store.answers(sid)["plan.datum"].value == "2024-03-14"
        assert [e.kind for e in app.store.events(sid, question_id="plan.datum")] == ["answer_created"]
