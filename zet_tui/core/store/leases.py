"""The writer's lease of a session (see `core.lease` for the rules) and its checks."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from typing import Any

from zet_tui.core.lease import Lease, describe, this_host
from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError, map_error

_COLUMNS = ("session_id, holder, pid, host, interviewer, acquired, heartbeat, question_id,"
            " theme_id")


def _lease(row: Sequence[Any] | None) -> Lease | None:
    if row is None:
        return None
    sid, holder, pid, host, interviewer, acquired, heartbeat, qid, tid = row
    return Lease(sid, holder, int(pid), host, interviewer, acquired, heartbeat, qid, tid)


def _read(conn: sqlite3.Connection, session_id: str) -> Lease | None:
    return _lease(conn.execute(f"SELECT {_COLUMNS} FROM session_lease WHERE session_id = ?",
                               (session_id,)).fetchone())


def check_writer(conn: sqlite3.Connection, session_id: str, holder: str | None) -> None:
    """Inside a write transaction: refuse when another app holds this session's lease.

    Without a holder (the CLI, a merge, the tests) nothing is checked; a lease
    that is free (stale, its process gone) does not block either.
    """
    if holder is None:
        return
    lease = _read(conn, session_id)
    if lease is not None and lease.holder != holder and not lease.is_free():
        raise StoreError(f"{describe(lease)} werkt nu in deze sessie in een andere app; "
                         "hier is niets opgeslagen")


class LeaseStore(StoreBase):
    # -- one writer per session -------------------------------------------------
    def claim_session(self, session_id: str, holder: str, *, interviewer: str = "",
                      question_id: str | None = None, theme_id: str | None = None,
                      pid: int | None = None, host: str | None = None) -> Lease | None:
        """Take the writer's lease of a session: None when it is ours now, otherwise the
        live lease of the app that writes it (this one may then only read)."""
        stamp = ids.now()
        pid = os.getpid() if pid is None else pid
        host = this_host() if host is None else host
        with self.write() as c:
            current = _read(c, session_id)
            if current is not None and current.holder != holder and not current.is_free():
                return current
            c.execute(
                f"INSERT INTO session_lease ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (session_id) DO UPDATE SET holder = excluded.holder,"
                " pid = excluded.pid, host = excluded.host, interviewer = excluded.interviewer,"
                " acquired = excluded.acquired, heartbeat = excluded.heartbeat,"
                " question_id = excluded.question_id, theme_id = excluded.theme_id",
                (session_id, holder, pid, host, interviewer, stamp, stamp, question_id, theme_id))
            if current is None or current.holder != holder:
                # The audit log names the process, not the computer: hostnames are personal.
                old = None if current is None else {
                    "pid": current.pid, "interviewer": current.interviewer,
                    "heartbeat": current.heartbeat,
                    "reason": "proces gestopt" if current.process_gone() else "geen hartslag"}
                self._event(kind="session_taken_over" if current else "session_claimed",
                            actor=interviewer, session_id=session_id, old=old, new={"pid": pid})
        return None

    def renew_lease(self, session_id: str, holder: str, *, question_id: str | None = None,
                    theme_id: str | None = None) -> Lease | None:
        """The heartbeat: None while the lease is ours, else the lease that replaced it.

        A lease that disappeared (the session was purged, a tool cleared it) is not
        taken again silently: the app learns it has lost the session."""
        with self.write() as c:
            done = c.execute(
                "UPDATE session_lease SET heartbeat = ?, question_id = ?, theme_id = ?"
                " WHERE session_id = ? AND holder = ?",
                (ids.now(), question_id, theme_id, session_id, holder)).rowcount
            if done:
                return None
            current = _read(c, session_id)
        if current is not None:
            return current
        stamp = ids.now()
        return Lease(session_id, "", 0, "", "", stamp, stamp)

    def release_lease(self, session_id: str, holder: str, *, actor: str = "") -> None:
        """Give the session free (a clean exit); someone else's lease is left alone."""
        with self.write() as c:
            done = c.execute("DELETE FROM session_lease WHERE session_id = ? AND holder = ?",
                             (session_id, holder)).rowcount
            if done:
                self._event(kind="session_released", actor=actor, session_id=session_id)

    def lease(self, session_id: str) -> Lease | None:
        """The session's lease as stored (free or not: see `Lease.is_free`)."""
        try:
            return _read(self.conn, session_id)
        except sqlite3.Error as exc:
            raise map_error(exc, self.path) from None

    def live_leases(self) -> dict[str, Lease]:
        """Sessions that an app is writing right now, by session id."""
        rows = self._rows(f"SELECT {_COLUMNS} FROM session_lease")
        leases = (_lease(tuple(r.values())) for r in rows)
        return {lease.session_id: lease for lease in leases
                if lease is not None and not lease.is_free()}
