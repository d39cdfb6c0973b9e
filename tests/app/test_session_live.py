"""The interview screen and the other processes on its file: one writer, answers and notes
from elsewhere, theme skip, and one count of every theme on every screen and file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from zet_tui.app.app import ZetApp
from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.interview_live import LeaseLost
from zet_tui.app.screens.modals import TextPrompt
from zet_tui.app.screens.notes_list import NotesScreen
from zet_tui.app.screens.review import ReviewScreen
from zet_tui.app.widgets.chat import STATE_ICONS, AnswerBar, Bubble
from zet_tui.commands.coverage import render_session
from zet_tui.core.answers import Answer
from zet_tui.core.coverage import coverage_for_session
from zet_tui.core.store import NoteRole, Session, Store
from zet_tui.core.vocab import AnswerStatus
from zet_tui.export.runner import run_export, select


def interview(pilot: Pilot[None]) -> InterviewScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen), screen
    return screen


def chat_text(pilot: Pilot[None]) -> str:
    return "\n".join(b.plain_text() for b in pilot.app.screen.query(Bubble))


def shown(pilot: Pilot[None], widget_id: str) -> str:
    widget = pilot.app.screen.query_one(f"#{widget_id}", Static)
    return str(widget.render()) if widget.display else ""


def messages(app: ZetApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def until(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 5.0) -> None:
    waited = 0.0
    while not check():
        assert waited < timeout, "niet binnen de tijd"
        await pilot.pause(0.05)
        waited += 0.05


async def test_second_app_reads_along_and_takes_over_when_the_writer_is_gone(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    # Another interview app (another terminal) writes this session.
    assert store.claim_session(sid, "andere-app", interviewer="Anna", host="andere-laptop",
                               question_id="toegang.wist-waar", theme_id="toegang") is None
    start = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with start.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listed = str(start.screen.query_one("#open-sessions", OptionList).get_option_at_index(0).prompt)
        assert listed.endswith("· nu open in een andere app")
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        assert screen.live.read_only
        banner = shown(pilot, "readonly-banner")
        assert "Alleen lezen: Anna (op computer andere-laptop, proces" in banner
        assert str(screen.query_one("#status", Static).render()).startswith("ALLEEN LEZEN · ")
        assert screen.query_one("#answer-bar", AnswerBar).disabled
        # typed keys do nothing and a save is refused with the reason, before anything is written
        await pilot.press("4", "ctrl+s", "ctrl+o", "f2")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)  # no prompt opened to type into
        assert store.answers(sid) == {}
        assert any("Alleen lezen" in m for m in messages(app))

        # the writer answers and moves on: this screen follows
        store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                      toelichting="via de buurvrouw"), holder="andere-app")
        store.renew_lease(sid, "andere-app", question_id="toegang.wachten", theme_id="toegang")
        screen.tick()
        await pilot.pause()
        assert screen.engine.position == "toegang.wachten"
        assert "via de buurvrouw" in chat_text(pilot)

        # F8 while the writer is there: refused
        await pilot.press("f8")
        await pilot.pause()
        assert screen.live.read_only

        # the writer closes its app: F8 takes over, and answers are saved here
        store.release_lease(sid, "andere-app")
        screen.tick()
        await pilot.pause()
        assert "F8" in shown(pilot, "readonly-banner")
        await pilot.press("f8")
        await pilot.pause()
        assert not screen.live.read_only and not shown(pilot, "readonly-banner")
        await pilot.press("1", "ctrl+s")
        await pilot.pause()
        assert store.answers(sid)["toegang.wachten"].value == "ja"
        lease = store.lease(sid)
        assert lease is not None and lease.holder == screen.live.holder
    assert store.lease(sid) is None  # released on exit


async def test_losing_the_lease_keeps_what_was_typed(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        await pilot.press("3", "tab", "tab", *"half verteld")
        # this app was stopped for a while; another took the session over
        with sqlite3.connect(db_path) as conn:
            conn.execute("UPDATE session_lease SET holder = 'andere-app', pid = 4242,"
                         " host = 'andere-laptop' WHERE session_id = ?", (sid,))
        lease = store.lease(sid)
        screen.post_message(LeaseLost(lease))
        await pilot.pause()
        assert screen.live.read_only
        assert "nog niet had opgeslagen" in shown(pilot, "readonly-banner")
        assert screen.query_one("#toelichting").text == "half verteld"  # type: ignore[attr-defined]
        assert screen.query_one("#answer-bar", AnswerBar).selection == "s:3"
        # a save from here is refused by the store too (the lease check is in its transaction)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.answers(sid) == {}


async def test_answers_saved_elsewhere_reach_the_writer(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        # e.g. `zet merge` into the live file: an earlier question, and the current one
        store.save_answer(sid, Answer("plan.wie", AnswerStatus.ANSWERED, value="Samen"))
        store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2))
        screen.tick()
        await pilot.pause()
        assert screen.engine.answers["plan.wie"].value == "Samen"
        assert screen.query_one("#answer-bar", AnswerBar).selection == "s:2"  # fields untouched: shown
        assert "Plan 1/3" in str(screen.query_one("#themes", OptionList).get_option_at_index(1).prompt)
        # typed but not saved: a change from elsewhere never overwrites the fields (the
        # cursor is in the toelichting: Escape leads to the smileys, where 5 is a score)
        await pilot.press("escape", "5")
        store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=1))
        screen.tick()
        await pilot.pause()
        assert screen.query_one("#answer-bar", AnswerBar).selection == "s:5"
        assert any("elders gewijzigd" in m for m in messages(app))


async def test_theme_skip_with_one_reason_and_the_reason_offered_again(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        await pilot.press("tab", "tab", *"wilde er niet over praten")  # typed before the skip
        await pilot.press("ctrl+t")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt) and "alle 2 open vragen" in prompt.question
        await pilot.press(*"geen tijd meer", "enter")
        await pilot.pause()
        answers = store.answers(sid)
        assert {qid: (a.status, a.reason) for qid, a in answers.items()} == {
            "toegang.wist-waar": (AnswerStatus.NIET_BESPROKEN, "geen tijd meer"),
            "toegang.wachten": (AnswerStatus.NIET_BESPROKEN, "geen tijd meer")}
        assert answers["toegang.wist-waar"].toelichting == "wilde er niet over praten"
        assert screen.engine.position == "plan.datum"
        row = str(screen.query_one("#themes", OptionList).get_option_at_index(0).prompt)
        assert STATE_ICONS["skipped"] in row and "2/2" in row
        assert "Toegang: niet besproken 2/2" in chat_text(pilot)
        # the next skip offers the same reason, selected: Enter takes it, typing replaces it
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#prompt-input", Input).value == "geen tijd meer"
        await pilot.press("enter")
        await pilot.pause()
        assert store.answers(sid)["plan.datum"].reason == "geen tijd meer"
        # nothing left open in a theme: a clear message, no prompt
        await screen.goto_theme("toegang")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert any("al behandeld" in m for m in messages(app))


async def test_reviewer_notes_arrive_quietly_are_counted_and_listed(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    store.save_answer(sid, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="nee"))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        assert screen.engine.current.theme_id == "plan"
        assert not shown(pilot, "arrived")
        own = store.add_note(sid, "eigen aantekening", question_id="plan.datum", theme_id="plan",
                             author="Anna", role=NoteRole.INTERVIEWER)
        screen.tick()
        await pilot.pause()
        assert not shown(pilot, "arrived")  # the interviewer's own note does not "arrive"
        # the reviewer flags the finished theme, then adds a note on the session
        flag = store.add_note(sid, "vraag nog door op het netwerk", kind="flag", theme_id="toegang",
                              author="Rob")
        screen.tick()
        await pilot.pause()
        line = shown(pilot, "arrived")
        assert "Vlag van reviewer Rob bij thema Toegang: vraag nog door op het netwerk" in line
        assert not messages(app)  # quietly: no pop-up
        store.add_note(sid, "mooie open vraag", author="Rob")
        screen.tick()
        await pilot.pause()
        assert "Notitie van reviewer Rob bij de sessie: mooie open vraag" in shown(pilot, "arrived")
        assert "nog 1" in shown(pilot, "arrived")
        status = str(screen.query_one("#status", Static).render())
        assert "⚑ 1 open vlag" in status and "1 notitie reviewer" in status
        # F5 lists notes and flags, open flags first; the arrivals line is read
        await pilot.press("f5")
        await pilot.pause()
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        assert notes.notes[0].id == flag.id and own.id in [n.id for n in notes.notes]
        listed = notes.query_one("#notes-list", OptionList)
        assert listed.option_count == 3
        assert "Notitie van de interviewer (Anna)" in str(listed.get_option_at_index(2).prompt)
        await pilot.press("enter")  # the open flag: handled
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and not shown(pilot, "arrived")
        assert next(n for n in store.notes(sid) if n.id == flag.id).handled_at
        await pilot.press("f5", "down", "down", "g")  # the own note: go to its question
        await pilot.pause()
        assert screen.engine.position == "plan.datum"


async def test_reviewer_note_defaults_to_the_interviewers_theme(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    store.claim_session(sid, "interview-app", interviewer="Anna", question_id="plan.wie",
                        theme_id="plan")
    app = ReviewApp(db_path, session_id=sid, reviewer_name="Rob")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "nu bij Plan" in str(screen.query_one("#review-header", Static).render())
        themes = screen.query_one("#review-themes", DataTable)
        assert themes.cursor_row == 1 and str(themes.get_row_at(1)[0]) == "▸ Plan"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#note-target").value == "theme:plan"  # type: ignore[attr-defined]
        await pilot.press("escape")
        # the interviewer moves on: the default moves along
        store.renew_lease(sid, "interview-app", question_id="toegang.wachten", theme_id="toegang")
        await until(pilot, lambda: themes.cursor_row == 0)
        screen.query_one("#review-notes", DataTable).focus()
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.query_one("#note-target").value == "theme:toegang"  # type: ignore[attr-defined]


def _panel(screen: InterviewScreen) -> dict[str, tuple[str, str]]:
    """Theme title -> (state, n/m) as the interviewer's side panel shows it."""
    icons = {icon: state for state, icon in STATE_ICONS.items()}
    out = {}
    themes = screen.query_one("#themes", OptionList)
    for i in range(themes.option_count):
        prompt = str(themes.get_option_at_index(i).prompt).strip("▸ ")
        icon, rest = prompt.split(" ", 1)
        title, counted = rest.rsplit(" ", 1)
        out[title] = (icons[icon], counted)
    return out


