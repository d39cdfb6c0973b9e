"""Shared helpers for subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zet_tui.core.paths import QUESTIONNAIRES_ENV, default_db_path, questionnaire_paths
from zet_tui.core.store import Store


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
