"""Sensitive terms for pseudonymising, and purging a case completely."""

from __future__ import annotations

import contextlib
import sqlite3

from zet_tui.core.store import ids
from zet_tui.core.store.errors import StoreError, map_error
from zet_tui.core.store.evaluations import EvaluationStore


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

    def purge_case(self, case_id: str, *, actor: str = "") -> dict[str, int]:
        """Delete a case and everything about it, then VACUUM so no bytes remain on disk.

        `secure_delete` zeroes freed pages even if the VACUUM afterwards cannot
        run; the audit event of the purge names neither the code nor any text.
        The event keeps only the case's random id, as a tombstone for `zet merge`.
        The result counts the deleted rows per table, plus `checkpoint_busy`
        (1 when another connection kept the old pages in the -wal file alive).
        """
        counts: dict[str, int] = {}
        case = self.case(case_id)
        if case is None:
            raise StoreError(f"casus '{case_id}' bestaat niet")
        try:
            self.conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        try:
            with self.write() as c:
                sessions = [r[0] for r in c.execute("SELECT id FROM session WHERE case_id = ?",
                                                     (case_id,))]
                marks = ",".join("?" * len(sessions)) or "NULL"
                for table in ("answer", "draft", "note", "event"):
                    counts[table] = c.execute(
                        f"DELETE FROM {table} WHERE session_id IN ({marks})", sessions).rowcount
                counts["event"] += c.execute("DELETE FROM event WHERE case_id = ?",
                                             (case_id,)).rowcount
                counts["sensitive_term"] = c.execute(
                    "DELETE FROM sensitive_term WHERE case_id = ?", (case_id,)).rowcount
                counts["session"] = c.execute("DELETE FROM session WHERE case_id = ?",
                                              (case_id,)).rowcount
                counts["cases"] = c.execute("DELETE FROM cases WHERE id = ?",
                                            (case_id,)).rowcount
                # The random id (not the code) stays as a tombstone, so `zet merge`
                # never brings the case back from another laptop's copy.
                self._event(kind="case_purged", actor=actor, evaluation_id=case.evaluation_id,
                            new={"sessions": len(sessions), "case": case_id})
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA secure_delete = OFF")
        counts["checkpoint_busy"] = 0 if self.vacuum() else 1
        return counts
