"""Sensitive terms for pseudonymising, and erasing a case completely.

Erasure is data-driven: `CASE_ROWS` says which rows belong to a case and
`CASE_MENTIONS` which evaluation-level texts may name it, one line per table,
so a new table is one more line here (and `zet merge` erases through the same
code when a laptop's tombstone arrives).

The audit log is append-only by trigger (schema v3). Only this path may delete
or rewrite events: it puts the case's id in the `erasure` table for the length
of its transaction, and the database lets it take the id out again only after
the `case_purged` tombstone is written.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from zet_tui.core.store import ids
from zet_tui.core.store.errors import StoreError, map_error
from zet_tui.core.store.evaluations import EvaluationStore
from zet_tui.core.store.models import Case

# Rows that belong to a case, children before parents: (table, link). The link is
# "session" (its session_id is one of the case's sessions), "case" (its case_id is
# the case) or "id" (the case row itself).
CASE_ROWS: tuple[tuple[str, str], ...] = (
    ("answer", "session"),
    ("draft", "session"),
    ("note", "session"),
    ("coding", "session"),
    ("quote", "session"),
    ("event", "session"),
    ("event", "case"),
    ("sensitive_term", "case"),
    ("manual_divergence", "case"),
    ("case_summary", "case"),
    ("case_attribute", "case"),
    ("session", "case"),
    ("cases", "id"),
)
# Texts of the case's evaluation that may name the case: (table, column, holds JSON).
# The case code and the case's listed names are replaced there by `ERASED_CASE` / the
# term's replacement, so a finding like "... in 2 casussen (K-01, K-02)" keeps its meaning.
CASE_MENTIONS: tuple[tuple[str, str, bool], ...] = (
    ("finding", "text", False),
    ("finding", "explanation", False),
    ("improvement", "text", False),
    ("meeting", "notes", False),
    ("recommendation", "text", False),
    ("event", "old", True),
    ("event", "new", True),
)
# Texts of a region (regions span evaluations, so they have no evaluation_id): scrubbed
# in every region the case's evaluation belongs to or ever belonged to, and in the audit
# events of those regions (`region_created` keeps the description as it was typed).
REGION_MENTIONS: tuple[tuple[str, str, bool], ...] = (
    ("region", "name", False),
    ("region", "description", False),
)
ERASED_CASE = "[gewiste casus]"
ERASED_NAME = "[naam]"
TOMBSTONE_KIND = "case_purged"


def tombstone_case(event: dict[str, Any]) -> str | None:
    """The erased case's id in a `case_purged` event row (None when unreadable)."""
    try:
        data = json.loads(event.get("new") or "null")
    except ValueError:
        return None
    case_id = data.get("case") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, str) and case_id else None


