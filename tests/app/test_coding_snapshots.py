"""SVG snapshots of the coding screen at 80x24 and 120x40, and of its code picker and summary form.

Update after an intended change with
`pytest tests/app/test_coding_snapshots.py --snapshot-update` and look at the SVGs first.
The data is the demo on the small parallel fixtures (fixed seed), with one coded fragment
made stale by a later edit and one manual divergence, so every kind of mark is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from exports_support import demo
from textual.pilot import Pilot

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.app.screens.coding import CodingScreen
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.store import Store

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Compare = Callable[..., bool]


def _prepared(store: Store, db_path: Path) -> AnalyseApp:
    result = demo(store)
    coding = next(c for c in store.codings() if c.start is not None)
    answer = store.answers(coding.session_id)[coding.question_id]
    store.add_coding(coding.session_id, coding.question_id, "overig", "neutraal",
                     start=coding.start, end=coding.end, actor="Lotte")
    store.save_answer(coding.session_id, replace(answer, toelichting="Achteraf: "
                                                 + answer.toelichting))
    session = store.session(coding.session_id)
    store.add_manual_divergence(session.case_id, store.sessions(case_id=session.case_id)[0]
                                .questionnaire.themes[0].id, ("inwoner", "dossier"),
                                "Het dossier noemt het eerste gesprek niet.")
    store.set_case_attribute(session.case_id, "domein", "jeugd")
    return AnalyseApp(db_path, result.evaluation.id, load_codebook_or_raise(codebook_path()),
                      analyst="Ana", ascii=False)


async def _on_stale_answer(pilot: Pilot[None]) -> None:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen) and screen.bench is not None
    bench = screen.bench
    screen._show(next(i for i in bench.items if bench.stale(i)))
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_coding_screen(snap_compare: Compare, store: Store, db_path: Path,
                       size: tuple[int, int]) -> None:
    assert snap_compare(_prepared(store, db_path), terminal_size=size,
                        run_before=_on_stale_answer)


def test_code_picker(snap_compare: Compare, store: Store, db_path: Path) -> None:
    async def picking(pilot: Pilot[None]) -> None:
        await _on_stale_answer(pilot)
        await pilot.press("f", "w", "w", "c", *"wacht")
        await pilot.pause()

    assert snap_compare(_prepared(store, db_path), terminal_size=(80, 24), run_before=picking)


def test_summary_form(snap_compare: Compare, store: Store, db_path: Path) -> None:
    async def writing(pilot: Pilot[None]) -> None:
        await _on_stale_answer(pilot)
        await pilot.press("s", *"Rust in huis", "tab")
        await pilot.pause()

    assert snap_compare(_prepared(store, db_path), terminal_size=(80, 24), run_before=writing)


def test_memo_in_the_detail_pane(snap_compare: Compare, store: Store, db_path: Path) -> None:
    """The chosen coding's memo under it, literal ([/], ESC), cut after three lines."""
    app = _prepared(store, db_path)
    newest = store.codings()[-1]
    store.update_coding(newest.id, memo="Navragen bij het wijkteam [/] \x1b[2J\n"
                        "tweede regel\nderde regel\nvierde regel valt weg")

    async def choosing(pilot: Pilot[None]) -> None:
        await _on_stale_answer(pilot)
        await pilot.press("tab", "tab", "up")  # from the quote (the newest mark) to the coding
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=choosing)
