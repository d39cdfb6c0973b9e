"""`zet analyse`: a small app that hosts the coding screen for one evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Label

from zet_tui.app.app import env_ascii
from zet_tui.app.safe_app import SafeApp
from zet_tui.app.screens.coding import CodingScreen
from zet_tui.app.widgets.review_note import NameModal
from zet_tui.core.coding import Codebook


class AnalystNameModal(NameModal):
    """Asks who is coding: every coding carries a name in the audit log."""

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Label).update("Wie codeert er? Je naam komt in het logboek bij je "
                                       "coderingen.")


class AnalyseApp(SafeApp):
    """A zet-tui app like the others: the Dutch palette, the remembered colours, literal
    messages, and a crash that is one line (see `SafeApp`)."""

    TITLE = "zet-tui"
    SUB_TITLE = "Analyse"
    CSS_PATH = "zet.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (declared by App)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Afsluiten", id="quit", priority=True),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(self, db_path: str | Path, evaluation_id: str, codebook: Codebook, *,
                 analyst: str = "", ascii: bool | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.evaluation_id = evaluation_id
        self.codebook = codebook
        self.analyst = analyst
        self.ascii = env_ascii() if ascii is None else ascii

    def on_mount(self) -> None:
        if self.analyst:
            self.open_screen(self.analyst)
        else:
            self.push_screen(AnalystNameModal(), self.open_screen)

    def open_screen(self, name: str | None) -> None:
        if not name:
            self.exit()
            return
        self.push_screen(CodingScreen(self.db_path, self.evaluation_id, self.codebook,
                                      actor=name, ascii=self.ascii), lambda _: self.exit())
