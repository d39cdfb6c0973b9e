"""Pilot tests of the whole interview flow, through keys and clicks like a user."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.modals import CoverageScreen, FinishScreen, HelpScreen, TextPrompt
from zet_tui.app.screens.notes_list import NotesScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.app.widgets.chat import AnswerBar, Bubble
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


async def type_into(pilot: Pilot[None], widget_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{widget_id}")
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def start_ready(pilot: Pilot[None]) -> None:
    """The start screen parses the questionnaires in a worker; wait for it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen(pilot: Pilot[None]) -> InterviewScreen:
    current = pilot.app.screen
    assert isinstance(current, InterviewScreen), current
    return current


def current_id(pilot: Pilot[None]) -> str:
    return screen(pilot).engine.current.id


def chat_text(pilot: Pilot[None]) -> str:
    return "\n".join(b.plain_text() for b in pilot.app.screen.query(Bubble))


async def test_new_session_through_the_start_form(db_path: Path, mini_paths: list[Path]) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_ready(pilot)
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#no-open").display
        await type_into(pilot, "ev-name", "Evaluatie Testdorp")
        await type_into(pilot, "ev-municipality", "Testdorp")
        await type_into(pilot, "case-code", "K-01")
        await type_into(pilot, "interviewer", "Anna")
        await type_into(pilot, "co-interviewer", "Bram")
        # Without consent an inwoner interview cannot start: a clear message, nothing written.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "toestemming" in str(app.screen.query_one("#start-error", Static).render()).lower()
        assert app.store.evaluations() == []
        await pilot.click("#consent")
        await type_into(pilot, "consent-by", "inwoner zelf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        session = app.screen.session
        assert session.consent_given and session.consent_by == "inwoner zelf"
        assert session.interviewer == "Anna" and session.co_interviewer == "Bram"
        assert app.store.case(session.case_id).code == "K-01"  # type: ignore[union-attr]
        assert app.store.evaluations()[0].municipality == "Testdorp"
        assert current_id(pilot) == "toegang.wist-waar"
        assert "korte vragenlijst voor de tests" in chat_text(pilot)
        # Back on the start screen, the form is ready for the next perspective of the same case.
        app.show_start()
        await pilot.pause()
        start = app.screen
        assert isinstance(start, StartScreen)
        assert start.query_one("#case", Select).value == session.case_id
        assert start.query_one("#evaluation", Select).value == app.store.evaluations()[0].id


async def test_compact_evaluation_with_chosen_themes(db_path: Path, mini_paths: list[Path]) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_ready(pilot)
        await type_into(pilot, "ev-name", "Compact")
        themes = app.screen.query_one("#ev-themes")
        themes.focus()
        await pilot.press("down", "space")  # the second theme: Plan
        await type_into(pilot, "case-code", "K-02")
        await type_into(pilot, "interviewer", "Anna")
        await pilot.click("#consent")
        await type_into(pilot, "consent-by", "inwoner")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert [t.id for t in app.screen.session.questionnaire.themes] == ["plan"]
        assert current_id(pilot) == "plan.datum"


async def test_full_interview_every_answer_type(db_path: Path, mini_paths: list[Path],
                                                open_session: Session) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = screen(pilot)
        # smiley: nothing chosen yet -> inline message, nothing saved
        await pilot.press("ctrl+s")
        assert "Kies eerst een smiley" in str(s.query_one("#value-error", Static).render())
        assert app.store.answers(sid) == {}
        # pick 4 by key: the cursor moves on to the toelichting, so the words that follow
        # (digits and w/n included) are text; Tab leads on to the doorvragen, space ticks one
        await pilot.press("4", *"Via de buurvrouw", "enter", *"en de huisarts")
        assert app.focused is s.query_one("#toelichting", TextArea)
        assert s.query_one("#toelichting", TextArea).text == "Via de buurvrouw\nen de huisarts"
        await pilot.press("tab", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = app.store.answers(sid)["toegang.wist-waar"]
        assert (saved.score, saved.probes_asked) == (4, (0,))
        assert saved.toelichting == "Via de buurvrouw\nen de huisarts"
        assert current_id(pilot) == "toegang.wachten"
        assert "goed (4/5)" in chat_text(pilot)
        # yes/no: option 1 = ja, then ctrl+s; the conditional question appears
        await pilot.press("1", "ctrl+s")
        await pilot.pause()
        assert app.store.answers(sid)["toegang.wachten"].value == "ja"
        assert current_id(pilot) == "toegang.wachten-ervaring"
        # three-point scale: a click on a pill works like the key, digits after it are text
        bar = s.query_one("#answer-bar", AnswerBar)
        bar.action_pick(3)
        assert bar.selection == "s:3"
        await pilot.press(*"2 keer", "ctrl+s")
        await pilot.pause()
        saved = app.store.answers(sid)["toegang.wachten-ervaring"]
        assert (saved.score, saved.toelichting) == (3, "2 keer")
        # date: an impossible date gets a message and nothing is saved until it is valid
        assert current_id(pilot) == "plan.datum"
        assert app.focused is s.query_one("#value", Input)
        await pilot.press(*"31-02-2024", "enter")
        await pilot.pause()
        assert "geen bestaande datum" in str(s.query_one("#value-error", Static).render())
        assert "plan.datum" not in app.store.answers(sid)
        s.query_one("#value", Input).value = ""
        await pilot.press(*"14-03-2024", "enter")
        await pilot.pause()
        assert app.store.answers(sid)["plan.datum"].value == "2024-03-14"
        # number with bounds
        await pilot.press(*"veel", "enter")
        await pilot.pause()
        assert "geen getal" in str(s.query_one("#value-error", Static).render())
        s.query_one("#value", Input).value = ""
        await pilot.press(*"99", "enter")
        await pilot.pause()
        assert "hoogstens 50" in str(s.query_one("#value-error", Static).render())
        s.query_one("#value", Input).value = ""
        await pilot.press(*"3", "enter")
        await pilot.pause()
        assert app.store.answers(sid)["plan.aantal"].value == "3"
        # choice by number
        await pilot.press("2", "ctrl+s")
        await pilot.pause()
        assert app.store.answers(sid)["plan.wie"].value == "Samen"
        # go back one question, change the choice: the edit is in the audit log
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert current_id(pilot) == "plan.wie"
        assert s.query_one("#answer-bar", AnswerBar).selection == "o:Samen"
        # an answered question opens in its toelichting; Escape leads to the options
        assert app.focused is s.query_one("#toelichting", TextArea)
        await pilot.press("escape", "3", "ctrl+s")
        await pilot.pause()
        assert app.store.answers(sid)["plan.wie"].value == "De hulpverlener"
        changed = [e for e in app.store.events(sid, question_id="plan.wie")]
        assert [e.kind for e in changed] == ["answer_created", "answer_changed"]
        assert changed[-1].old["value"] == "Samen"
        # text question: skip it with a reason (niet besproken)
        assert current_id(pilot) == "plan.kwijt"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # empty reason is refused
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"geen tijd meer", "enter")
        await pilot.pause()
        skipped = app.store.answers(sid)["plan.kwijt"]
        assert skipped.status == AnswerStatus.NIET_BESPROKEN and skipped.reason == "geen tijd meer"
        # everything answered: the finish dialog comes up by itself; go back instead
        assert isinstance(app.screen, FinishScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.store.session(sid).is_open


async def test_edit_earlier_answer_from_bubble_and_theme_list(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("5", "ctrl+s")
        await pilot.press("2", "ctrl+s")  # nee: the conditional question stays hidden
        await pilot.pause()
        assert current_id(pilot) == "plan.datum"
        # jump back through the theme list (F4), then forward again by clicking a summary
        await pilot.press("f4")
        themes = app.screen.query_one("#themes", OptionList)
        assert app.focused is themes
        await pilot.press("enter")  # highlighted: the current theme Plan -> first open question
        await pilot.pause()
        assert current_id(pilot) == "plan.datum"
        await pilot.press("f4", "up", "enter")
        await pilot.pause()
        assert current_id(pilot) == "toegang.wist-waar"  # whole theme done: its first question
        # the earlier answer is pre-filled; change it to 3 (Escape: from the toelichting to
        # the smileys) and the screen returns to the frontier
        assert app.screen.query_one("#answer-bar", AnswerBar).selection == "s:5"
        await pilot.press("escape", "3", "ctrl+s")
        await pilot.pause()
        assert app.store.answers(sid)["toegang.wist-waar"].score == 3
        assert current_id(pilot) == "plan.datum"
        # click the summary bubble of Toegang, then the answer bubble of a question in it
        summary = next(b for b in app.screen.query(Bubble) if b.key == "sum:toegang")
        await pilot.click(summary)
        await pilot.pause()
        assert current_id(pilot) == "toegang.wist-waar"
        await pilot.press("ctrl+s")  # unchanged answer: no new audit event
        await pilot.pause()
        kinds = [e.kind for e in app.store.events(sid, question_id="toegang.wist-waar")]
        assert kinds == ["answer_created", "answer_changed"]
        # keyboard: select a bubble in the chat with the arrow keys and open it with Enter
        assert current_id(pilot) == "plan.datum"
        app.screen.query_one("#chat").focus()
        await pilot.pause()
        await pilot.press("up", "up")  # from the current question to the Toegang summary
        await pilot.press("enter")
        await pilot.pause()
        assert current_id(pilot) == "toegang.wist-waar"


async def test_notes_flags_palette_help_and_coverage(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # a note by the interviewer on the current question
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"let op toon", "enter")
        await pilot.pause()
        notes = app.store.notes(sid)
        assert [(n.kind, n.text, n.question_id) for n in notes] == [
            ("note", "let op toon", "toegang.wist-waar")]
        assert "Notitie van de interviewer (Anna): let op toon" in chat_text(pilot)
        # a reviewer in another process flags a question: it shows up without interrupting
        store.add_note(sid, "vraag door naar wachttijd", kind="flag",
                       question_id="toegang.wachten", author="Bram")
        screen(pilot).tick()
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert "⚑1" in str(app.screen.query_one("#themes", OptionList).get_option_at_index(0).prompt)
        assert "Vlag van reviewer Bram: vraag door naar wachttijd" in chat_text(pilot)
        # handle the flag
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert all(n.handled_at for n in app.store.notes(sid) if n.kind == "flag")
        # command palette: go to a question by name
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"hoeveel hulpverleners")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert current_id(pilot) == "plan.aantal"
        # and show coverage from the palette
        await pilot.press("ctrl+p")
        await pilot.press(*"dekking tonen")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        await pilot.press("escape")
        # help lists every key, also the palette ones
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


async def test_quit_reopen_resume_and_finish(db_path: Path, mini_paths: list[Path],
                                             open_session: Session) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2", *"lastig", "ctrl+s")
        await pilot.press("1", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    # reopen without a session id: the start screen offers the open session
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        open_list = app.screen.query_one("#open-sessions", OptionList)
        assert open_list.option_count == 1 and app.focused is open_list
        assert "Casus K-01" in str(open_list.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        s = screen(pilot)
        assert current_id(pilot) == "toegang.wachten-ervaring"
        text = chat_text(pilot)
        assert "slecht (2/5)" in text and "lastig" in text and "ja" in text
        # finish with open questions: a warning and the safe button focused
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert app.screen.open_count == 4  # kwijt is optional
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        finished = app.store.session(s.session.id)
        assert finished.status == "afgerond" and finished.ended
        assert app.screen.query_one("#no-open").display
