"""Merge the databases of several interviewer laptops into one.

Every id is a random UUID, so merging is a union by primary key. The rules
that keep "nothing is lost, nothing is silently overwritten" true:

- A row that is already present and identical is skipped, so merging the same
  file twice changes nothing.
- `event` rows (the audit log) are append-only and always merged by id.
- Two different rows with the same key are a conflict: the target keeps its
  row and the conflict is reported, unless one side is a plain continuation of
  the other. For an answer that is decided from the audit log: when the other
  side's current value is an earlier state in this side's chain of
  `answer_created`/`answer_changed` events, this side is newer and wins (the
  usual case of a file copied mid-interview and then continued on one laptop).
- A session's status, end and review sign-off only move forward; when both
  sides moved on independently the session is a conflict.
- Two cases with the same code in one evaluation but different ids are a
  conflict; none of that source case's rows are merged.
- Erasure travels (`zet_tui.core.merge_erasure`): a `case_purged` tombstone in
  a source erases that case in the target, the way `zet purge` does; data of a
  case erased in the target is refused and named (exit code 5 in the CLI).

Sources are never written: each is copied with SQLite's backup API from a
read-only connection into a work folder next to the target (never the system
temp folder; a killed merge's folder is removed by the next run), and that copy
is migrated when it has an older schema. One source is merged in one
transaction on the target, so a failure leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from zet_tui.core import merge_analysis as analysis_merge
from zet_tui.core import merge_region, scratch
from zet_tui.core.merge_erasure import (
    MENTION_TABLES,
    Refusal,
    apply_tombstones,
    refuse_erased_cases,
    rewrite_after_erasure,
)
from zet_tui.core.schema import SCHEMA_VERSION, SQLITE_MAGIC
from zet_tui.core.store import Store, StoreError
from zet_tui.core.store.erasure import Scrubber


@dataclass(frozen=True)
class ByIdTable:
    """A table merged row by row on its id, after the answers: a new table is one line.

    `unique`: another key that must not be duplicated (a row with the same values
    under another id is the same row, or a conflict); `dependent`: its rows belong
    to a case or session (`case_id` / `session_id`) and are left out with it.
    """

    name: str
    label: str
    unique: tuple[str, ...] = ()
    dependent: bool = False


BY_ID_TABLES: tuple[ByIdTable, ...] = (
    ByIdTable("event", "auditregels", dependent=True),
    ByIdTable("note", "notities", dependent=True),
    ByIdTable("sensitive_term", "te vervangen namen", ("case_id", "term"), dependent=True),
    ByIdTable("meeting", "terugkoppelgesprekken"),
    ByIdTable("finding", "bevindingen", ("evaluation_id", "kind", "key")),
    ByIdTable("improvement", "verbeterpunten"),
)
# Parents before children, so foreign keys hold row by row.
# The analyst's tables are merged with the answers' lineage rules (`core/merge_analysis.py`).
TABLES: tuple[str, ...] = ("evaluation", "cases", "session", "answer",
                           *(t.name for t in BY_ID_TABLES), *analysis_merge.TABLES,
                           *merge_region.TABLES)
TABLE_LABELS = {
    "evaluation": "evaluaties", "cases": "casussen", "session": "sessies",
    "answer": "antwoorden", **{t.name: t.label for t in BY_ID_TABLES},
    **analysis_merge.TABLE_LABELS, **merge_region.TABLE_LABELS,
}
ANSWER_CONTENT = ("status", "score", "value", "toelichting", "reason", "probes_asked")
ANSWER_EVENT_KINDS = ("answer_created", "answer_changed")
SESSION_STATUS_KINDS = ("session_finished", "session_reopened")
# Session columns that only move forward and can therefore be combined safely.
SESSION_PROGRESS = frozenset({"status", "ended", "reviewed_by", "reviewed_at"})
MERGE_EVENT_KIND = "merge"


@dataclass(frozen=True)
class Conflict:
    table: str
    key: str
    message: str


@dataclass
class SourceReport:
    """What merging one source did (or, in a dry run, would do) to the target."""

    source: Path
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    identical: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    """Cases erased in the target because the source holds their tombstone."""
    refused: list[str] = field(default_factory=list)
    """Cases erased in the target whose data the source still holds: not merged."""
    notes: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)
    """Rows removed in the source after the target's copy was made (codings, quotes, ...)."""

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or sum(self.updated.values()) or self.erased
                    or sum(self.removed.values()))

    def conflict(self, table: str, key: str, message: str) -> None:
        self.conflicts.append(Conflict(table, key, message))


