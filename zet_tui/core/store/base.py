"""The connection, its transactions and the file-level operations of a zet-tui database.

Rules that make "nothing is lost" true:
- WAL with `synchronous=FULL`: a committed answer survives a killed process and
  a power cut; readers (the reviewer, an export) never block the interviewer.
- Every write runs in `BEGIN IMMEDIATE`, so two processes never deadlock on a
  lock upgrade, with a busy timeout to wait for each other.
- An answer and its audit event are written in one transaction.
- The file is created 0600 before SQLite opens it (SQLite gives its -wal and
  -shm files the same mode).

A store (and its connection) belongs to one thread: open one per worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self, TypeVar

from zet_tui.core import scratch
from zet_tui.core.schema import MIGRATIONS, SCHEMA_VERSION, statements
from zet_tui.core.store import ids
from zet_tui.core.store.errors import DamagedData, StoreError, check_file, damaged, map_error
from zet_tui.core.store.files import tighten

BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")
#: How a damage message names a record, by the table the query reads first.
RECORD_NAMES = {"evaluation": "evaluatie", "cases": "casus", "session": "sessie",
                "answer": "antwoord", "note": "notitie", "event": "logboekregel",
                "finding": "bevinding", "meeting": "bijeenkomst", "improvement": "verbeterpunt"}
_FROM = re.compile(r"\bFROM\s+(\w+)", re.IGNORECASE)


def _blob_damage(sql: str, row: dict[str, Any]) -> DamagedData:
    table = _FROM.search(sql)
    what = RECORD_NAMES.get(table.group(1).lower(), "rij") if table else "rij"
    column = next(name for name, value in row.items() if isinstance(value, bytes))
    ident = row.get("id") or row.get("session_id")
    return damaged(what, ident, f"{column} is binair in plaats van tekst")

#: Database files this process has open connections to, with how many. POSIX record
#: locks belong to a process, and closing any descriptor of a file drops all of them:
#: reading the header of a file that is already open here (a second Store for a worker
#: thread) made SQLite in *other* processes think nobody used the file any more, and
#: the last one to close deleted the -wal under the running app. So the header is
#: read only by the first connection of this process.
_open_files: Counter[Path] = Counter()
_open_lock = threading.Lock()


class StoreBase:
    """The connection and its transactions; the aggregates add their reads and writes as mixins."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        #: What opening changed that the user should hear about once (Dutch sentences).
        self.notices: list[str] = []
        self._registered: Path | None = None

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, migrate: bool = True) -> Self:
        path = Path(path).expanduser()
        key = path.resolve()
        with _open_lock:
            must_create = check_file(path, create, read_header=not _open_files[key])
            _open_files[key] += 1  # before SQLite opens it: no other thread reads the header now
        try:
            store = cls._connect(path, must_create, create=create, migrate=migrate)
        except BaseException:
            _release(key)
            raise
        store._registered = key
        return store

    @classmethod
    def _connect(cls, path: Path, must_create: bool, *, create: bool, migrate: bool) -> Self:
        # Before SQLite opens it: the -wal and -shm it creates take the database's mode.
        tightened = tighten(path)
        if must_create and not path.exists():
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(f"{path}: kan database niet aanmaken ({exc.strerror})") from None
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=True)
        except sqlite3.Error as exc:
            raise map_error(exc, path) from None
        store = cls(conn, path)
        if tightened:
            modes = ", ".join(f"{p.name} was {oct(m)[2:].zfill(4)}" for p, m in tightened.items())
            store.notices.append(f"{path}: was leesbaar voor anderen ({modes}); nu alleen voor "
                                 "de eigenaar (0600)")
        # Work folders of a killed merge or export next to this file hold interview data.
        scratch.remove_leftovers(path.parent)
        try:
            store._configure()
            if migrate:
                store._migrate()
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise map_error(exc, path) from None
        return store

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database heeft schemaversie {version}, deze zet-tui kent tot "
                f"versie {SCHEMA_VERSION}; werk zet-tui bij. Het bestand is niet aangeraakt")
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables:
            raise StoreError(f"{self.path}: SQLite-database van een ander programma (geen "
                             "zet-tui-schema); het bestand is niet aangeraakt")
        mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path}: kan WAL-modus niet zetten (journal_mode={mode})")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        if version > 0:
            self._backup_before_migration(version)
        with self.write():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(current + 1, SCHEMA_VERSION + 1):
                for stmt in statements(MIGRATIONS[target - 1]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {target}")

    def _backup_before_migration(self, version: int) -> None:
        """Keep the old file next to the new one: an upgrade is the riskiest write of all."""
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not target.exists():
            self.backup(target)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._registered is not None:
            _release(self._registered)
            self._registered = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; committed (fsynced) when the block ends."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        try:
            yield self.conn
        except sqlite3.Error as exc:
            # e.g. a full disk in the middle of the block: the user gets the Store's
            # clear message, and nothing of the block is kept
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise map_error(exc, self.path) from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise map_error(exc, self.path) from None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside this block see one consistent state while others keep writing (WAL).

        An export reads sessions, answers and notes in separate queries; without one
        read transaction an interview running at the same time could slip a commit in
        between and the files would disagree with each other.
        """
        if self.conn.in_transaction:
            yield
            return
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), *,
              text_only: bool = True, damaged: list[str] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts. No column of the schema holds bytes: a BLOB (a merged file from
        another tool, a hand edit) is damage, raised here before anyone shows it, or, with
        a `damaged` list, reported there and the row left out."""
        try:
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        out = []
        for row in rows:
            as_dict = dict(zip(names, row, strict=True))
            if text_only and bytes in map(type, row):
                problem = _blob_damage(sql, as_dict)
                if damaged is None:
                    raise problem
                damaged.append(str(problem))
                continue
            out.append(as_dict)
        return out

    def _by_id(self, table: str, ref: str, what: str, many: str,
               columns: Sequence[str] = ("*",)) -> dict[str, Any]:
        """One row by id or unique id prefix (at least 4 characters), as the CLI refers to
        sessions, codings and the like; `what`/`many`: the thing's Dutch name, one and more."""
        cols = ", ".join(columns)
        rows = self._rows(f"SELECT {cols} FROM {table} WHERE id = ?", [ref])
        if not rows and len(ref) >= 4:
            rows = self._rows(f"SELECT {cols} FROM {table} WHERE id LIKE ?", [ref + "%"])
        if not rows:
            raise StoreError(f"{what} '{ref}' niet gevonden")
        if len(rows) > 1:
            raise StoreError(f"'{ref}' past op meerdere {many}; geef meer tekens")
        return rows[0]

    @staticmethod
    def _mapped(rows: list[dict[str, Any]], mapper: Callable[[dict[str, Any]], T],
                damaged: list[str] | None) -> list[T]:
        """`mapper` over `rows`; a damaged row raises, or with a `damaged` list is reported
        there and left out (pick lists stay usable around one bad record)."""
        out = []
        for r in rows:
            try:
                out.append(mapper(r))
            except DamagedData as exc:
                if damaged is None:
                    raise
                damaged.append(str(exc))
        return out

    def _event(self, *, kind: str, actor: str, session_id: str | None = None,
               question_id: str | None = None, old: Any = None, new: Any = None,
               case_id: str | None = None, evaluation_id: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO event (id, session_id, case_id, evaluation_id, at, actor, kind,"
            " question_id, old, new) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (ids.new_id(), session_id, case_id, evaluation_id, ids.now(), actor, kind, question_id,
             None if old is None else json.dumps(old, ensure_ascii=False),
             None if new is None else json.dumps(new, ensure_ascii=False)),
        )

    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap poll for live review."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # -- merge (zet merge, zet_tui/core/merge.py) ---------------------------------
    def record_event(self, kind: str, *, actor: str = "", new: Any = None) -> None:
        """Append an audit event inside the caller's open write transaction."""
        self._event(kind=kind, actor=actor, new=new)


    def vacuum(self) -> bool:
        """Rewrite the file and empty the -wal; False when a reader kept the -wal in use."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.execute("VACUUM")
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        return not busy

    def backup(self, target: str | Path) -> Path:
        """A consistent copy through SQLite's backup API, safe while others write."""
        target = Path(target).expanduser()
        if target.exists():
            raise StoreError(f"{target}: bestaat al; kies een andere naam")
        if not target.parent.exists():
            raise StoreError(f"{target}: de map {target.parent} bestaat niet")
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise StoreError(f"{target}: kan de kopie niet aanmaken ({exc.strerror})") from None
        try:
            dest = sqlite3.connect(target)
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        except sqlite3.Error as exc:
            with contextlib.suppress(OSError):
                target.unlink()
            reason = str(map_error(exc, target)).removeprefix(f"{target}: ")
            reason = reason.removesuffix("; er is niets opgeslagen")
            raise StoreError(f"{target}: reservekopie mislukt: {reason}; de onvolledige kopie "
                             "is verwijderd, de database zelf is niet aangeraakt") from None
        return target


def _release(key: Path) -> None:
    with _open_lock:
        _open_files[key] -= 1
        if _open_files[key] <= 0:
            del _open_files[key]
