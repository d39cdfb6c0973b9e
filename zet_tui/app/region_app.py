"""`zet regio app`: a small app that hosts the region screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from zet_tui.app.safe_app import SafeApp
from zet_tui.app.screens.region import RegionScreen


class RegionApp(SafeApp):
    TITLE = "zet-tui"
    SUB_TITLE = "Regio"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Afsluiten", id="quit"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(self, db_path: str | Path, region_id: str) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.region_id = region_id

    def on_mount(self) -> None:
        self.push_screen(RegionScreen(self.db_path, self.region_id), lambda _: self.exit())
