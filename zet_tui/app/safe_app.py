"""What every zet-tui app shares: literal notifications and pastes, and a crash that says one line.

Textual's own crash report is a traceback with the local variables of every
frame: on an interview screen those are the toelichting, the case code, the
answers. It also exits with code 0 when the app was started from the CLI. A
`SafeApp` instead remembers the error, writes the traceback *without* locals
and without exception messages (which may quote interview text) to a private
file (0600), and exits; the `zet` command then prints one Dutch line and exits
non-zero, the same path as every other command's unexpected error.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from textual import events
from textual.notifications import SeverityLevel
from textual.worker import WorkerFailed

from zet_tui.app.base import ZetBaseApp
from zet_tui.app.literal import install_output_guard
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.store import StoreError

#: Exit code of an unexpected error, as in the CLI (BSD's EX_SOFTWARE).
CRASH_EXIT = 70


class SafeApp(ZetBaseApp):
    """A zet-tui app whose notifications, pastes and crashes cannot leak or run stored text
    (on top of what `ZetBaseApp` shares: the Dutch palette, the remembered colours)."""

    def __init__(self) -> None:
        super().__init__()
        install_output_guard()
        #: The error that ended the app, if one did (the CLI reports it after the screen closed).
        self.crash: BaseException | None = None
        self.crash_log: Path | None = None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is literal: messages quote case codes, names and files."""
        super().notify(terminal_safe(message), title=terminal_safe(title), severity=severity,
                       timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste):
            # A pasted text is typed data: its control characters become visible (␛)
            # before any field holds them, like everything else on screen.
            event.text = terminal_safe(event.text)
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """Replaces Textual's handler (see the module doc); still exits, and still hands the
        error to `run_test`, so tests see it."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if self.crash is None:
            self.crash = cause
            self.crash_log = write_crash_log(cause)
        self._return_code = 1 if isinstance(cause, StoreError) else CRASH_EXIT
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()


def crash_message(error: BaseException, log: Path | None) -> str:
    """The one line the CLI prints after the app ended with `error`."""
    if isinstance(error, StoreError):
        return str(error)
    where = (f"technische details (zonder gegevens) in {log}" if log is not None
             else "er kon geen logbestand worden geschreven")
    return (f"onverwachte fout in de app ({type(error).__name__}); alles wat als opgeslagen "
            f"was getoond, staat in de database; {where}")


def write_crash_log(error: BaseException) -> Path | None:
    """Write the traceback of `error` (and its causes) to the private crash log.

    Frames only: no local variables and no exception messages, which may quote
    what was typed (`ZET_DEBUG=1` keeps the messages, for a developer's own data).
    Returns the path, or None when it cannot be written."""
    from zet_tui import __version__
    from zet_tui.core.paths import crash_log_path

    debug = bool(os.environ.get("ZET_DEBUG"))
    lines = [f"zet-tui {__version__}, {datetime.now(UTC).isoformat(timespec='seconds')}\n"]
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
    for exc in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(exc.__traceback__))
        name = f"{type(exc).__module__}.{type(exc).__qualname__}"
        lines.append(f"{name}: {exc}\n" if debug else f"{name}\n")
    try:
        path = crash_log_path()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.writelines(lines)
    except OSError:
        return None
    return path


__all__ = ["CRASH_EXIT", "SafeApp", "crash_message", "write_crash_log"]
