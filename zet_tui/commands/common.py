"""Shared helpers for subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from zet_tui.core.paths import default_db_path
from zet_tui.core.store import Store


class UserError(Exception):
    """A user mistake; the CLI prints the message on one line and exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    return Store.open(db_path(args), create=create)