class Scrubber:
    """Replaces a case's code and listed names in free text, on word boundaries.

    Matching is case-insensitive and longest first, as in pseudonymising, so
    "K-01" also goes when an analyst typed "k-01", and "K-010" stays.
    """

    def __init__(self, code: str, terms: Sequence[tuple[str, str]] = ()) -> None:
        self.items: list[tuple[str, str]] = []
        self.lookup: dict[str, str] = {}  # casefolded term -> replacement
        for term, replacement in [(code, ERASED_CASE), *terms]:
            term = term.strip()
            if term and term.casefold() not in self.lookup:
                self.lookup[term.casefold()] = replacement or ERASED_NAME
                self.items.append((term, replacement or ERASED_NAME))
        alternatives = sorted((t for t, _ in self.items), key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(t) for t in alternatives) + r")(?!\w)",
            re.IGNORECASE) if alternatives else None

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.group(0)
        hit = self.lookup.get(found.casefold())
        if hit is None:  # the regex and str.casefold disagree about a rare letter
            hit = next((r for t, r in self.items
                        if re.fullmatch(re.escape(t), found, re.IGNORECASE)), ERASED_NAME)
        return hit

    def text(self, value: str) -> str:
        if self.pattern is None:
            return value
        return self.pattern.sub(self._replacement, value)

    def json_text(self, value: str) -> str:
        """The same for a JSON document: only its strings change, the structure stays valid."""
        try:
            data = json.loads(value)
        except ValueError:
            return self.text(value)
        cleaned = self._walk(data)
        return value if cleaned == data else json.dumps(cleaned, ensure_ascii=False)

    def _walk(self, data: Any) -> Any:
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, list):
            return [self._walk(v) for v in data]
        if isinstance(data, dict):
            return {k: self._walk(v) for k, v in data.items()}
        return data

    def row(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """`row` with every `CASE_MENTIONS` column of `table` scrubbed."""
        out = dict(row)
        for name, column, is_json in (*CASE_MENTIONS, *REGION_MENTIONS):
            value = out.get(column)
            if name == table and isinstance(value, str) and value:
                out[column] = self.json_text(value) if is_json else self.text(value)
        return out


class ErasureStore(EvaluationStore):
    # -- privacy ----------------------------------------------------------------
    def add_sensitive_term(self, case_id: str, term: str, replacement: str = "", *,
                           actor: str = "") -> None:
        term = term.strip()
        if not term:
            raise StoreError("een te vervangen naam mag niet leeg zijn")
        with self.write() as c:
            c.execute("INSERT OR IGNORE INTO sensitive_term (id, case_id, term, replacement,"
                      " created) VALUES (?,?,?,?,?)",
                      (ids.new_id(), case_id, term, replacement.strip(), ids.now()))
            # The term itself is deliberately not logged: the audit log must not leak it.
            self._event(kind="sensitive_term_added", actor=actor, case_id=case_id)

    def sensitive_terms(self, case_id: str) -> list[tuple[str, str]]:
        return [(r["term"], r["replacement"]) for r in self._rows(
            "SELECT term, replacement FROM sensitive_term WHERE case_id = ? ORDER BY term",
            [case_id])]

    def tombstone_events(self) -> list[dict[str, Any]]:
        """The `case_purged` events, as rows: what `zet merge` carries to another file."""
        return self._rows("SELECT * FROM event WHERE kind = ? ORDER BY at, rowid",
                          [TOMBSTONE_KIND])

    def tombstones(self) -> set[str]:
        """Ids of every case erased here (or on a laptop whose file was merged in)."""
        return {case_id for row in self.tombstone_events()
                if (case_id := tombstone_case(row))}

    def case_size(self, case_id: str) -> tuple[int, int]:
        """(sessions, answers) of a case, to say what an erasure or a refusal is about."""
        row = self.conn.execute(
            "SELECT count(DISTINCT s.id), count(a.question_id) FROM session s"
            " LEFT JOIN answer a ON a.session_id = s.id WHERE s.case_id = ?",
            (case_id,)).fetchone()
        return int(row[0]), int(row[1])

    def scrubber(self, case: Case) -> Scrubber:
        return Scrubber(case.code, self.sensitive_terms(case.id))

    @contextlib.contextmanager
    def secure_delete(self) -> Iterator[None]:
        """Freed pages are zeroed while the block runs, so deleted text leaves no bytes behind
        even before a VACUUM."""
        try:
            self.conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA secure_delete = OFF")

    def purge_case(self, case_id: str, *, actor: str = "") -> dict[str, int]:
        """Delete a case and everything about it, then VACUUM so no bytes remain on disk.

        The audit event of the purge names neither the code nor any text: it keeps
        only the case's random id, as a tombstone that `zet merge` carries to other
        files. The result counts the deleted rows per table, the rewritten texts
        (`mentions`) and `checkpoint_busy` (1 when another connection kept the old
        pages in the -wal file alive).
        """
        case = self.case(case_id)
        if case is None:
            raise StoreError(f"casus '{case_id}' bestaat niet")
        with self.secure_delete(), self.write():
            counts = self.erase_case(case, actor=actor)
        counts["checkpoint_busy"] = 0 if self.vacuum() else 1
        return counts

    def erase_case(self, case: Case, *, actor: str = "",
                   tombstone: dict[str, Any] | None = None) -> dict[str, int]:
        """Erase `case` inside the caller's write transaction; see `purge_case`.

        `tombstone` is an existing `case_purged` event row (from a merged file) to
        keep instead of recording a new one. The caller runs `vacuum` after the
        commit (and `secure_delete` around the transaction) for the byte-level part.
        """
        c = self.conn
        scrub = self.scrubber(case)
        c.execute("INSERT INTO erasure (case_id) VALUES (?)", (case.id,))
        sessions = [r[0] for r in c.execute("SELECT id FROM session WHERE case_id = ?",
                                             (case.id,))]
        counts: dict[str, int] = {}
        for table, link in CASE_ROWS:
            if link == "session":
                marks = ",".join("?" * len(sessions)) or "NULL"
                sql, params = f"DELETE FROM {table} WHERE session_id IN ({marks})", sessions
            else:
                column = "case_id" if link == "case" else "id"
                sql, params = f"DELETE FROM {table} WHERE {column} = ?", [case.id]
            counts[table] = counts.get(table, 0) + c.execute(sql, params).rowcount
        counts["mentions"] = (self._scrub_mentions(case.evaluation_id, scrub)
                              + self._scrub_region_mentions(case.evaluation_id, scrub))
        if tombstone is None:
            self._event(kind=TOMBSTONE_KIND, actor=actor, evaluation_id=case.evaluation_id,
                        new={"sessions": len(sessions), "case": case.id})
        elif not c.execute("SELECT 1 FROM event WHERE id = ?", (tombstone["id"],)).fetchone():
            cols = list(tombstone)
            c.execute(f"INSERT INTO event ({', '.join(cols)}) VALUES "
                      f"({', '.join('?' * len(cols))})", [tombstone[k] for k in cols])
        c.execute("DELETE FROM erasure WHERE case_id = ?", (case.id,))
        return counts

    def _scrub_region_mentions(self, evaluation_id: str, scrub: Scrubber) -> int:
        """A region's name and description are typed by hand and may name the case, as may
        the audit events that recorded them (their evaluation_id is empty)."""
        regions = {r["region_id"] for r in self._rows(
            "SELECT region_id FROM region_member WHERE evaluation_id = ?", [evaluation_id])}
        for row in self._rows("SELECT new FROM event WHERE evaluation_id = ? AND kind ="
                              " 'region_member_added'", [evaluation_id]):
            try:
                data = json.loads(row["new"] or "null")
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("region"), str):
                regions.add(data["region"])
        changed = 0
        for region_id in sorted(regions):
            for table, column, _ in REGION_MENTIONS:
                for row in self._rows(f"SELECT rowid AS rid, {column} FROM {table}"
                                      " WHERE id = ?", [region_id]):
                    changed += self._scrub_row(table, column, row, scrub)
            for row in self._rows("SELECT rowid AS rid, old, new FROM event WHERE"
                                  " evaluation_id IS NULL AND kind LIKE 'region%'"
                                  " AND (old LIKE ? OR new LIKE ?)",
                                  [f'%"{region_id}"%'] * 2):
                for column in ("old", "new"):
                    if row[column]:
                        changed += self._scrub_row("event", column, row, scrub)
        return changed

    def _scrub_row(self, table: str, column: str, row: dict[str, Any], scrub: Scrubber) -> int:
        new = scrub.row(table, row)[column]
        if new == row[column]:
            return 0
        self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (new, row["rid"]))
        return 1

    def _scrub_mentions(self, evaluation_id: str, scrub: Scrubber) -> int:
        changed = 0
        for table, column, _ in CASE_MENTIONS:
            rows = self._rows(f"SELECT rowid AS rid, {column} FROM {table}"
                              f" WHERE evaluation_id = ? AND {column} IS NOT NULL",
                              [evaluation_id])
            changed += sum(self._scrub_row(table, column, row, scrub) for row in rows)
        return changed
