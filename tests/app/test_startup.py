"""Opening the app directly on a session: the interview screen is the first screen,
the slower widgets follow one frame later, and leaving the session still ends on
one start screen. Also the argument fast path of `zet tui`."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import SelectionList, TextArea

from zet_tui.app.app import ZetApp
from zet_tui.app.literal import prose
from zet_tui.app.screens.interview import MAX_PAIRS, InterviewScreen
from zet_tui.app.screens.modals import FinishScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.app.widgets.chat import Bubble, ThemeList
from zet_tui.cli import build_parser, opens_app
from zet_tui.core import collector
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire_loader import load_bytes
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


async def test_session_screen_is_the_first_screen_and_finishing_leads_to_start(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert len(app.screen_stack) == 1 and isinstance(app.screen, InterviewScreen)
        # the deferred widgets are there and filled, the theme list has its rows
        assert app.screen.query_one("#toelichting", TextArea).text == ""
        probes = app.screen.query_one("#probes", SelectionList)
        assert probes.option_count == len(app.screen.engine.current.probes)
        themes = app.screen.query_one("#themes", ThemeList)
        assert themes.option_count == len(app.screen.engine.questionnaire.themes)
        assert "▸" in str(themes.get_option_at_index(0).prompt)
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        # only the changed rows are redrawn, but they do change
        assert "1/" in str(themes.get_option_at_index(0).prompt)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        await pilot.click("#confirm")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and len(app.screen_stack) == 1
    assert store.session(open_session.id).status == "afgerond"


@pytest.fixture
def paused_collector() -> Iterator[None]:
    """As when `zet` starts the app: the cycle collector paused (core.collector)."""
    collector.pause()
    assert collector.is_paused()
    try:
        yield
    finally:
        collector.resume()


async def test_the_interview_resumes_the_collector_once_it_is_complete(
        db_path: Path, mini_paths: list[Path], open_session: Session,
        paused_collector: None) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        for _ in range(100):
            if screen.query("#toelichting"):
                break
            await pilot.pause(0.01)
        await pilot.pause()
        # the deferred fields are built: the collector runs again, and skips the start
        assert screen.query("#toelichting") and not collector.is_paused() and gc.isenabled()
        assert gc.get_freeze_count() > 0


async def test_the_start_screen_resumes_the_collector_after_its_first_frame(
        db_path: Path, mini_paths: list[Path], paused_collector: None) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert not collector.is_paused() and gc.isenabled()


PANEL_ORDER = ["readonly-banner", "arrived", "current-question", "answer-bar", "value", "value-text",
               "value-error", "toelichting", "probes"]


@pytest.mark.parametrize(("answered", "focused"), [(0, "toelichting"), (2, "value")])
async def test_the_value_field_is_built_when_needed_and_in_tab_order(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store,
        answered: int, focused: str) -> None:
    """Opened on a smiley question the date and number field comes one frame later with
    the other fields (on a date question it is in the first frame); either way the panel
    holds the same fields in the same order, and the cursor is in the answer's field."""
    for q in list(open_session.questionnaire.questions())[:answered]:
        store.save_answer(open_session.id, Answer(q.id, AnswerStatus.ANSWERED, score=3)
                          if q.is_scaled else Answer(q.id, AnswerStatus.ANSWERED, value="nee"))
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        for _ in range(100):
            if screen.form.ready:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        panel = screen.query_one("#answer-panel")
        assert [w.id for w in panel.children] == PANEL_ORDER
        assert app.focused is not None and app.focused.id == focused


async def test_unopenable_session_gives_a_message_and_the_start_screen(
        db_path: Path, mini_paths: list[Path]) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id="bestaatniet")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Sessie kan niet worden geopend") for m in messages), messages


async def test_typing_before_the_toelichting_exists_saves_an_empty_one(
        db_path: Path, mini_paths: list[Path], open_session: Session, store: Store) -> None:
    """A key press that arrives before the deferred widgets are mounted still saves."""
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen._extras = None  # as in the first frame
        screen.query_one("#answer-bar").focus()
        first = screen.engine.current.id
        screen.query_one("#answer-bar").action_pick(4)  # type: ignore[attr-defined]
        await screen.action_submit()
        await pilot.pause()
        saved = store.answers(open_session.id)[first]
        assert saved.score == 4 and saved.toelichting == "" and saved.probes_asked == ()