async def test_every_view_counts_the_themes_alike(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store,
        tmp_path: Path) -> None:
    sid = open_session.id
    # toegang: nothing discussed, both questions skipped; plan: one of three required
    # questions answered and the optional one too (the panel used to count it: 2/4)
    for qid in ("toegang.wist-waar", "toegang.wachten"):
        store.save_answer(sid, Answer(qid, AnswerStatus.NIET_BESPROKEN, reason="geen tijd"))
    store.save_answer(sid, Answer("plan.datum", AnswerStatus.ANSWERED, value="2024-03-01"))
    store.save_answer(sid, Answer("plan.kwijt", AnswerStatus.ANSWERED, value="niets"))
    expected = {"Toegang": ("skipped", "2/2"), "Plan": ("partly", "1/3")}

    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _panel(interview(pilot)) == expected

    review = ReviewApp(db_path, session_id=sid, reviewer_name="Rob")
    async with review.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        table = review.screen.query_one("#review-themes", DataTable)
        cells = {str(table.get_row_at(r)[0]): str(table.get_row_at(r)[1])
                 for r in range(table.row_count)}
    assert cells == {"Toegang": "⊘ niet besproken 2/2", "Plan": "◐ deels 1/3"}

    cli = render_session(coverage_for_session(store, sid))
    assert re.search(r"Toegang\s+⊘ niet besproken 2/2", cli)
    assert re.search(r"Plan\s+◐ deels 1/3", cli)
    assert "1 niet besproken" in cli

    result = run_export(store, select(store, session=sid), root=tmp_path, formats=["md"])
    transcript = next(result.folder.rglob("transcripten/*.md")).read_text()
    assert "| Toegang | niet besproken | 2/2 |" in transcript
    assert "| Plan | deels besproken | 1/3 |" in transcript


async def test_notes_and_answers_from_one_tick_redraw_the_chat_once(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview(pilot)
        redraws: list[int] = []
        sync_chat = InterviewScreen.sync_chat

        def counted(self: InterviewScreen) -> None:
            redraws.append(1)
            sync_chat(self)

        monkeypatch.setattr(InterviewScreen, "sync_chat", counted)
        # no await in between: the screen's own tick cannot split these into two reloads
        store.save_answer(sid, Answer("plan.wie", AnswerStatus.ANSWERED, value="Samen",
                                      toelichting="met de wijkcoach"))
        store.add_note(sid, "vraag door op het netwerk", kind="flag", theme_id="toegang",
                       author="Rob")
        screen.tick()
        assert len(redraws) == 1
        await pilot.pause()
        assert "Plan: deels 1/3" in chat_text(pilot)  # the answer, counted
        assert "vraag door op het netwerk" in chat_text(pilot)
