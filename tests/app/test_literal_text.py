"""Every user text is shown literally on every screen (issue 14, item 1).

Property tests: hostile text (markup such as `[/]`, escape sequences, control
characters, bidi overrides, 200,000 characters) in each user-text field, pushed
through the code of the start, interview, review and feedback screens: no
exception, and the text appears literally (after `terminal_safe`). One running app
per screen serves all examples of all its fields, so the whole file runs in well
under a minute with 500 examples per field.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from literal_support import for_each_text, plain, renders_clean, shows, shows_line
from rich.cells import cell_len
from rich.console import RenderableType
from textual.app import App
from textual.command import DiscoveryHit
from textual.fuzzy import Matcher
from textual.widgets import DataTable, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets._select import SelectOverlay

from zet_tui.app.app import ZetApp
from zet_tui.app.feedback_app import FeedbackApp
from zet_tui.app.literal import highlight, literal_line, prose
from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens import feedback as feedback_screen
from zet_tui.app.screens.feedback import FeedbackScreen
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.modals import _coverage_text
from zet_tui.app.screens.review import ReviewScreen, SessionPickScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.app.widgets.chat import AnswerBar, Bubble, ThemeList, answer_renderable, question_renderable
from zet_tui.app.widgets.review_note import target_options
from zet_tui.core.answers import Answer
from zet_tui.core.drafts import draft_of
from zet_tui.core.feedback import ImprovementOutcome, MeetingOutcome, NumberedFinding
from zet_tui.core.interview import ThemeProgress
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.safe_text import one_line, terminal_safe
from zet_tui.core.store import (
    Case,
    Evaluation,
    Finding,
    Improvement,
    Meeting,
    Note,
    Session,
    SessionSummary,
    Store,
)
from zet_tui.core.vocab import AnswerStatus, AnswerType
from zet_tui.core.wording import short


def note(text: str, kind: str = "flag") -> Note:
    return Note(f"n-{kind}", "s1", None, None, kind, text, text, "2025-01-01T10:00:00+00:00",
                "2025-01-01T11:00:00+00:00" if kind == "note" else None, text)


async def test_interview_screen_shows_every_field_literally(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    notified: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(App, "notify", lambda _app, message, **options: notified.append(
        (message, options)))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        q = screen.engine.current
        theme = screen.engine.questionnaire.themes[0]
        bubble = next(iter(screen.query(Bubble)))
        status = screen.query_one("#status", Static)
        themes = screen.query_one("#themes", ThemeList)
        bar = screen.query_one("#answer-bar", AnswerBar)
        probes = screen.query_one("#probes", SelectionList)
        toelichting = screen.query_one("#toelichting", TextArea)
        error = screen.query_one("#value-error", Static)

        def in_bubble(renderable: RenderableType, text: str, times: int = 1) -> None:
            bubble.set_body(renderable)
            shown = plain(bubble.body)
            shows(shown, text)
            assert shown.count(terminal_safe(text)) >= times or not text
            renders_clean(bubble)

        def case_code(text: str) -> None:
            screen.case_code = text
            screen.update_status()
            shows_line(plain(status.visual), text)
            renders_clean(status)

        def question(text: str) -> None:
            asked = replace(q, text=text, help=text, probes=(text, "tweede"))
            in_bubble(question_renderable(asked, 1, 5), text, times=3)  # text, help, probe
            screen.form.load(asked, draft_of(asked, None))
            shows_line(plain(probes.get_option_at_index(0).prompt), text)
            renders_clean(probes)

        def option(text: str) -> None:
            bar.configure(replace(q, type=AnswerType.CHOICE, scale=None, options=(text, "b")), None)
            # At any width each pill is one line; here all pills on one (the bar breaks
            # lines only between pills, see test_narrow).
            shows_line(plain(bar.render(10**6)), text)
            renders_clean(bar)

        def theme_title(text: str) -> None:
            themes.set_prompt(0, f"▸ {text} 1/3")
            shows_line(plain(themes.get_option_at_index(0).prompt), text)
            renders_clean(themes)
            titled = replace(theme, title=text, intro=text)
            in_bubble(screen._theme_intro(titled), text)
            progress = ThemeProgress(titled, 3, 3, 1, 1)
            in_bubble(screen._summary(progress, [note(text)]), text)

        def answer(text: str) -> None:
            given = Answer(q.id, AnswerStatus.ANSWERED, value=text, toelichting=text)
            in_bubble(answer_renderable(replace(q, type=AnswerType.TEXT), given, False),
                      text.rstrip(" \t\r\n"), times=2)
            skipped = Answer(q.id, AnswerStatus.NIET_BESPROKEN, reason=text)
            in_bubble(answer_renderable(q, skipped, False), text)
            screen.form.load(q, draft_of(q, given))
            shows(toelichting.text, text)
            renders_clean(toelichting)

        def notes(text: str) -> None:
            for kind in ("flag", "note"):
                in_bubble(screen._note_text(note(text, kind)), text)

        def messages(text: str) -> None:
            screen._set_error(text)
            shows(plain(error.visual), text)
            renders_clean(error)
            app.notify(text, title=text)  # SafeApp.notify hands Textual's notify literal text
            message, options = notified[-1]
            # markup=False: the toast shows Content(message), never parsed (textual Toast.render)
            assert options["markup"] is False and message == terminal_safe(text)
            assert options["title"] == terminal_safe(text)
            shows(plain(_coverage_text([text, f"    open: {text}"])), text)

        def palette(text: str) -> None:
            name = f"Ga naar vraag 1: {text}"
            shows_line(plain(highlight(Matcher("vraag"), name)), name)
            shows_line(plain(DiscoveryHit(literal_line(name), print, text=name).prompt), name)

        def opening(text: str) -> None:
            in_bubble(prose(text), text)

        for field in (case_code, question, option, theme_title, answer, notes, messages, palette,
                      opening):
            for_each_text(field)
        await pilot.pause()
    assert app.crash is None


def options_of(select: Select[str]) -> list[str]:
    """The prompts of a Select, from its drop-down list (as the user sees them)."""
    overlay = select.query_one(SelectOverlay)
    return [plain(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]


async def test_start_screen_shows_every_field_literally(
        db_path: Path, mini_paths: list[Path], mini: Questionnaire, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        stamp = "2025-01-01T10:00:00+00:00"
        data: dict[str, str] = {"text": ""}

        def evaluations(**_: object) -> list[Evaluation]:
            return [Evaluation("e1", data["text"], data["text"], None, stamp)]

        def cases(*_: object, **__: object) -> list[Case]:
            return [Case("c1", "e1", data["text"], "", "", stamp)]

        def summaries(**_: object) -> list[SessionSummary]:
            t = data["text"]
            return [SessionSummary("s1", "e1", t, t, "inwoner", t, t, stamp, "open", 2),
                    SessionSummary("s2", "e1", t, t, "inwoner", t, t, stamp, "open", 0,
                                   damaged="vragenlijst")]

        monkeypatch.setattr(app.store, "evaluations", evaluations)
        monkeypatch.setattr(app.store, "cases", cases)
        monkeypatch.setattr(app.store, "session_summaries", summaries)
        evaluation = screen.query_one("#evaluation", Select)
        case = screen.query_one("#case", Select)
        open_list = screen.query_one("#open-sessions", OptionList)

        def lists(text: str) -> None:
            data["text"] = text
            screen.refresh_lists()
            shows_line(options_of(evaluation)[0], f"{text} ({text})" if text else text)
            evaluation.value = "e1"
            screen._update_evaluation()
            shows_line(options_of(case)[0], text)
            for i in range(2):
                shows_line(plain(open_list.get_option_at_index(i).prompt), text)
            renders_clean(open_list)
            renders_clean(evaluation)

        def questionnaires(text: str) -> None:
            theme = replace(mini.themes[0], title=text)
            screen._questionnaires = [replace(mini, title=text, themes=(theme, *mini.themes[1:]))]
            app.questionnaire_problems = [f"{text}.md: ongeldig (1 fouten)"]
            screen.refresh_questionnaires()
            screen._update_perspective()
            shows_line(options_of(screen.query_one("#questionnaire", Select))[-1], text)
            themes = screen.query_one("#ev-themes", SelectionList)
            shows_line(plain(themes.get_option_at_index(0).prompt), text)
            shows(plain(screen.query_one("#q-warning", Static).visual), text)
            renders_clean(themes)

        def messages(text: str) -> None:
            for widget_id, show in (("#start-error", screen._error),
                                    ("#export-status", screen._export_status)):
                show(text)
                widget = screen.query_one(widget_id, Static)
                shows(plain(widget.visual), text)
                renders_clean(widget)
            screen._report_damage("test", [text])
            shows(plain(screen.query_one("#damaged", Static).visual), text)

        for field in (lists, questionnaires, messages):
            for_each_text(field)
        screen._report_damage("test", [])
        await pilot.pause()
    assert app.crash is None


async def test_review_screens_show_every_field_literally(
        db_path: Path, open_session: Session, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    q = open_session.questionnaire.themes[0].questions[0]
    store.save_answer(open_session.id, Answer(q.id, AnswerStatus.ANSWERED, score=3))
    app = ReviewApp(db_path, reviewer_name="Rik")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SessionPickScreen) and picker.store is not None
        stamp = "2025-01-01T10:00:00+00:00"
        table = picker.query_one(DataTable)

        def pick_list(text: str) -> None:
            monkeypatch.setattr(picker.store, "session_summaries", lambda **_: [
                SessionSummary("s1", "e1", text, text, "inwoner", text, text, stamp, "open", 1)])
            picker._seen_version = None
            picker.reload()
            cells = [plain(cell) for cell in table.get_row_at(0)]
            shows_line(cells[1], short(text, 30))  # evaluation
            shows_line(cells[2], text)  # case code
            shows_line(cells[5], text)  # interviewer
            renders_clean(table)

        for_each_text(pick_list)
        monkeypatch.undo()
        app.push_screen(ReviewScreen(db_path, open_session.id, "Rik"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.session is not None
        session = screen.session
        header = screen.query_one("#review-header", Static)

        def header_fields(text: str) -> None:
            titled = replace(session.questionnaire, title=text)
            screen.session = replace(session, interviewer=text, reviewed_by=text,
                                     questionnaire=titled)
            screen.case_code = text
            screen.reviewer_name = text
            screen._render_header()
            shown = plain(header.visual)
            # Two lines fitted to the width: each field on one line (line breaks as ␊).
            # The reviewer and the case code always show; a short text in all five places
            # (case code, title, interviewer, reviewer, reviewed by).
            assert shown.count(one_line(text)) >= (5 if cell_len(one_line(text)) <= 8 else 2) \
                or not text
            renders_clean(header)
            screen._render_finish()
            shows(plain(screen.query_one("#finish-status", Static).visual), text)

        def answers_and_notes(text: str) -> None:
            screen.session = session
            screen.answers = {q.id: Answer(q.id, AnswerStatus.ANSWERED, value=text,
                                           toelichting=text, updated=stamp)}
            screen.notes = [note(text), note(text, "note")]
            screen._render_answers()
            screen._render_notes()
            answers = screen.query_one("#review-answers", DataTable)
            toelichting = plain(answers.get_row_at(0)[4])
            shows_line(toelichting, short(text) if text else "(geen toelichting)")
            notes_table = screen.query_one("#review-notes", DataTable)
            shows_line(plain(notes_table.get_row_at(0)[2]), short(text, 50))  # text
            shows_line(plain(notes_table.get_row_at(0)[4]), text)  # author
            renders_clean(answers)
            renders_clean(notes_table)
            detail = screen.query_one("#answer-detail", Static)
            shows(plain(detail.visual), text)
            renders_clean(detail)

        def targets(text: str) -> None:
            theme = replace(session.questionnaire.themes[0], title=text,
                            questions=(replace(q, text=text[:50]),))
            for prompt, _ in target_options(replace(session.questionnaire, themes=(theme,))):
                assert not isinstance(prompt, str) and "\n" not in prompt.plain
            shown = [p.plain for p, _ in target_options(replace(session.questionnaire, themes=(theme,)))]
            shows_line(shown[1], text)

        for field in (header_fields, answers_and_notes, targets):
            for_each_text(field)
        screen.session, screen.answers, screen.notes = session, {}, []
        await pilot.pause()
    assert app.crash is None


async def test_feedback_screen_shows_every_field_literally(
        db_path: Path, open_session: Session, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = store.evaluations()[0]
    app = FeedbackApp(db_path, evaluation.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        stamp = "2025-01-01T10:00:00+00:00"

        def outcome(text: str) -> MeetingOutcome:
            finding = Finding("f1", evaluation.id, "analist", "k", text, "ja", text, stamp, stamp)
            point = Improvement("i1", evaluation.id, text, (), ("f1",), text, None, "open", stamp,
                                stamp)
            return MeetingOutcome(replace(evaluation, name=text),
                                  (Meeting("m1", evaluation.id, "2025-02-01", (text,), text, stamp),),
                                  (NumberedFinding(1, finding, True, None, text),),
                                  (ImprovementOutcome(1, point, ("F1",), (text,), ()),))

        def fields(text: str) -> None:
            monkeypatch.setattr(feedback_screen, "meeting_outcome", lambda *_a, **_k: outcome(text))
            screen._reload()
            shows(plain(screen.query_one("#feedback-meeting", Static).visual), text)
            shows(plain(screen.query_one("#finding-detail", Static).visual), text)
            findings = screen.query_one("#findings", DataTable)
            shows_line(plain(findings.get_row_at(0)[3]), short(text))
            improvements = screen.query_one("#improvements", DataTable)
            shows_line(plain(improvements.get_row_at(0)[4]), text)  # owner
            renders_clean(findings)
            renders_clean(improvements)

        for_each_text(fields)
        await pilot.pause()
    assert app.crash is None
