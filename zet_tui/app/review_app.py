"""`zet review`: a small app that hosts the review screen for the second interviewer."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from zet_tui.app.safe_app import SafeApp
from zet_tui.app.screens.review import ReviewScreen, SessionPickScreen
from zet_tui.app.screens.start_dialogs import ReviewerNameModal


class ReviewApp(SafeApp):
    """Asks the reviewer's name if needed, lets them pick a session, then follows it live."""

    TITLE = "zet-tui"
    SUB_TITLE = "Review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Afsluiten", id="quit"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(self, db_path: str | Path, *, session_id: str | None = None,
                 reviewer_name: str = "") -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.session_id = session_id
        self.reviewer_name = reviewer_name.strip()

    def on_mount(self) -> None:
        if self.reviewer_name:
            self._start()
        else:
            self.push_screen(ReviewerNameModal(self.settings.reviewer), self._named)

    def _named(self, name: str | None) -> None:
        if not name:
            self.exit()
            return
        self.reviewer_name = name
        self.remember(reviewer=name)
        self._start()

    def _start(self) -> None:
        if self.session_id:
            self.push_screen(ReviewScreen(self.db_path, self.session_id, self.reviewer_name),
                             lambda _: self.exit())
        else:
            self._pick()

    def _pick(self) -> None:
        self.push_screen(SessionPickScreen(self.db_path), self._picked)

    def _picked(self, session_id: str | None) -> None:
        if not session_id:
            self.exit()
            return
        self.push_screen(ReviewScreen(self.db_path, session_id, self.reviewer_name),
                         lambda _: self._pick())