@pytest.mark.parametrize(("argv", "app_only"), [
    ([], True), (["tui"], True), (["--db", "x.db", "tui", "--session", "ab"], True),
    (["--db=x.db"], True), (["--help"], False), (["export", "--help"], False),
    (["--db", "tui", "export"], False),
])
def test_only_plain_app_arguments_skip_the_subcommands(argv: list[str], app_only: bool) -> None:
    assert opens_app(argv) is app_only


def test_app_parser_does_not_import_the_subcommands() -> None:
    sys.modules.pop("zet_tui.commands.merge", None)
    args = build_parser(commands=False).parse_args(["tui", "--session", "ab"])
    assert args.session == "ab" and "zet_tui.commands.merge" not in sys.modules


def test_the_interview_start_imports_only_what_its_first_frame_needs() -> None:
    """What `zet tui --session` imports before its first frame (in a fresh process): not the
    analyst's classes, the questionnaire files' parser or the text fields (one frame later)."""
    code = ("import sys\n"
            "from zet_tui.cli import build_parser\n"
            "build_parser(commands=False)\n"
            "import zet_tui.app.app, zet_tui.app.screens.interview, zet_tui.core.store\n"
            "print(' '.join(sorted(sys.modules)))\n")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    assert "zet_tui.core.store" in loaded
    later = {"zet_tui.core.coding", "zet_tui.core.questionnaire_loader", "markdown_it",
             "zet_tui.app.widgets.answer_fields", "textual.widgets._text_area",
             "zet_tui.app.screens.start", "zet_tui.app.screens.modals"}
    assert loaded & later == set()


@pytest.mark.parametrize("text", [
    "Een gewone zin.", "**vet**", "- een lijst", "1. eerste", "    code", "regel\nregel",
    "a_b_c", "[link](x)", "> citaat", "Zo'n 50% (ongeveer)?",
])
def test_texts_are_shown_as_typed_not_as_markdown(text: str) -> None:
    """No Markdown parser decides what a toelichting means: every character stays."""
    assert prose(text).plain == text


async def test_chat_steps_keep_the_bubbles_that_stay(db_path: Path, store: Store) -> None:
    """A "more" line or a new theme inserts and removes bubbles; the others are the
    same widgets as before (no rebuild), and the order is what `chat_items` says."""
    lines = ["---", "id: stappen", "titel: Stappen", "perspectief: inwoner", "versie: 1", "---",
             "", "Opening.", ""]
    for t in range(3):
        lines += [f"# Thema {t} {{#t{t}}}", "", f"Inleiding {t}.", ""]
        lines += [f"## Vraag {t}.{q}? {{#t{t}.q{q}}}\n" for q in range(MAX_PAIRS + 2)]
    questionnaire = load_bytes("\n".join(lines).encode()).questionnaire
    assert questionnaire is not None
    case = store.add_case(store.create_evaluation("Stappen").id, "K-02")
    session = store.start_session(case.id, questionnaire, interviewer="Anna",
                                  consent_given=True, consent_by="inwoner")
    for q in list(questionnaire.questions())[:MAX_PAIRS]:
        store.save_answer(session.id, Answer(q.id, AnswerStatus.ANSWERED, score=3))
    app = ZetApp(db_path, session_id=session.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        for _ in range(4):  # the "more" line appears, then the theme ends
            before = {b.key: b for b in screen.query(Bubble)}
            await pilot.press("3", "ctrl+s")
            await pilot.pause()
            after = list(screen.query(Bubble))
            assert [b.key for b in after] == [item.key for item in screen.chat_items()]
            assert all(before[b.key] is b for b in after if b.key in before)
        keys = [b.key for b in screen.query(Bubble)]
        assert "sum:t0" in keys and keys[-1] == "q:t1.q2"


async def test_a_database_others_could_read_is_tightened_and_the_app_says_so_once(
        tmp_path: Path, mini_paths: list[Path]) -> None:
    db = tmp_path / "gekopieerd.db"
    Store.open(db).close()
    db.chmod(0o644)
    app = ZetApp(db, questionnaire_paths=mini_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert [m for m in messages if "0600" in m] == [
            f"{db}: was leesbaar voor anderen (gekopieerd.db was 0644); nu alleen voor de "
            "eigenaar (0600)"]
    assert db.stat().st_mode & 0o777 == 0o600
    again = ZetApp(db, questionnaire_paths=mini_paths)
    assert again.notices == []
    again.store.close()
