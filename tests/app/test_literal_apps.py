"""Whole apps with the nastiest strings in the database: nothing crashes, everything is literal.

The property tests (test_literal_text.py) push many texts through the screens' code;
these runs go through the apps as a user does: the start form, every modal of the
interview, the review and the feedback meeting, with markup, escape sequences and
bidi overrides stored in every field. A case code `[/]` used to crash every later start.
"""

from __future__ import annotations

from pathlib import Path

from literal_support import screen_text
from textual import events
from textual.widgets import Checkbox, Input, TextArea

from zet_tui.app.app import ZetApp
from zet_tui.app.feedback_app import FeedbackApp
from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens.feedback import FeedbackScreen
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.review import ReviewScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.core.answers import Answer
from zet_tui.core.feedback import add_analyst_finding, add_improvement_point, record_meeting
from zet_tui.core.questionnaire_loader import load_or_raise
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

#: Clears the screen, writes the clipboard (OSC 52), sets the window title, reverses text.
ESCAPES = "\x1b[2J\x1b]52;c;R0VIRUlN\x07\x1b]0;titel\x07\u202eomgekeerd\u202c"
MARKUP = "[/] [b]vet[/b] [Noord] [@click=app.quit]klik[/]"
NASTY = f"{MARKUP} {ESCAPES}"
SHOWN_ESCAPES = "␛[2J␛]52;c;R0VIRUlN␇"


def hostile_questionnaire(tmp_path: Path) -> Path:
    """The mini questionnaire with markup and escapes in its title, a theme and a question."""
    source = (Path(__file__).resolve().parents[1] / "fixtures" / "mini.md").read_text()
    text = (source.replace("titel: Klein testgesprek", "titel: Klein [b]test[/] \x1b[31m")
            .replace("# Toegang {#toegang}", "# Toegang [/] \x1b[2J {#toegang}")
            .replace("## Wist u waar u terecht kon?", "## Wist u [Noord] waar\u202e u terecht kon?")
            .replace("## Moest u lang wachten?", "## Moest u [/] lang wachten\x1b[2J?")
            .replace("- Samen", "- Samen [/]"))
    path = tmp_path / "vijandig.md"
    path.write_text(text, encoding="utf-8")
    return path


