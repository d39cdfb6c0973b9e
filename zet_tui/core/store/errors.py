"""Errors a user can act on, and the checks that run before SQLite touches a file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from zet_tui.core.schema import SQLITE_MAGIC


class StoreError(Exception):
    """A problem the user can act on; the message is shown as-is (Dutch)."""


class ConsentRequired(StoreError):
    pass


class DamagedData(StoreError):
    """A row that cannot be read as what it should be (bad JSON, a BLOB for a name, ...).

    Raised instead of the raw ValueError or TypeError, so the CLI and the app show
    one Dutch line that names the record, and a damaged session never takes the
    others down with it."""


def damaged(what: str, ident: object, detail: str) -> DamagedData:
    """`what` (e.g. 'sessie') with id `ident` holds something unreadable in `detail`."""
    name = f" {str(ident)[:8]}" if isinstance(ident, str) and ident else ""
    return DamagedData(f"{what}{name}: opgeslagen gegevens zijn beschadigd ({detail}); "
                       "de database is niet aangeraakt")


def check_file(path: Path, create: bool, *, read_header: bool = True) -> bool:
    """Validate `path` before SQLite touches it; return True when it must be created.

    `read_header=False` when this process already has a connection to the file: the
    header was checked then, and opening and closing the file here would drop every
    POSIX lock SQLite holds on it for this process (see `StoreBase.open`).
    """
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path}: is een map, geen databasebestand")
        if not read_header:
            header = SQLITE_MAGIC
        else:
            try:
                with path.open("rb") as fh:
                    header = fh.read(16)
            except PermissionError:
                raise StoreError(f"{path}: geen leesrechten op dit bestand") from None
            except OSError as exc:
                raise StoreError(f"{path}: kan niet lezen ({exc.strerror})") from None
        if header and header != SQLITE_MAGIC:
            raise StoreError(f"{path}: dit is geen zet-tui-database (geen SQLite-bestand); "
                             "het bestand is niet aangeraakt")
        if not header and not create:
            raise StoreError(f"{path}: het bestand is leeg (0 bytes), geen zet-tui-database; "
                             "controleer --db. Er is niets aangemaakt")
        # Refuse up front rather than fail at the first answer of an interview.
        if not os.access(path, os.W_OK):
            raise StoreError(f"{path}: database is alleen-lezen; zet-tui moet er antwoorden in "
                             "kunnen opslaan. Het bestand is niet aangeraakt")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: de map {path.parent} is alleen-lezen (SQLite heeft er "
                             "naast de database een -wal-bestand nodig). Het bestand is niet "
                             "aangeraakt")
        return not header
    if not create:
        raise StoreError(f"{path}: database bestaat niet; controleer --db (of $ZET_DB). Er is "
                         "niets aangemaakt")
    parent = path.parent
    if not parent.exists():
        raise StoreError(f"{path}: de map {parent} bestaat niet")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"{path}: geen schrijfrechten in de map {parent}")
    return True


class StoreBusy(StoreError):
    """Another process holds the write lock: trying again later may well work (a draft
    waits in memory for its next write)."""


def map_error(exc: sqlite3.Error, path: Path) -> StoreError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return StoreBusy(f"{path}: database is bezet door een ander proces; probeer het opnieuw")
    if "readonly" in msg or "read-only" in msg:
        return StoreError(f"{path}: database is alleen-lezen; er is niets opgeslagen")
    if "disk is full" in msg or "full" in msg:
        return StoreError(f"{path}: de schijf is vol; er is niets opgeslagen")
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return StoreError(f"{path}: database is beschadigd ({exc})")
    if "unable to open" in msg:
        return StoreError(f"{path}: kan database niet openen ({exc})")
    if "i/o" in msg:
        return StoreError(f"{path}: schrijffout op de schijf ({exc}); er is niets opgeslagen")
    return StoreError(f"{path}: databasefout: {exc}")

