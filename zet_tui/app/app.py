"""The zet-tui Textual application."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from zet_tui.core.store import Store


class ZetApp(App[None]):
    TITLE = "zet-tui"
    SUB_TITLE = "ZET-interviews"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Afsluiten", id="quit"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.store = Store.open(db_path)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Evaluaties", id="title")
        yield DataTable(id="evaluations", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#evaluations", DataTable)
        table.add_columns("Evaluatie", "Gemeente", "Casussen")
        for ev in self.store.evaluations():
            table.add_row(ev.name, ev.municipality, str(len(self.store.cases(ev.id))), key=ev.id)

    def on_unmount(self) -> None:
        self.store.close()
