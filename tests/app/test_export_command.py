"""The interview screen's "Exporteren" palette command: a thread worker with its own
Store writes the session's export and names the folder; failures are a message."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from zet_tui.app.app import ZetApp
from zet_tui.app.screens.interview import InterviewScreen
from zet_tui.core.store import Session


def messages(app: ZetApp) -> list[str]:
    return [n.message for n in app._notifications]


async def run_palette_command(pilot: Pilot[None], name: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*name)
    await pilot.pause(0.3)  # the palette searches in the background
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_from_the_palette_writes_the_session(
        db_path: Path, mini_paths: list[Path], open_session: Session, tmp_path: Path) -> None:
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    app.export_root = tmp_path / "uit"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("4", "ctrl+s")  # committed before the export reads it
        await pilot.pause()
        # discoverable: listed when the palette opens, before typing anything
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        listed = pilot.app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any("Exporteren" in p for p in prompts), prompts
        await pilot.press("escape")
        await pilot.pause()
        await run_palette_command(pilot, "Exporteren")
        assert isinstance(app.screen, InterviewScreen)  # the interview goes on
        done = [m for m in messages(app) if m.startswith("Export klaar")]
        assert done, messages(app)
        folders = [p for p in (tmp_path / "uit").iterdir() if p.is_dir()]
        assert len(folders) == 1 and str(folders[0].resolve()) in done[0]
        written = {p.name for p in folders[0].rglob("*") if p.is_file()}
        assert {"antwoorden.csv", "export.json", "index.md"} <= written
        assert "toegang.wist-waar" in (folders[0] / "antwoorden.csv").read_text(encoding="utf-8")


async def test_export_failure_is_a_message_not_a_crash(
        db_path: Path, mini_paths: list[Path], open_session: Session, tmp_path: Path) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map", encoding="utf-8")
    app = ZetApp(db_path, questionnaire_paths=mini_paths, session_id=open_session.id)
    app.export_root = blocker  # a file where the export folder should be
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await run_palette_command(pilot, "Exporteren")
        assert isinstance(app.screen, InterviewScreen) and app.is_running
        failed = [m for m in messages(app) if m.startswith("Exporteren mislukt")]
        assert failed and str(blocker) in failed[0], messages(app)
