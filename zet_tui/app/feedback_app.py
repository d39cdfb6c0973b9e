"""`zet feedback app`: a small app that hosts the feedback-meeting screen for one evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from zet_tui.app.safe_app import SafeApp
from zet_tui.app.screens.feedback import FeedbackScreen


class FeedbackApp(SafeApp):
    TITLE = "zet-tui"
    SUB_TITLE = "Terugkoppelbijeenkomst"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Afsluiten", id="quit"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(self, db_path: str | Path, evaluation_id: str, *, actor: str = "") -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.evaluation_id = evaluation_id
        self.actor = actor

    def on_mount(self) -> None:
        self.push_screen(FeedbackScreen(self.db_path, self.evaluation_id, actor=self.actor),
                         lambda _: self.exit())
