"""The region screen: reached from the start screen, tabs, cell details, export; SVG snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from literal_support import screen_text
from region_support import DemoRegion, hostile_region
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Markdown, Select, Static, TabbedContent

from zet_tui.app.app import ZetApp
from zet_tui.app.region_app import RegionApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.app.screens.region import RegionExportDialog, RegionScreen
from zet_tui.app.screens.start import StartScreen
from zet_tui.core.store import Store
from zet_tui.core.vocab import POLICY_PERSPECTIVE

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Compare = Callable[..., bool]


def _text(screen: RegionScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_start_screen_opens_the_region_by_key_and_palette(demo_region: DemoRegion) -> None:
    app = ZetApp(demo_region.db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"gemeenten vergelijken")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)


async def test_without_a_region_the_key_explains_what_to_do(db_path: Path) -> None:
    app = ZetApp(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert any("zet demo --regio" in str(n.message) for n in app._notifications)


async def test_tabs_details_and_pages(demo_region: DemoRegion) -> None:
    app = RegionApp(demo_region.db, demo_region.first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RegionScreen)
        table = screen.query_one("#matrix-basisfunctie", DataTable)
        assert table.row_count == 6  # five municipalities and the region
        await pilot.press("down", "right", "right")  # Brakveen, Hulp toegankelijk
        await pilot.pause()
        detail = _text(screen, "#detail-basisfunctie")
        assert detail.startswith("Brakveen · Hulp toegankelijk en vindbaar: praktijk 5,0")
        await pilot.press("down", "down", "down")  # Zuidgeest
        await pilot.pause()
        assert "te weinig gegevens" in _text(screen, "#detail-basisfunctie") or \
            "geen gegevens" in _text(screen, "#detail-basisfunctie")
        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-gedeeld"
        assert _text(screen, "#detail-shared").startswith(
            "Knelpunt bij Integraal plan (werkzaam element): in 6 van 9 casussen")
        await pilot.press("4", "down", "down", "down")
        await pilot.pause()
        assert _text(screen, "#detail-pairs").startswith("Kreekdijk kan leren van Brakveen over:")
        await pilot.press("5")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-beleid"
        await pilot.press("down", "down")
        await pilot.pause()
        assert "Aldermeer · Planvorming: beleid positiever" in _text(screen, "#detail-policy")
        await pilot.press("6")
        await pilot.pause()
        page = screen.query_one("#municipality-page", Markdown)
        assert "Aldermeer: terugkoppeling" in page.source
        await pilot.press("7")
        await pilot.pause()
        assert "Samenvatting voor de wethouders" in screen.query_one("#aldermen-page", Markdown).source


async def test_export_from_the_screen(demo_region: DemoRegion, tmp_path: Path) -> None:
    app = RegionApp(demo_region.db, demo_region.first)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RegionExportDialog)
        field = dialog.query_one("#region-root")
        field.value = str(tmp_path / "uit")  # type: ignore[attr-defined]
        dialog.query_one("#region-pseudo").value = True  # type: ignore[attr-defined]
        await pilot.click("#region-export-ok")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    folders = list((tmp_path / "uit").iterdir())
    assert len(folders) == 1 and folders[0].name.endswith("-gepseudonimiseerd")
    assert (folders[0] / "wethouders.md").exists()
    with Store.open(demo_region.db) as store:  # the screen only read
        assert store.region(demo_region.first) is not None


async def test_start_screen_starts_a_policy_session_without_consent(db_path: Path) -> None:
    app = ZetApp(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        start = app.screen
        assert isinstance(start, StartScreen)
        for widget_id, text in (("ev-name", "Evaluatie Aldermeer"), ("ev-municipality", "Aldermeer"),
                                ("case-code", "BELEID"), ("interviewer", "Marloes")):
            start.query_one(f"#{widget_id}", Input).value = text
        start.query_one("#perspective", Select).value = POLICY_PERSPECTIVE
        await pilot.pause()
        assert start.query_one("#questionnaire", Select).value == "beleid"
        assert not start.query_one("#consent", Checkbox).display  # no consent fields for policy staff
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        session = app.screen.session
        assert session.perspective == POLICY_PERSPECTIVE and not session.consent_given


@pytest.mark.parametrize("size", SIZES)
def test_region_screen_snapshot(snap_compare: Compare, demo_region: DemoRegion,
                                size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("down", "right", "right")

    assert snap_compare(RegionApp(demo_region.db, demo_region.first), terminal_size=size,
                        run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_region_policy_tab_snapshot(snap_compare: Compare, demo_region: DemoRegion,
                                    size: tuple[int, int]) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("5", "down", "down", "down")

    assert snap_compare(RegionApp(demo_region.db, demo_region.first), terminal_size=size,
                        run_before=before)


async def test_hostile_names_are_shown_literally_on_every_tab(db_path: Path) -> None:
    with Store.open(db_path) as store:
        region_id = hostile_region(store)
    app = RegionApp(db_path, region_id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        for key in ("1", "2", "3", "4", "5", "6", "7", "ctrl+e", "escape"):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert "\x1b" not in text and "\u202e" not in text, key
        await pilot.press("5")
        await pilot.pause()
        text = screen_text(app)
        assert "Aldermeer ␛[2J" in text and "[/]" in text  # visible, not obeyed or parsed
    assert app.crash is None