async def test_markup_typed_in_the_start_form_never_crashes_a_later_start(
        db_path: Path, tmp_path: Path) -> None:
    paths = [hostile_questionnaire(tmp_path)]
    app = ZetApp(db_path, questionnaire_paths=paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        for widget_id, value in (("ev-name", "Wijkteam [Noord]"), ("ev-municipality", "[/]"),
                                 ("case-code", "[/]"), ("interviewer", "[b]Anna[/b]"),
                                 ("co-interviewer", "[@click=app.quit]x[/]"),
                                 ("consent-by", "[$accent]inwoner"), ("consent-note", "[/]")):
            screen.query_one(f"#{widget_id}", Input).value = value
        screen.query_one("#consent", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        text = screen_text(app)
        assert "Casus [/]" in text and "Toegang [/] ␛[2J" in text, text
    # The next start lists the session with its literal names, and opens it again.
    app = ZetApp(db_path, questionnaire_paths=paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Casus [/] · Inwoner · Wijkteam [Noord] · [b]Anna[/b]" in text, text
        assert "Wijkteam [Noord] ([/])" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    assert app.crash is None


async def nasty_session(store: Store, tmp_path: Path) -> Session:
    questionnaire = load_or_raise(hostile_questionnaire(tmp_path))
    ev = store.create_evaluation(f"Evaluatie {NASTY}", NASTY)
    case = store.add_case(ev.id, f"K-01 {NASTY}")
    session = store.start_session(case.id, questionnaire, interviewer=f"Anna {NASTY}",
                                  co_interviewer=NASTY, consent_given=True, consent_by=NASTY,
                                  consent_note=NASTY)
    store.save_answer(session.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
                                         toelichting=f"Via de buurvrouw {NASTY}\nregel twee",
                                         probes_asked=(0,)), actor=NASTY)
    store.save_answer(session.id, Answer("toegang.wachten", AnswerStatus.NIET_BESPROKEN,
                                         reason=f"geen tijd {NASTY}"), actor=NASTY)
    store.add_note(session.id, f"vraag door {NASTY}", kind="flag", question_id="toegang.wist-waar",
                   theme_id="toegang", author=f"Rik {NASTY}")
    store.add_note(session.id, f"notitie {NASTY}", kind="note", author=NASTY)
    return session


def assert_literal(text: str) -> None:
    assert MARKUP in text or "[/] [b]vet" in text, text
    assert "\x1b" not in text and "\u202e" not in text


async def test_interview_with_hostile_data_in_every_field_and_every_dialog(
        db_path: Path, store: Store, tmp_path: Path) -> None:
    session = await nasty_session(store, tmp_path)
    app = ZetApp(db_path, session_id=session.id)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("ctrl+b")  # back into the first theme: the answered questions' bubbles
        await pilot.pause()
        text = screen_text(app)
        assert_literal(text)
        assert "Wist u [Noord] waar\\u202e u terecht kon?" in text and SHOWN_ESCAPES in text
        # coverage, flags, skip reason, note, finish: each dialog shows the stored text literally
        for key, expected in (("f3", "Toegang [/] ␛[2J"), ("f5", f"vraag door {MARKUP}"),
                              ("ctrl+o", "Moest u [/] lang wachten␛[2J?"),
                              ("f2", "Moest u [/] lang wachten␛[2J?"),
                              ("f9", "Toegang [/] ␛[2J")):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert expected in text and "\x1b" not in text, (key, text)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "noord":
            await pilot.press(key)
        await pilot.pause(0.3)
        assert "[Noord]" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    assert app.crash is None


async def test_review_and_feedback_with_hostile_data(
        db_path: Path, store: Store, tmp_path: Path) -> None:
    session = await nasty_session(store, tmp_path)
    app = ReviewApp(db_path, session_id=session.id, reviewer_name=f"Rik {NASTY}")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert_literal(screen_text(app))
        for key in ("a", "l", "f"):
            await pilot.press(key)
            await pilot.pause()
            assert "\x1b" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.crash is None

    evaluation = store.evaluations()[0]
    finding = add_analyst_finding(store, evaluation.id, f"Bevinding {NASTY}", actor=NASTY)
    store.record_reaction(finding.id, "deels", f"uitleg {NASTY}", actor=NASTY)
    record_meeting(store, evaluation.id, "2025-02-01", [f"Bea {NASTY}"], f"notities {NASTY}")
    add_improvement_point(store, evaluation.id, f"Verbeter {NASTY}", owner=f"Eva {NASTY}")
    app2 = FeedbackApp(db_path, evaluation.id, actor="Ana")
    async with app2.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app2.screen, FeedbackScreen)
        text = screen_text(app2)
        assert "Bevinding [/] [b]vet" in text and "\x1b" not in text, text
        for key in ("r", "s"):
            await pilot.press(key)
            await pilot.pause()
            assert "[/] [b]vet" in screen_text(app2)
            await pilot.press("escape")
            await pilot.pause()
    assert app2.crash is None


async def test_pasted_control_characters_become_visible_in_the_field(
        db_path: Path, mini_paths: list[Path], open_session: Session) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        toelichting = app.screen.query_one("#toelichting", TextArea)
        toelichting.focus()
        await pilot.pause()
        app.post_message(events.Paste(f"geplakt {ESCAPES}\r\nregel twee"))
        await pilot.pause()
        assert toelichting.text == ("geplakt ␛[2J␛]52;c;R0VIRUlN␇␛]0;titel␇\\u202eomgekeerd"
                                    "\\u202c\nregel twee")
        await pilot.press("escape", "5", "ctrl+s")  # what is shown is what is saved
        await pilot.pause()
    with Store.open(db_path) as store:
        saved = store.answers(open_session.id)["toegang.wist-waar"].toelichting
    assert saved.startswith("geplakt ␛[2J") and "\x1b" not in saved