# -- reading -------------------------------------------------------------------
def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _short(value: str | None) -> str:
    return (value or "")[:8]


def _snapshot(path: Path, copy: Path) -> None:
    """Copy `path` to `copy` consistently, leaving no trace next to `path`.

    A read-only SQLite connection to a WAL database creates -wal/-shm files
    beside it, which must not appear on an interviewer's file. A checkpointed
    file (no -wal) is therefore copied byte for byte, and the copy is kept
    only when the file did not change meanwhile; otherwise (a live or crashed
    file with a -wal) SQLite's backup API reads it through a read-only
    connection, whose side files exist already.
    """
    wal = path.with_name(path.name + "-wal")
    if not wal.exists():
        before = path.stat()
        shutil.copyfile(path, copy)
        after = path.stat()
        if not wal.exists() and (before.st_mtime_ns, before.st_size) == (
                after.st_mtime_ns, after.st_size):
            return
        copy.unlink()
    src = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(copy)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


@contextlib.contextmanager
def source_copy(path: Path, work: Path) -> Iterator[Store]:
    """A private copy of `path` in the current schema, in a work folder inside `work`
    (the target's folder); `path` itself is never written."""
    path = Path(path).expanduser()
    if not path.exists():
        raise StoreError(f"{path}: bestand bestaat niet")
    if path.is_dir():
        raise StoreError(f"{path}: is een map, geen databasebestand")
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: kan niet lezen ({exc.strerror})") from None
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path}: dit is geen zet-tui-database")
    try:
        tmp = scratch.new_folder(work, "merge")
    except OSError as exc:
        raise StoreError(f"{work}: kan geen werkmap voor het samenvoegen maken "
                         f"({exc.strerror or exc})") from None
    try:
        copy = tmp / "bron.db"
        try:
            _snapshot(path, copy)
            probe = sqlite3.connect(copy)
            try:
                version = probe.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in probe.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                probe.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: kan database niet lezen ({exc})") from None
        if version == 0 or not {"evaluation", "session", "answer"} <= tables:
            raise StoreError(f"{path}: dit is geen zet-tui-database")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: database heeft schemaversie {version}, deze zet-tui "
                             f"kent tot versie {SCHEMA_VERSION}; werk zet-tui bij")
        try:
            # Store.open migrates an old schema; only the copy is touched.
            store = Store.open(copy, create=False)
        except StoreError as exc:
            raise StoreError(str(exc).replace(str(copy), str(path))) from None
        try:
            yield store
        finally:
            store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_source(path: Path, work: Path) -> None:
    """Refuse anything that is not a zet-tui database this version reads, before any write."""
    with source_copy(path, work):
        pass


# -- answer lineage ---------------------------------------------------------------
def _content_of_row(row: dict[str, Any]) -> dict[str, Any]:
    content = {k: row[k] for k in ANSWER_CONTENT}
    content["probes_asked"] = json.loads(row["probes_asked"] or "[]")
    return content


