"""The zet-tui Textual application.

The app owns one `Store` for the UI thread. Screens never write SQL: they call
store methods and the headless `Interview` engine. Questionnaires are parsed
once, lazily, the first time the start screen needs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from zet_tui.app.key_routing import RoutesInput, TabMovesNow
from zet_tui.app.safe_app import SafeApp
from zet_tui.core.paths import questionnaire_paths as configured_questionnaire_paths
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.wording import count

if TYPE_CHECKING:
    from zet_tui.app.screens.interview import InterviewScreen

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def env_ascii() -> bool:
    """`ZET_ASCII=1` switches smileys to text for terminals that cannot draw emoji."""
    return os.environ.get("ZET_ASCII", "").strip().lower() in ("1", "ja", "yes", "true", "on")


class ZetApp(SafeApp):
    TITLE = "zet-tui"
    SUB_TITLE = "ZET-interviews"
    CSS_PATH = "zet.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (declared by App)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Afsluiten", id="quit", priority=True,
                tooltip="Afsluiten; wat getypt en nog niet opgeslagen is, blijft als concept "
                        "bewaard"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(self, db_path: Path, *, questionnaire_paths: Sequence[Path] | None = None,
                 session_id: str | None = None, ascii: bool | None = None,
                 clock: Clock | None = None, store: Store | None = None) -> None:
        """`store`: the database already opened on `db_path` (by `zet`, which checks it
        before the screen takes over); the app owns it from now on and closes it."""
        super().__init__()
        self.db_path = db_path
        self.store = store if store is not None else Store.open(db_path)
        #: Shown once as notifications when the app starts (e.g. file modes tightened).
        self.notices: list[str] = list(self.store.notices)
        self.questionnaire_paths = (list(questionnaire_paths) if questionnaire_paths is not None
                                    else configured_questionnaire_paths())
        self.initial_session_id = session_id
        self.ascii = env_ascii() if ascii is None else ascii
        self.clock: Clock = clock or _utc_now
        self._questionnaires: list[Questionnaire] | None = None
        self.questionnaire_problems: list[str] = []
        self._open_error = ""
        #: Where the interview screen's "Exporteren" writes (`zet export`'s default).
        self.export_root = Path("exports")

    # -- questionnaires ---------------------------------------------------------
    def questionnaires(self) -> list[Questionnaire]:
        """Valid questionnaires from the configured folder, parsed once per run."""
        if self._questionnaires is None:
            from zet_tui.core.questionnaire_loader import load_file, questionnaire_files

            found: list[Questionnaire] = []
            problems: list[str] = []
            for path in questionnaire_files(self.questionnaire_paths):
                result = load_file(path)
                if result.ok and result.questionnaire is not None:
                    found.append(result.questionnaire)
                else:
                    problems.append(f"{path.name}: ongeldig "
                                    f"({count(len(result.problems), 'fout', 'fouten')})")
            self._questionnaires = found
            self.questionnaire_problems = problems
        return self._questionnaires

    # -- lifecycle ----------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        """Opened on a session, the interview screen is the first screen itself.

        Pushing it over Textual's empty default screen cost a second screen set-up
        and an extra frame (~50 ms before the first question). The start screen (and
        parsing the questionnaire files) waits until the interviewer leaves the session.
        """
        if self.initial_session_id:
            screen = self._interview_screen(self.initial_session_id)
            if screen is not None:
                return screen
        return super().get_default_screen()

    async def on_event(self, event: events.Event) -> None:
        """Each key and paste is offered to the screen before Textual routes it (see
        key_routing)."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            screen = self.screen
            if isinstance(screen, RoutesInput) and await screen.route_input(event):
                return
        await super().on_event(event)

    def action_focus_next(self) -> None:
        super().action_focus_next()
        self._focus_moved()

    def action_focus_previous(self) -> None:
        super().action_focus_previous()
        self._focus_moved()

    def _focus_moved(self) -> None:
        """Tab has run: a form holding the keys typed after it lets them go, before the
        app reads the next key (key_routing.TabMovesNow)."""
        screen = self.screen
        if isinstance(screen, TabMovesNow):
            self.call_next(screen.focus_moved)

    async def action_quit(self) -> None:
        """ctrl+q: what is typed but not saved stays as a draft, and the terminal says so."""
        messages = []
        for screen in self.screen_stack:
            before_quit = getattr(screen, "before_quit", None)
            if before_quit is not None:
                messages.append(await before_quit())
        self.exit(message="\n".join(m for m in messages if m) or None)

    def _hang_up(self) -> None:
        """The terminal was closed (SIGHUP): keep the drafts, then end. A process whose
        terminal is gone cannot always end cleanly: it is ended hard 3 s later."""
        for screen in self.screen_stack:
            hang_up = getattr(screen, "hang_up", None)
            if hang_up is not None:
                hang_up()
        timer = threading.Timer(3.0, os._exit, args=(129,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=129)

    def on_mount(self) -> None:
        if not self.is_headless and hasattr(signal, "SIGHUP"):
            with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10)
        if self._open_error:
            self.notify(self._open_error, severity="error", timeout=10)
            self._open_error = ""
        if self.screen.id == "_default":  # not opened on a (valid) session
            self.show_start()

    def show_start(self) -> None:
        """Back to (or first to) the start screen, never stacking a second one."""
        from zet_tui.app.screens.start import StartScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            self.pop_screen()
        if isinstance(self.screen, StartScreen):
            return
        if len(self.screen_stack) == 1 and self.screen.id != "_default":
            # Opened on a session, the interview screen is the bottom one: replace it.
            # Textual's switch_screen pops a result callback that only pushed screens
            # have; give the bottom screen an empty one first.
            self.screen._push_result_callback(self, None)
            self.switch_screen(StartScreen())
        else:
            self.push_screen(StartScreen())

    def _interview_screen(self, session_id: str) -> InterviewScreen | None:
        from zet_tui.app.screens.interview import InterviewScreen
        from zet_tui.core.interview import InterviewError
        from zet_tui.core.store import StoreError

        try:
            return InterviewScreen(self.store.session(session_id))
        except (StoreError, InterviewError) as exc:
            self._open_error = f"Sessie kan niet worden geopend: {exc}"
            return None

    def open_session(self, session_id: str) -> bool:
        screen = self._interview_screen(session_id)
        if screen is None:
            self.notify(self._open_error, severity="error", timeout=10)
            self._open_error = ""
            return False
        self.push_screen(screen)
        return True

    def on_unmount(self) -> None:
        self.store.close()
