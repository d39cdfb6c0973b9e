"""Dutch everywhere, remembered choices, marks readable without colour, and the Wmo checklist."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from zet_tui.app.app import ZetApp
from zet_tui.app.base import DutchCommandPalette
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.app.widgets.chat import AnswerBar
from zet_tui.app.widgets.toggles import Checkbox, SelectionList
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire_loader import load_or_raise, shipped_dir
from zet_tui.core.settings import load_settings
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


async def ready(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_into(pilot: Pilot[None], widget_id: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{widget_id}").focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_command_palette_speaks_dutch(db_path: Path, mini_paths: list[Path],
                                            open_session: Session) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, DutchCommandPalette)
        assert palette.query_one(Input).placeholder == "Zoek een opdracht…"
        commands = list(app.get_system_commands(app.screen_stack[-2]))
        titles = [c.title for c in commands]
        assert {"Kleurenschema: licht", "Kleurenschema kiezen", "Help: alle toetsen",
                "Afsluiten"} <= set(titles) <= {"Kleurenschema: licht", "Kleurenschema kiezen",
                                                "Help: alle toetsen", "Vergroten", "Afsluiten"}
        english = {"Keys", "Maximize", "Minimize", "Quit", "Screenshot", "Theme", "the", "Show"}
        assert not english & {w for c in commands for w in f"{c.title} {c.help}".split()}
        await pilot.press(*"xqzxqz")
        await pilot.pause(0.8)
        shown = palette.query_one(CommandList)
        assert "Geen opdracht gevonden" in str(shown.get_option_at_index(0).prompt.renderable)  # type: ignore[union-attr]
        await pilot.press("escape")


async def test_names_and_colours_are_remembered(db_path: Path, mini_paths: list[Path]) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await type_into(pilot, "ev-name", "Evaluatie Testdorp")
        await type_into(pilot, "case-code", "K-01")
        await type_into(pilot, "interviewer", "Anna")
        await type_into(pilot, "co-interviewer", "Bram")
        await pilot.click("#consent")
        await type_into(pilot, "consent-by", "inwoner zelf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        app.theme = "textual-light"
        await pilot.pause()
    settings, problem = load_settings()
    assert problem == "" and (settings.interviewer, settings.co_interviewer) == ("Anna", "Bram")
    assert settings.theme == "textual-light"
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-light"
        start = app.screen
        assert isinstance(start, StartScreen)
        assert start.query_one("#interviewer", Input).value == "Anna"
        assert start.query_one("#co-interviewer", Input).value == "Bram"
        # choosing the case with an inwoner session: the form proposes the next perspective
        case = start.store.cases(start.store.evaluations()[0].id)[0]
        start.query_one("#case", Select).value = case.id
        await pilot.pause()
        assert start.query_one("#perspective", Select).value == "professional"
        option = str(start.query_one("#open-sessions", OptionList).get_option_at_index(0).prompt)
        assert option.endswith("· 0 antwoorden")


async def test_one_answer_is_singular(db_path: Path, mini_paths: list[Path], store: Store,
                                      open_session: Session) -> None:
    store.save_answer(open_session.id, Answer("toegang.wist-waar", AnswerStatus.ANSWERED, score=3))
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        option = str(app.screen.query_one("#open-sessions", OptionList).get_option_at_index(0).prompt)
        assert option.endswith("· 1 antwoord")


async def test_ticked_and_unticked_differ_without_colour(db_path: Path, mini_paths: list[Path],
                                                         open_session: Session) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        consent = app.screen.query_one("#consent", Checkbox)
        assert consent.render().plain.startswith("▐ ▌")
        consent.value = True
        await pilot.pause()
        assert consent.render().plain.startswith("▐X▌")
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        probes = app.screen.query_one("#probes", SelectionList)
        probes.select(1)
        await pilot.pause()
        lines = [probes.render_line(y).text for y in range(2)]
        assert lines[0].startswith("▐ ▌ Hoe kwam u") and lines[1].startswith("▐X▌ Wie hielp")


async def test_wmo_checklist_from_the_start_form_in_ascii(db_path: Path) -> None:
    app = ZetApp(db_path, ascii=True)  # the shipped questionnaires
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        start.query_one("#perspective", Select).value = "other"
        await pilot.pause()
        questionnaire = start.query_one("#questionnaire", Select)
        assert questionnaire.value == "wmo-checklist"
        assert not start.query_one("#consent", Checkbox).display  # a team self-assessment
        await type_into(pilot, "ev-name", "Wmo 2026")
        await type_into(pilot, "case-code", "Wijkteam Noord")
        await type_into(pilot, "interviewer", "Anna")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen), str(start.query_one("#start-error", Static).render())
        assert screen.session.questionnaire.id == "wmo-checklist"
        bar = screen.query_one("#answer-bar", AnswerBar).render().plain
        assert " 1 nee   2 deels   3 ja " in bar and "nee nee" not in bar
        await pilot.press("2", "ctrl+s")
        await pilot.pause()
        assert "deels (2/3)" in "\n".join(b.plain_text() for b in screen.query("Bubble"))  # type: ignore[attr-defined]
    assert load_or_raise(shipped_dir() / "wmo-checklist.md").perspective == "other"
