"""Drafts of unsaved answers: one small upsert per change, no audit event.

Written often (shortly after each change while the interviewer types), so a
draft write is cheap: one statement, no audit event, and without the fsync that
a saved answer gets (`synchronous = NORMAL` for that one transaction). A killed
process or a closed terminal keeps it (the bytes are in the file's WAL); only a
power cut may lose the last drafts. It never waits long for another writer: a
draft that cannot be written now is written at the next change or navigation.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator

from zet_tui.core.drafts import Draft
from zet_tui.core.store import ids
from zet_tui.core.store.base import BUSY_TIMEOUT_MS, StoreBase
from zet_tui.core.store.errors import StoreBusy, map_error
from zet_tui.core.store.models import _probes

#: How long a draft write waits for another process's write lock (ms).
DRAFT_BUSY_MS = 200


#: Another process holds the write lock; the draft stays in memory for now.
DraftBusy = StoreBusy


class DraftStore(StoreBase):
    @contextlib.contextmanager
    def _light_write(self) -> Iterator[sqlite3.Connection]:
        """`write` without the fsync and with a short busy wait (`DraftBusy` after it)."""
        c = self.conn
        try:
            c.execute("PRAGMA synchronous = NORMAL")
            c.execute(f"PRAGMA busy_timeout = {DRAFT_BUSY_MS}")
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None
        try:
            with self.write() as conn:
                yield conn
        finally:
            with contextlib.suppress(sqlite3.Error):
                c.execute("PRAGMA synchronous = FULL")
                c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def save_draft(self, session_id: str, draft: Draft) -> Draft:
        """Upsert the draft of one question (raises `DraftBusy` when another writer is busy)."""
        stamp = ids.now()
        with self._light_write() as c:
            c.execute(
                "INSERT INTO draft (session_id, question_id, status, score, value, toelichting,"
                " probes_asked, updated) VALUES (?,?,?,?,?,?,?,?)"
                " ON CONFLICT (session_id, question_id) DO UPDATE SET status = excluded.status,"
                " score = excluded.score, value = excluded.value,"
                " toelichting = excluded.toelichting, probes_asked = excluded.probes_asked,"
                " updated = excluded.updated",
                (session_id, draft.question_id, draft.status, draft.score, draft.value,
                 draft.toelichting, json.dumps(list(draft.probes_asked)), stamp))
        return Draft(draft.question_id, draft.status, draft.score, draft.value, draft.toelichting,
                     tuple(draft.probes_asked), stamp)

    def delete_draft(self, session_id: str, question_id: str) -> None:
        with self._light_write() as c:
            c.execute("DELETE FROM draft WHERE session_id = ? AND question_id = ?",
                      (session_id, question_id))

    def drafts(self, session_id: str) -> dict[str, Draft]:
        return {r["question_id"]: Draft(r["question_id"], r["status"], r["score"], r["value"],
                                        r["toelichting"], _probes(r["probes_asked"]), r["updated"])
                for r in self._rows("SELECT * FROM draft WHERE session_id = ?", [session_id])}
