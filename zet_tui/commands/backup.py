"""`zet backup [--to PATH]`: a consistent copy of the database, also while `zet` runs.

Uses SQLite's online backup API (`Store.backup`), so the copy is a snapshot of
one committed state even when an interviewer is saving answers at that moment;
copying the file with `cp` could catch a half-written WAL. The copy is 0600
and checked with `PRAGMA integrity_check` before we report success.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from zet_tui.commands.common import UserError, db_path, open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="maak een reservekopie van de database",
                       description="Maak een consistente reservekopie van de database, ook "
                                   "terwijl de interview-app draait. Standaard naast de "
                                   "database: <db>.backup-<tijdstip>.db")
    p.add_argument("--to", metavar="PAD", type=Path,
                   help="doelbestand, of een map waarin de kopie komt")
    p.set_defaults(func=run)


def default_target(db: Path, folder: Path | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return (folder or db.parent) / f"{db.name}.backup-{stamp}.db"


def run(args: argparse.Namespace) -> int:
    path = db_path(args, create=False)
    target: Path | None = args.to.expanduser() if args.to else None
    if target is None:
        target = default_target(path)
    elif target.is_dir():
        target = default_target(path, target)
    if target.resolve() == path.resolve():
        raise UserError(f"{target}: dat is de database zelf; kies een ander doel")
    with open_store(args) as store:
        store.backup(target)
    problem = _integrity(target)
    if problem:
        with contextlib.suppress(OSError):
            target.unlink()
        raise UserError(f"{target}: de kopie is niet in orde ({problem}) en is verwijderd")
    print(f"Reservekopie gemaakt: {target}")
    return 0


def _integrity(path: Path) -> str:
    """'' when the copy passes `PRAGMA integrity_check`, else the first complaint."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            result = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "" if result == "ok" else result
