"""80x24: every key line and header on one line, nothing cut off, and what fits changes with
the width (a terminal resized while the app runs)."""

from __future__ import annotations

from pathlib import Path

from exports_support import demo
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent
from textual.widgets._footer import FooterKey

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.app.app import ZetApp
from zet_tui.app.review_app import ReviewApp
from zet_tui.app.screens.modals import HelpScreen
from zet_tui.app.widgets.chat import AnswerBar, KeyHints
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.core.answers import Answer
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.questionnaire_loader import load_or_raise, shipped_dir
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus


def footer_keys(pilot: Pilot[None]) -> list[str]:
    """The keys the footer shows, each checked to lie wholly on the screen's one last line."""
    footer = pilot.app.screen.query_one(FitFooter)
    assert footer.region.height == 1 and footer.region.y == pilot.app.size.height - 1
    keys = list(footer.query(FooterKey))
    for key in keys:
        assert key.region.right <= pilot.app.size.width, key.key_display
    return [key.key_display for key in keys]


async def test_review_footer_shows_all_its_keys_at_80_and_more_at_120(
        store: Store, db_path: Path, open_session: Session) -> None:
    app = ReviewApp(db_path, session_id=open_session.id, reviewer_name="Rob")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # l, g and esc fell off the edge before; ctrl+q and the palette are in the help.
        assert footer_keys(pilot) == ["f", "n", "x", "a", "l", "g", "esc", "f1"]
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert footer_keys(pilot) == ["f", "n", "x", "a", "l", "g", "esc", "^q", "f1", "^p"]
        # F1 lists every key, the review screen's own right after those that work everywhere.
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        sections = [where for where, _, _ in help_screen.rows]
        assert sections[:sections.index("start")] == ["overal"] * 3 + ["review"] * 7
        # ... and in the palette, by name (as on the coding screen).
        await pilot.press("escape", "ctrl+p", *"afronden review")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "review-finish"


async def test_coding_footer_leaves_out_its_least_needed_key_first(
        store: Store, db_path: Path) -> None:
    evaluation = demo(store).evaluation
    app = AnalyseApp(db_path, evaluation.id, load_codebook_or_raise(codebook_path()),
                     analyst="Ana", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = footer_keys(pilot)
        assert "o" not in shown and {"n", "c", "f", "m", "s", "/", "esc", "f1"} <= set(shown)
        # The Dutch palette, not Textual's English one ("^p palette").
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        await pilot.pause()
        assert "o" in footer_keys(pilot)
        palette = app.screen.query_one(FitFooter).query_one(".-command-palette", FooterKey)
        assert palette.description == "Palet"


async def test_interview_header_and_keys_fit_80_columns_in_ascii(store: Store,
                                                                db_path: Path) -> None:
    """Nine themes in ASCII ("[x][~][ ]...") and the reviewer's notes: one header line that
    ends with the theme counts, one line of keys that ends with the help."""
    inwoner = load_or_raise(shipped_dir() / "inwoner.md")
    ev = store.create_evaluation("Evaluatie Testdorp", "Testdorp")
    session = store.start_session(store.add_case(ev.id, "K-01").id, inwoner, interviewer="Anna",
                                  consent_given=True, consent_by="inwoner")
    store.save_answer(session.id, Answer(inwoner.themes[0].questions[0].id,
                                         AnswerStatus.ANSWERED, score=4), actor="Anna")
    store.add_note(session.id, "vraag door op het netwerk", kind="flag", author="Rob")
    app = ZetApp(db_path, session_id=session.id, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        header = str(screen.query_one("#status", Static).render())
        assert cell_len(header) <= 78 and header.endswith("thema's [~]1 [ ]8"), header
        # The answer bar breaks its lines between pills, never inside one ("F6 | weet niet").
        bar_lines = screen.query_one(AnswerBar).render().plain.split("\n")
        assert len(bar_lines) == 2 and bar_lines[1].strip() == "F6 weet niet   F7 n.v.t."
        assert all(cell_len(line) <= 78 for line in bar_lines)
        hints = screen.query_one(KeyHints)
        line = hints.render().plain
        assert cell_len(line) <= 78 and line.startswith("^s Opslaan") and line.endswith("f1 Help")
        assert "f3" not in line  # coverage: in the help and the palette
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "f3 Dekking" in hints.render().plain
        wide = str(screen.query_one("#status", Static).render())
        assert "thema's" not in wide and "1 open vlag" in wide  # the theme list is on screen
