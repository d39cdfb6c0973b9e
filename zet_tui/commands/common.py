"""Shared helpers for subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from zet_tui.core.paths import default_db_path
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.store import Store

if TYPE_CHECKING:
    from zet_tui.app.safe_app import SafeApp


class UserError(Exception):
    """A user mistake; the CLI prints the message on one line and exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    return Store.open(db_path(args), create=create)


def run_tui_app(app: SafeApp) -> int:
    """Run a Textual app; an error that ended it becomes the CLI's one line (after the
    screen is restored) with a non-zero exit, like any other command's error."""
    app.run()
    if app.crash is not None:
        from zet_tui.app.safe_app import CRASH_EXIT, crash_message

        raise UserError(crash_message(app.crash, app.crash_log), app.return_code or CRASH_EXIT)
    return app.return_code or 0


class TerminalSafeStream:
    """Standard output on a terminal: stored text (names, codes, toelichtingen) is printed
    with its control characters shown (`␛`), never obeyed. A command's own terminal
    codes (`zet coverage --watch` clearing the screen) go through `write_control`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def write_control(self, sequence: str) -> int:
        return self._stream.write(sequence)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
