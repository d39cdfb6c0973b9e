"""Shared helpers for subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from zet_tui.core.paths import QUESTIONNAIRES_ENV, default_db_path, questionnaire_paths
from zet_tui.core.safe_text import terminal_safe
from zet_tui.core.store import Store

if TYPE_CHECKING:
    from zet_tui.app.safe_app import SafeApp


class UserError(Exception):
    """A user mistake; the CLI prints the message on one line and exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def db_path(args: argparse.Namespace, *, create: bool = True) -> Path:
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    return default_db_path(create_folder=create)


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The command's database. Only the app, `zet demo` and `zet merge --into` create one:
    any other command given a mistyped `--db` (or an empty file) says so and creates nothing."""
    store = Store.open(db_path(args, create=create), create=create)
    announce(store)
    return store


def announce(store: Store) -> None:
    """Tell the user what opening the database changed (e.g. tightened file modes), once."""
    for notice in store.notices:
        print(f"zet: {notice}", file=sys.stderr)


def add_questionnaires_option(parser: argparse.ArgumentParser) -> None:
    """`--questionnaires MAP` for every command that reads questionnaire files."""
    parser.add_argument("--questionnaires", metavar="MAP", type=Path, action="append",
                        default=argparse.SUPPRESS,
                        help=f"map (of bestand) met vragenlijsten; mag vaker (standaard: "
                             f"${QUESTIONNAIRES_ENV}, anders de meegeleverde vragenlijsten)")


def questionnaire_source(args: argparse.Namespace) -> list[Path] | None:
    """The configured questionnaire folders or files (None: the shipped ones); a path that
    does not exist is a user error naming where it came from."""
    given = getattr(args, "questionnaires", None)
    paths = questionnaire_paths(given)
    for path in paths or ():
        if not path.exists():
            where = "--questionnaires" if given else f"${QUESTIONNAIRES_ENV}"
            raise UserError(f"{path}: map of bestand met vragenlijsten niet gevonden ({where})")
    return paths


def has_terminal() -> bool:
    """True when an app can draw: stdin and stdout are a terminal, or textual-serve
    (`zet serve`) runs the app with its web driver over pipes."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def require_terminal(what: str, instead: str) -> None:
    """An app on a pipe would write escape codes into it and wait for keys that never
    come: one line and exit 2 instead. `instead`: what to do then."""
    if not has_terminal():
        raise UserError(f"{what} heeft een terminal nodig, maar invoer of uitvoer is omgeleid; "
                        f"{instead}", 2)


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
