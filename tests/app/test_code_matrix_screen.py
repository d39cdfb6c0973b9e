"""The code x case overview of the coding screen (X): open, move, Enter filters, Esc goes back.

On the regional demo (11 cases, the analyst's codings; built once per test run and only read).
"""

from __future__ import annotations

from collections.abc import Callable

from findings_support import RegioFixture
from test_coding_screen import analysing, burst, coding_screen, wait_for
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.app.screens.code_matrix import CodeMatrixScreen
from zet_tui.app.screens.coding import CodingScreen
from zet_tui.app.screens.modals import help_rows
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.workbench import Filter

Compare = Callable[..., bool]
CODE = "we.integraal-plan"  # the first code in use (codebook order): in, ...


def overview(pilot: Pilot[None]) -> CodeMatrixScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CodeMatrixScreen), screen
    return screen


def detail(screen: CodeMatrixScreen) -> str:
    return str(screen.query_one("#matrix-cell", Static).render())


async def test_overview_moves_filters_and_goes_back(regio: RegioFixture) -> None:
    codebook = load_codebook_or_raise(codebook_path())
    r02 = regio.demo.case_ids["R-02"]
    async with analysing(regio.store.path, regio.demo.evaluation.id, codebook,
                         size=(80, 24)) as (app, pilot):
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeMatrixScreen))
        screen = overview(pilot)
        table = screen.query_one(DataTable)
        assert table.has_focus and table.cursor_coordinate == (0, 1)  # first code, first case
        assert [c.code for c in screen.matrix.cases][:2] == ["R-01", "R-02"]
        assert screen.matrix.codes[0].id == CODE
        codes = len(screen.matrix.codes)
        await pilot.press("right")  # one knelpunt, shown with where it was said
        text = detail(screen)
        assert text.startswith("Integraal plan × R-02: 1 knelpunt")
        placed = screen.matrix.cell(CODE, r02).codings[0]
        assert placed.question_text and placed.question_text in text
        await pilot.press("escape")  # back, no filter
        await wait_for(pilot, lambda: not isinstance(app.screen, CodeMatrixScreen))
        assert coding_screen(app).filter == Filter()

        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeMatrixScreen))
        await pilot.press("down", "right", "right")  # Basishouding × R-03: not used
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeMatrixScreen)  # nothing to show: it stays
        assert any("niet gebruikt" in str(n.message) for n in app._notifications)
        await pilot.press("up", "left", "enter")  # Integraal plan × R-02
        await wait_for(pilot, lambda: not isinstance(app.screen, CodeMatrixScreen))
        coding = coding_screen(app)
        assert coding.filter == Filter(code_id=CODE, case_id=r02)
        assert coding.current is not None and coding.current.case.id == r02
        assert any(c.code_id == CODE for c in coding.bench.codings(coding.current))  # type: ignore[union-attr]

        # typed in one go, as a person does: the keys after X reach the overview, in order;
        # the total row filters on the case alone
        burst(app, [("X", "X"), *[("down", None)] * codes, ("right", None), ("enter", None)])
        await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen)
                       and app.screen.filter.code_id is None)
        assert coding_screen(app).filter == Filter(case_id=r02)


def test_the_help_lists_the_overview() -> None:
    rows = help_rows()
    assert ("analyse", "X", "Overzicht: welke codes in welke casussen (knelpunt/succesfactor)") in rows
    assert any(where == "codeoverzicht" and key == "enter" for where, key, _ in rows)


def test_overview_at_80x24(snap_compare: Compare, regio: RegioFixture) -> None:
    app = AnalyseApp(regio.store.path, regio.demo.evaluation.id,
                     load_codebook_or_raise(codebook_path()), analyst="Ana", ascii=False)

    async def on_a_coded_cell(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CodeMatrixScreen))
        await pilot.press("down", "down", "down", "down")  # Duur van indicaties × R-01
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=on_a_coded_cell)