def _content_of_event(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    content = {k: data.get(k) for k in ANSWER_CONTENT}
    content["probes_asked"] = list(content["probes_asked"] or [])
    return content


def _answer_events(conn: sqlite3.Connection, session_id: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for e in _rows(conn, "SELECT id, at, kind, question_id, old, new FROM event"
                         " WHERE session_id = ? AND question_id IS NOT NULL ORDER BY at, id",
                   [session_id]):
        out.setdefault(e["question_id"], []).append(e)
    return out


def _earlier_states(current: dict[str, Any],
                    events: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The values this answer had before `current`, newest first, following old → new links.

    Following the links backwards (instead of taking every recorded value) keeps
    a merged-in branch that diverged from this one out of its lineage, so a real
    conflict is still a conflict when the same file is merged again.
    """
    transitions = [(_content_of_event(json.loads(e["old"]) if e["old"] else None),
                    _content_of_event(json.loads(e["new"]) if e["new"] else None))
                   for e in events if e["kind"] in ANSWER_EVENT_KINDS]
    return analysis_merge.earlier_states(current, transitions)


def _deleted_states(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("status", "score", "value", "toelichting")
    return [{k: old.get(k) for k in keys} for e in events if e["kind"] == "answer_deleted"
            and isinstance(old := json.loads(e["old"] or "null"), dict)]


def _describe(content: dict[str, Any]) -> str:
    parts = [str(content["status"])]
    if content.get("score") is not None:
        parts.append(f"score {content['score']}")
    if content.get("value") not in (None, ""):
        parts.append(f"waarde '{content['value']}'")
    if content.get("toelichting"):
        parts.append(f"toelichting '{content['toelichting'][:40]}'")
    if content.get("reason"):
        parts.append(f"reden '{content['reason'][:40]}'")
    return ", ".join(parts)


# -- merging -------------------------------------------------------------------------
class _Merger:
    """Merges one source connection into the target inside the caller's transaction."""

    def __init__(self, src: sqlite3.Connection, tgt: sqlite3.Connection,
                 report: SourceReport, refused: Sequence[Refusal] = ()) -> None:
        self.src = src
        self.tgt = tgt
        self.report = report
        # An erased case's rows stay out; its code and names are taken out of the source's
        # evaluation texts the way the purge took them out of the target's.
        self.skipped_cases: set[str] = {r.case_id for r in refused}
        self.scrubbers: list[tuple[str, Scrubber]] = [(r.evaluation_id, r.scrubber)
                                                      for r in refused]
        self.skipped_sessions: set[str] = set()
        self.pending_sessions: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.src_newer: set[str] = set()   # sessions where the source has answers the target lacks
        self.tgt_newer: set[str] = set()   # and the other way round
        self.answer_conflicts: set[str] = set()
        self.columns = {t: _columns(tgt, t) for t in TABLES}

    def run(self) -> None:
        self._by_id("evaluation", self._evaluation_differs)
        self._cases()
        self._sessions()
        self._answers()
        self._resolve_sessions()
        # before the events: it reads the target's own history to tell newer from conflict
        analysis_merge.AnalysisMerger(self).run()
        for table in BY_ID_TABLES:
            self._by_id(table.name,
                        self._note_differs if table.name == "note" else self._plain_conflict,
                        skip=self._skip_dependent if table.dependent else None,
                        unique=table.unique)
        merge_region.merge_regions(self)

    # generic helpers
    def _insert(self, table: str, row: dict[str, Any]) -> None:
        cols = [c for c in self.columns[table] if c in row]
        self.tgt.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                         f"({', '.join('?' * len(cols))})", [row[c] for c in cols])
        self.report.added[table] += 1

    def _update(self, table: str, row: dict[str, Any], key: Sequence[str]) -> None:
        cols = [c for c in self.columns[table] if c in row and c not in key]
        self.tgt.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE "
                         f"{' AND '.join(f'{k} = ?' for k in key)}",
                         [row[c] for c in cols] + [row[k] for k in key])
        self.report.updated[table] += 1

    def _source_rows(self, table: str) -> list[dict[str, Any]]:
        cols = [c for c in _columns(self.src, table) if c in self.columns[table]]
        if not cols:
            return []
        rows = _rows(self.src, f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")
        if table in MENTION_TABLES:
            for evaluation_id, scrub in self.scrubbers:
                rows = [scrub.row(table, r) if r.get("evaluation_id") == evaluation_id else r
                        for r in rows]
        return rows

    def _target_row(self, table: str, key: Sequence[str], row: dict[str, Any]
                    ) -> dict[str, Any] | None:
        found = _rows(self.tgt, f"SELECT * FROM {table} WHERE "
                                f"{' AND '.join(f'{k} = ?' for k in key)}", [row[k] for k in key])
        return found[0] if found else None

    @staticmethod
    def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return all(a[k] == b.get(k) for k in a)

    def _by_id(self, table: str,
               differs: Callable[[str, dict[str, Any], dict[str, Any]], None], *,
               skip: Callable[[dict[str, Any]], bool] | None = None,
               unique: Sequence[str] = ()) -> None:
        for row in self._source_rows(table):
            if skip is not None and skip(row):
                self.report.skipped[table] += 1
                continue
            current = self._target_row(table, ("id",), row)
            if current is None:
                twin = self._target_row(table, unique, row) if unique else None
                if twin is None:
                    self._insert(table, row)
                elif self._same({k: v for k, v in row.items() if k not in ("id", "created")},
                                twin):
                    self.report.identical[table] += 1
                else:
                    self.report.conflict(table, row["id"], (
                        f"{TABLE_LABELS[table]}: rij {_short(row['id'])} botst met bestaande rij "
                        f"{_short(twin['id'])} ({', '.join(f'{k}={row[k]!r}' for k in unique)}); "
                        "de rij in het doel is gehouden"))
            elif self._same(row, current):
                self.report.identical[table] += 1
            else:
                differs(table, row, current)

    def _plain_conflict(self, table: str, row: dict[str, Any], current: dict[str, Any]) -> None:
        fields = [k for k in row if row[k] != current.get(k)]
        self.report.conflict(table, row["id"], (
            f"{TABLE_LABELS[table]}: rij {_short(row['id'])} verschilt in "
            f"{', '.join(fields)}; de rij in het doel is gehouden"))

    def _skip_dependent(self, row: dict[str, Any]) -> bool:
        return (row.get("session_id") in self.skipped_sessions
                or row.get("case_id") in self.skipped_cases)

    # per table
    def _evaluation_differs(self, table: str, row: dict[str, Any],
                            current: dict[str, Any]) -> None:
        fields = [k for k in row if row[k] != current.get(k)]
        self.report.conflict(table, row["id"], (
            f"evaluatie '{current['name']}' ({_short(row['id'])}) verschilt in "
            f"{', '.join(fields)}; de gegevens in het doel zijn gehouden"))

    def _cases(self) -> None:
        for row in self._source_rows("cases"):
            if row["id"] in self.skipped_cases:  # erased in the target (refused, reported)
                self.report.skipped["cases"] += 1
                continue
            current = self._target_row("cases", ("id",), row)
            if current is None:
                twin = self._target_row("cases", ("evaluation_id", "code"), row)
                if twin is not None:
                    self.skipped_cases.add(row["id"])
                    self.report.conflict("cases", row["id"], (
                        f"twee casussen met dezelfde code '{row['code']}' in evaluatie "
                        f"{_short(row['evaluation_id'])} ({_short(twin['id'])} in het doel, "
                        f"{_short(row['id'])} in de bron); deze casus uit de bron is niet "
                        "samengevoegd: geef een van beide een andere code en voeg opnieuw samen"))
                    self.report.skipped["cases"] += 1
                else:
                    self._insert("cases", row)
            elif self._same(row, current):
                self.report.identical["cases"] += 1
            else:
                self._plain_conflict("cases", row, current)

    def _sessions(self) -> None:
        for row in self._source_rows("session"):
            if row["case_id"] in self.skipped_cases:
                self.skipped_sessions.add(row["id"])
                self.report.skipped["session"] += 1
                continue
            current = self._target_row("session", ("id",), row)
            if current is None:
                self._insert("session", row)
            elif self._same(row, current):
                self.report.identical["session"] += 1
            else:
                self.pending_sessions.append((row, current))

    def _answers(self) -> None:
        by_session: dict[str, list[dict[str, Any]]] = {}
        for row in self._source_rows("answer"):
            by_session.setdefault(row["session_id"], []).append(row)
        for sid, rows in by_session.items():
            if sid in self.skipped_sessions:
                self.report.skipped["answer"] += len(rows)
                continue
            src_events = _answer_events(self.src, sid)
            tgt_events = _answer_events(self.tgt, sid)
            tgt_rows = {r["question_id"]: r for r in _rows(
                self.tgt, "SELECT * FROM answer WHERE session_id = ?", [sid])}
            if set(tgt_rows) - {r["question_id"] for r in rows}:
                self.tgt_newer.add(sid)
            for row in rows:
                self._answer(sid, row, tgt_rows.get(row["question_id"]),
                             src_events.get(row["question_id"], []),
                             tgt_events.get(row["question_id"], []))

    def _answer(self, sid: str, row: dict[str, Any], current: dict[str, Any] | None,
                src_events: list[dict[str, Any]], tgt_events: list[dict[str, Any]]) -> None:
        qid = row["question_id"]
        mine = _content_of_row(row)
        if current is None:
            short = {k: mine[k] for k in ("status", "score", "value", "toelichting")}
            if short in _deleted_states(tgt_events):
                # Deleted in the target after this copy was made: do not bring it back.
                self.report.skipped["answer"] += 1
                self.tgt_newer.add(sid)
                return
            self._insert("answer", row)
            self.src_newer.add(sid)
            return
        theirs = _content_of_row(current)
        if mine == theirs:
            self.report.identical["answer"] += 1
            return
        if mine in _earlier_states(theirs, tgt_events):
            self.report.identical["answer"] += 1  # the target continued from this value
            self.tgt_newer.add(sid)
            return
        if theirs in _earlier_states(mine, src_events):
            self._update("answer", row, ("session_id", "question_id"))
            self.src_newer.add(sid)
            return
        self.src_newer.add(sid)
        self.tgt_newer.add(sid)
        self.answer_conflicts.add(sid)
        self.report.conflict("answer", f"{sid}/{qid}", (
            f"sessie {_short(sid)}, vraag {qid}: op twee plaatsen verschillend ingevuld. "
            f"Doel: {_describe(theirs)} (bijgewerkt {current['updated']}); "
            f"bron: {_describe(mine)} (bijgewerkt {row['updated']}). "
            "Het antwoord in het doel is gehouden; de geschiedenis van beide staat in het auditlog"))

    def _status_events(self, conn: sqlite3.Connection, sid: str) -> set[str]:
        marks = ",".join("?" * len(SESSION_STATUS_KINDS))
        return {r[0] for r in conn.execute(
            f"SELECT id FROM event WHERE session_id = ? AND kind IN ({marks})",
            [sid, *SESSION_STATUS_KINDS])}

    def _resolve_sessions(self) -> None:
        for row, current in self.pending_sessions:
            sid = row["id"]
            src_q = {r[0] for r in self.src.execute(
                "SELECT question_id FROM answer WHERE session_id = ?", [sid])}
            tgt_q = {r[0] for r in self.tgt.execute(
                "SELECT question_id FROM answer WHERE session_id = ?", [sid])}
            if tgt_q - src_q:
                self.tgt_newer.add(sid)
            fields = {k for k in row if row[k] != current.get(k)}
            if not fields <= SESSION_PROGRESS:
                self._plain_conflict("session", row, current)
                continue
            merged = dict(current)
            problem = ""
            if fields & {"status", "ended"}:
                src_new = self._status_events(self.src, sid) - self._status_events(self.tgt, sid)
                tgt_new = self._status_events(self.tgt, sid) - self._status_events(self.src, sid)
                if src_new and not tgt_new and sid not in self.tgt_newer:
                    merged["status"], merged["ended"] = row["status"], row["ended"]
                elif tgt_new and not src_new and sid not in self.src_newer:
                    pass
                elif (not src_new and not tgt_new and row["status"] == "afgerond"
                      and sid not in self.tgt_newer):
                    merged["status"], merged["ended"] = row["status"], row["ended"]
                elif (not src_new and not tgt_new and current["status"] == "afgerond"
                      and sid not in self.src_newer):
                    pass
                else:
                    problem = (f"status in het doel '{current['status']}', in de bron "
                               f"'{row['status']}'")
            for k in ("reviewed_by", "reviewed_at"):
                if k in fields:
                    if current[k] is None:
                        merged[k] = row[k]
                    elif row[k] is not None:
                        problem = problem or (f"afgetekend door '{current['reviewed_by']}' in het "
                                              f"doel en door '{row['reviewed_by']}' in de bron")
            if problem:
                self.report.conflict("session", sid, (
                    f"sessie {_short(sid)} is op twee plaatsen bewerkt ({problem}); "
                    "de sessie in het doel is gehouden"))
            elif merged != current:
                self._update("session", merged, ("id",))
            else:
                self.report.identical["session"] += 1
        for sid in sorted((self.src_newer & self.tgt_newer) - self.answer_conflicts):
            if any(c.key == sid for c in self.report.conflicts):
                continue
            self.report.conflict("session", sid, (
                f"sessie {_short(sid)} is op twee plaatsen aangevuld; de antwoorden van beide "
                "kanten zijn samengevoegd (niets overschreven): controleer de sessie"))

    def _note_differs(self, table: str, row: dict[str, Any], current: dict[str, Any]) -> None:
        fields = {k for k in row if row[k] != current.get(k)}
        if fields <= {"handled_at", "handled_by"} and current["handled_at"] is None:
            self._update("note", row, ("id",))  # handled on the other laptop: that only moves on
        elif fields <= {"handled_at", "handled_by"} and row["handled_at"] is None:
            self.report.identical["note"] += 1
        else:
            self._plain_conflict(table, row, current)


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""


def merge_source(target: Store, source: Path, *, dry_run: bool = False,
                 actor: str = "") -> SourceReport:
    """Merge one source file into `target` in one transaction (rolled back on a dry run)."""
    report = SourceReport(Path(source))
    with source_copy(Path(source), target.path.parent) as src:
        try:
            with target.secure_delete(), target.write() as tgt:
                tgt.execute("PRAGMA defer_foreign_keys = ON")
                erased = apply_tombstones(src, target, Path(source), actor=actor)
                refused = refuse_erased_cases(src, target, Path(source))
                report.erased = [e.message for e in erased]
                report.refused = [r.message for r in refused]
                _Merger(src.conn, tgt, report, refused).run()
                if dry_run:
                    raise _DryRun
                if report.changed or refused:
                    target.record_event(MERGE_EVENT_KIND, actor=actor, new={
                        "source": Path(source).name,
                        "added": dict(report.added), "updated": dict(report.updated),
                        "removed": dict(report.removed),
                        "conflicts": len(report.conflicts),
                        "erased": [e.case_id for e in erased],
                        "refused": [r.case_id for r in refused]})
        except _DryRun:
            return report
        except sqlite3.Error as exc:
            raise StoreError(f"{target.path}: samenvoegen van {source} mislukt, er is niets "
                             f"veranderd ({exc})") from None
    if report.erased:
        report.notes.extend(rewrite_after_erasure(target))
    return report


def merge_files(sources: Sequence[Path], into: Path, *, dry_run: bool = False, actor: str = "",
                on_report: Callable[[SourceReport], None] | None = None) -> list[SourceReport]:
    """Merge `sources` into `into` (created when missing; never on a dry run).

    Each source is its own transaction; `on_report` hears about each as soon as
    it is committed, so a bad later file does not hide what already happened.
    """
    into = Path(into).expanduser()
    scratch.remove_leftovers(into.parent)  # copies a killed merge left behind
    for s in sources:
        if Path(s).expanduser().exists() and into.exists() and \
                Path(s).expanduser().resolve() == into.resolve():
            raise StoreError(f"{s}: bron en doel zijn hetzelfde bestand")
        check_source(Path(s), into.parent)
    reports: list[SourceReport] = []

    def merge_all(target: Store) -> list[SourceReport]:
        for s in sources:
            report = merge_source(target, Path(s), dry_run=dry_run, actor=actor)
            reports.append(report)
            if on_report is not None:
                on_report(report)
        return reports

    if dry_run and not into.exists():
        with scratch.folder(into.parent, "merge") as tmp, \
                Store.open(tmp / "doel.db") as empty_target:
            return merge_all(empty_target)
    with Store.open(into) as target:
        return merge_all(target)


# -- comparing databases ------------------------------------------------------------
def canonical_dump(conn: sqlite3.Connection, *, exclude_event_kinds: Sequence[str] = (
        MERGE_EVENT_KIND,)) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, independent of insertion order.

    Two databases with the same dump hold the same data, whichever laptop wrote
    which row first; merge events are left out because a merged file has them
    and a file where everything happened in one place does not.
    """
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in TABLES:
        cols = _columns(conn, table)
        if not cols:
            continue
        sql = f"SELECT {', '.join(cols)} FROM {table}"
        params: list[Any] = []
        if table == "event" and exclude_event_kinds:
            sql += f" WHERE kind NOT IN ({','.join('?' * len(exclude_event_kinds))})"
            params = list(exclude_event_kinds)
        rows = conn.execute(sql, params).fetchall()
        out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


def dump_hash(conn: sqlite3.Connection, *, exclude_event_kinds: Sequence[str] = ()) -> str:
    """A fingerprint of the whole content (merge events included unless excluded)."""
    dump = canonical_dump(conn, exclude_event_kinds=exclude_event_kinds)
    return hashlib.sha256(repr(sorted(dump.items())).encode()).hexdigest()
