"""Typing while talking: every key lands where the interviewer is going, nothing typed is lost.

`pilot.press` waits until the app is idle after every key, which hides exactly the
races a person (or tmux, a paste, a browser) causes. `burst` puts all keys in the
app's queue at once, as a fast typist's terminal does; test_typing_tmux.py does the
same through a real terminal.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static, TextArea

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.modals import FinishScreen
from zet_tui.app.widgets.chat import AnswerBar, Bubble
from zet_tui.core.answers import Answer
from zet_tui.core.drafts import Draft
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

SENTENCE = "haar zus heeft 2 keer gebeld, wil niet"


KEY_NAMES = re.compile(r"escape|enter|tab|space|up|down|backspace|f\d+|\w+\+\w+")


def keys_of(*parts: str) -> list[str]:
    """A key name ("ctrl+s", "f6", "enter", ...) is one key; any other part is typed text."""
    keys: list[str] = []
    for part in parts:
        keys.extend([part] if KEY_NAMES.fullmatch(part) else part)
    return keys


def burst(app: ZetApp, *parts: str) -> None:
    """All keys into the app's queue at once, like a terminal delivering a fast burst."""
    for key in keys_of(*parts):
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(name))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(name, char)
        event.set_sender(app)
        app.post_message(event)


async def until(pilot: Pilot[None], condition: Callable[[], object], what: str,
                timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def screen(app: ZetApp) -> InterviewScreen:
    assert isinstance(app.screen, InterviewScreen), app.screen
    return app.screen


async def ready(pilot: Pilot[None]) -> InterviewScreen:
    app = pilot.app
    assert isinstance(app, ZetApp)
    await until(pilot, lambda: isinstance(app.screen, InterviewScreen)
                and screen(app).form.ready, "the answer fields")
    return screen(app)


def toelichting(s: InterviewScreen) -> TextArea:
    assert s.form.toelichting is not None
    return s.form.toelichting


async def test_a_whole_burst_lands_question_by_question(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    """Score then words, ctrl+s and the next answer, all typed before the app reacts."""
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        burst(app, "4", SENTENCE, "ctrl+s",             # smiley, then the words (2, w, n)
              "1", "ja, 2 weken", "ctrl+s",             # ja/nee: the conditional question appears
              "2", "nee", "enter", "3 keer", "ctrl+s",  # three-point scale, two lines
              "14-03-2024", "enter",                    # a date: Enter saves
              "7", "enter",                             # a number
              "tab", "Wie?", "shift+tab", "3", "ctrl+s")  # choice: Tab, words, back, option 3
        await until(pilot, lambda: len(store.answers(sid)) == 6, "six answers")
        answers = store.answers(sid)
        assert (answers["toegang.wist-waar"].score, answers["toegang.wist-waar"].toelichting) == (
            4, SENTENCE)
        assert (answers["toegang.wachten"].value, answers["toegang.wachten"].toelichting) == (
            "ja", "ja, 2 weken")
        assert (answers["toegang.wachten-ervaring"].score,
                answers["toegang.wachten-ervaring"].toelichting) == (2, "nee\n3 keer")
        assert answers["plan.datum"].value == "2024-03-14"
        assert answers["plan.aantal"].value == "7"
        assert (answers["plan.wie"].value, answers["plan.wie"].toelichting) == (
            "De hulpverlener", "Wie?")
        assert all(a.status == AnswerStatus.ANSWERED for a in answers.values())
        assert store.drafts(sid) == {}
        s = screen(app)
        assert s.engine.current.id == "plan.kwijt"
        # the text question: multi-line, Escape stays with the answer, w and n are letters
        assert app.focused is s.form.text
        burst(app, "Veel", "enter", "gedaan", "escape", "w", "n", "ctrl+s")
        await until(pilot, lambda: "plan.kwijt" in store.answers(sid), "the text answer")
        kwijt = store.answers(sid)["plan.kwijt"]
        assert (kwijt.status, kwijt.value) == (AnswerStatus.ANSWERED, "Veel\ngedaanwn")


async def test_weet_niet_and_nvt_take_a_deliberate_key(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await ready(pilot)
        bar = s.query_one("#answer-bar", AnswerBar)
        # a sentence full of w's and n's changes nothing; F6 sets weet niet, F6 again clears it
        burst(app, "wat weet ik nou", "f6", "f6", "f6")
        await until(pilot, lambda: toelichting(s).text == "wat weet ik nou", "the words")
        await until(pilot, lambda: bar.selection == "weet_niet", "weet niet")
        burst(app, "ctrl+s")
        await until(pilot, lambda: "toegang.wist-waar" in store.answers(sid), "the answer")
        saved = store.answers(sid)["toegang.wist-waar"]
        assert (saved.status, saved.score, saved.toelichting) == (
            AnswerStatus.WEET_NIET, None, "wat weet ik nou")
        # F7 n.v.t. on a ja/nee question, with a probe ticked through Tab and space
        burst(app, "f7", "tab", "space", "ctrl+s")
        await until(pilot, lambda: "toegang.wachten" in store.answers(sid), "n.v.t.")
        nvt = store.answers(sid)["toegang.wachten"]
        assert (nvt.status, nvt.probes_asked, nvt.toelichting) == (AnswerStatus.NVT, (0,), "")
        # skipping (ctrl+o) with the reason typed right behind it, before the dialog exists
        assert s.engine.current.id == "plan.datum"
        burst(app, "ctrl+o", "geen tijd", "enter")
        await until(pilot, lambda: "plan.datum" in store.answers(sid), "the skip")
        skipped = store.answers(sid)["plan.datum"]
        assert (skipped.status, skipped.reason) == (AnswerStatus.NIET_BESPROKEN, "geen tijd")


async def test_focus_moves_with_tab_and_escape_never_to_letter_commands(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=2,
                                  toelichting="regel een\nregel twee"))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await ready(pilot)
        bar = s.query_one("#answer-bar", AnswerBar)
        probes = s.query_one("#probes", SelectionList)
        assert s.engine.current.id == "toegang.wachten"
        assert app.focused is toelichting(s)
        await pilot.press("tab")
        assert app.focused is probes
        await pilot.press("n")  # a letter on the doorvragen is text, in the toelichting
        assert app.focused is toelichting(s) and toelichting(s).text == "n"
        await pilot.press("shift+tab")
        assert app.focused is bar
        await pilot.press("w")  # and on the bar too
        assert app.focused is toelichting(s) and toelichting(s).text == "nw"
        assert bar.selection is None
        await pilot.press("escape", "2")  # Escape leads to the bar, where a digit chooses
        assert bar.selection == "o:nee" and app.focused is toelichting(s)
        # the chat shows the earlier toelichting's line breaks as line breaks
        answer = next(b for b in s.query(Bubble) if b.key == "a:toegang.wist-waar")
        assert "regel een\n" in answer.plain_text() and "regel twee" in answer.plain_text()
        # editing the earlier answer: its toelichting, with the cursor at the end
        await pilot.press("ctrl+b")
        await until(pilot, lambda: s.engine.current.id == "toegang.wist-waar", "question 1")
        area = toelichting(s)
        assert app.focused is area and area.text == "regel een\nregel twee"
        assert area.cursor_location == area.document.end
        assert bar.selection == "s:2"
        await pilot.press("4")  # a digit after the saved text is text, not a new score
        assert bar.selection == "s:2" and area.text.endswith("twee4")


async def test_drafts_follow_the_interviewer_around(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    sid = open_session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await ready(pilot)
        line = s.query_one("#current-question", Static)
        assert s.engine.current.id == "toegang.wachten"
        assert "concept" not in str(line.render())
        burst(app, "1", "een maand")
        await until(pilot, lambda: toelichting(s).text == "een maand", "the words")
        assert "✎ concept" in str(line.render())
        # back: the draft is kept (in the store) and the interviewer is told
        await pilot.press("ctrl+b")
        await until(pilot, lambda: s.engine.current.id == "toegang.wist-waar", "question 1")
        draft = store.drafts(sid)["toegang.wachten"]
        assert (draft.value, draft.toelichting) == ("ja", "een maand")
        assert store.answers(sid).keys() == {"toegang.wist-waar"}  # a draft is no answer
        assert "✓ opgeslagen" in str(line.render())
        # the theme list (F4) to Plan, a half-typed date there
        await pilot.press("f4", "down", "enter")
        await until(pilot, lambda: s.engine.current.id == "plan.datum", "plan.datum")
        burst(app, "14-03")
        await until(pilot, lambda: s.form.value.value == "14-03", "the date")
        # a click on the Toegang summary: the first open question, with its draft
        summary = next(b for b in s.query(Bubble) if b.key == "sum:toegang")
        await pilot.click(summary)
        await until(pilot, lambda: s.engine.current.id == "toegang.wachten", "toegang.wachten")
        assert s.query_one("#answer-bar", AnswerBar).selection == "o:ja"
        assert toelichting(s).text == "een maand" and "✎ concept" in str(line.render())
        assert store.drafts(sid)["plan.datum"].value == "14-03"
        # the palette back to the date: the half-typed date is there, still a draft
        await pilot.press("ctrl+p", *"wanneer was", "enter")
        await until(pilot, lambda: s.engine.current.id == "plan.datum", "plan.datum again")
        assert s.form.value.value == "14-03"
        # an invalid date is refused and stays a draft; completed, it is saved and the
        # draft is gone in the same transaction
        burst(app, "enter")
        await until(pilot, lambda: s.query_one("#value-error", Static).display, "the error")
        assert "plan.datum" in store.drafts(sid)
        burst(app, "-2024", "enter")
        await until(pilot, lambda: "plan.datum" in store.answers(sid), "the date saved")
        assert store.answers(sid)["plan.datum"].value == "2024-03-14"
        assert set(store.drafts(sid)) == {"toegang.wachten"}
        # finishing names the unsaved draft and offers the safe choice first
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, FinishScreen), "the finish dialog")
        finish = app.screen
        assert isinstance(finish, FinishScreen)
        assert finish.unsaved == "vraag 2"
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.click("#confirm")
        await until(pilot, lambda: not store.session(sid).is_open, "the finish")
        assert store.drafts(sid) == {}


async def test_ctrl_q_keeps_what_was_typed(db_path: Path, mini_paths: list[Path],
                                           open_session: Session, store: Store,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    sid = open_session.id
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        burst(app, "5", "bijna klaar", "ctrl+q")  # quit before the draft timer ran
        await until(pilot, lambda: app._exit, "the app to quit")
    draft = store.drafts(sid)["toegang.wist-waar"]
    assert (draft.score, draft.toelichting) == (5, "bijna klaar")
    assert store.answers(sid) == {}
    # the message after the app: where the draft waits
    printed = " ".join(capsys.readouterr().err.split())
    assert "K-01: 1 concept bewaard, nog niet opgeslagen (vraag 1)" in printed
    # reopened, the question shows its draft as a concept, cursor at the end
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await ready(pilot)
        area = toelichting(s)
        assert area.text == "bijna klaar" and area.cursor_location == area.document.end
        assert s.query_one("#answer-bar", AnswerBar).selection == "s:5"
        assert "✎ concept" in str(s.query_one("#current-question", Static).render())
        assert isinstance(app.focused, TextArea | Input)


async def test_a_read_only_second_app_leaves_the_drafts_alone(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    """While another app writes the session, its drafts are its own: not shown, not removed."""
    sid = open_session.id
    store.save_answer(sid, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=4))
    store.save_draft(sid, Draft("toegang.wachten", value="ja", toelichting="wordt getypt"))
    assert store.claim_session(sid, "andere-app", interviewer="Anna",
                               question_id="toegang.wachten", theme_id="toegang") is None
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await ready(pilot)
        await until(pilot, lambda: s.live.read_only, "the read-only screen")
        assert s.engine.current.id == "toegang.wachten"
        assert toelichting(s).text == "" and s.query_one("#answer-bar", AnswerBar).selection is None
        burst(app, "wat ik hier typ")
        await pilot.pause(0.7)  # longer than the draft timer
        assert toelichting(s).text == ""
        store.renew_lease(sid, "andere-app", question_id="toegang.wist-waar", theme_id="toegang")
        s.tick()  # the writer went back: this screen follows
        await until(pilot, lambda: s.engine.current.id == "toegang.wist-waar", "the follow")
    assert list(store.drafts(sid)) == ["toegang.wachten"]
    assert store.drafts(sid)["toegang.wachten"].toelichting == "wordt getypt"
