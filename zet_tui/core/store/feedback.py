"""The feedback meeting: findings, reactions, meetings and improvement points."""

from __future__ import annotations

import json
from collections.abc import Sequence

from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError
from zet_tui.core.store.models import (
    IMPROVEMENT_STATUSES,
    Event,
    Finding,
    Improvement,
    Meeting,
    _event_row,
    _improvement,
    json_list,
)


class FeedbackStore(StoreBase):
    def upsert_finding(self, evaluation_id: str, kind: str, key: str, text: str, *,
                       actor: str = "") -> Finding:
        """Create a finding, or refresh its text; a recorded reaction is never lost."""
        stamp = ids.now()
        with self.write() as c:
            row = c.execute("SELECT id, text FROM finding WHERE evaluation_id = ? AND kind = ? AND key = ?",
                            (evaluation_id, kind, key)).fetchone()
            if row is None:
                fid = ids.new_id()
                c.execute("INSERT INTO finding (id, evaluation_id, kind, key, text, created, updated)"
                          " VALUES (?,?,?,?,?,?,?)", (fid, evaluation_id, kind, key, text, stamp, stamp))
                self._event(kind="finding_added", actor=actor, evaluation_id=evaluation_id,
                            new={"id": fid, "kind": kind, "key": key, "text": text})
            else:
                fid = row[0]
                if row[1] != text:
                    c.execute("UPDATE finding SET text = ?, updated = ? WHERE id = ?", (text, stamp, fid))
        found = self.finding(fid)
        assert found is not None
        return found

    def finding(self, finding_id: str) -> Finding | None:
        rows = self._rows("SELECT * FROM finding WHERE id = ?", [finding_id])
        if not rows and len(finding_id) >= 4:
            rows = self._rows("SELECT * FROM finding WHERE id LIKE ?", [finding_id + "%"])
        if len(rows) > 1:
            raise StoreError(f"'{finding_id}' past op meerdere bevindingen; geef meer tekens")
        return Finding(**rows[0]) if rows else None

    def findings(self, evaluation_id: str) -> list[Finding]:
        return [Finding(**r) for r in self._rows(
            "SELECT * FROM finding WHERE evaluation_id = ? ORDER BY created, rowid", [evaluation_id])]

    def record_reaction(self, finding_id: str, recognised: str, explanation: str = "", *,
                        actor: str = "") -> None:
        if recognised not in ("ja", "deels", "nee"):
            raise StoreError("herkend moet 'ja', 'deels' of 'nee' zijn")
        with self.write() as c:
            row = c.execute("SELECT evaluation_id, recognised, explanation FROM finding WHERE id = ?",
                            (finding_id,)).fetchone()
            if row is None:
                raise StoreError(f"bevinding '{finding_id}' niet gevonden")
            c.execute("UPDATE finding SET recognised = ?, explanation = ?, updated = ? WHERE id = ?",
                      (recognised, explanation.strip(), ids.now(), finding_id))
            self._event(kind="finding_reaction", actor=actor, evaluation_id=row[0],
                        old={"recognised": row[1], "explanation": row[2]},
                        new={"id": finding_id, "recognised": recognised,
                             "explanation": explanation.strip()})

    def add_meeting(self, evaluation_id: str, held_at: str, attendees: Sequence[str],
                    notes: str = "", *, actor: str = "") -> Meeting:
        meeting = Meeting(ids.new_id(), evaluation_id, held_at, tuple(a.strip() for a in attendees if a.strip()),
                          notes.strip(), ids.now())
        with self.write() as c:
            c.execute("INSERT INTO meeting (id, evaluation_id, held_at, attendees, notes, created)"
                      " VALUES (?,?,?,?,?,?)",
                      (meeting.id, evaluation_id, held_at, json.dumps(list(meeting.attendees)),
                       meeting.notes, meeting.created))
            self._event(kind="meeting_added", actor=actor, evaluation_id=evaluation_id,
                        new={"id": meeting.id, "held_at": held_at, "attendees": list(meeting.attendees)})
        return meeting

    def meetings(self, evaluation_id: str) -> list[Meeting]:
        return [Meeting(r["id"], r["evaluation_id"], r["held_at"],
                        tuple(json_list(r, "attendees", "bijeenkomst")), r["notes"], r["created"])
                for r in self._rows("SELECT * FROM meeting WHERE evaluation_id = ? ORDER BY held_at",
                                    [evaluation_id])]

    def add_improvement(self, evaluation_id: str, text: str, *, owner: str = "", due: str | None = None,
                        themes: Sequence[str] = (), findings: Sequence[str] = (),
                        actor: str = "") -> Improvement:
        text = text.strip()
        if not text:
            raise StoreError("een verbeterpunt heeft een omschrijving nodig")
        stamp = ids.now()
        imp = Improvement(ids.new_id(), evaluation_id, text, tuple(themes), tuple(findings), owner.strip(),
                          due, "open", stamp, stamp)
        with self.write() as c:
            c.execute("INSERT INTO improvement (id, evaluation_id, text, themes, findings, owner, due,"
                      " status, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (imp.id, evaluation_id, text, json.dumps(list(imp.themes)),
                       json.dumps(list(imp.findings)), imp.owner, due, "open", stamp, stamp))
            self._event(kind="improvement_added", actor=actor, evaluation_id=evaluation_id,
                        new={"id": imp.id, "text": text, "owner": imp.owner, "due": due,
                             "themes": list(imp.themes), "findings": list(imp.findings)})
        return imp

    def update_improvement(self, improvement_id: str, *, status: str | None = None,
                           owner: str | None = None, due: str | None = None, actor: str = "") -> None:
        if status is not None and status not in IMPROVEMENT_STATUSES:
            raise StoreError(f"status moet een van {', '.join(IMPROVEMENT_STATUSES)} zijn")
        current = self.improvement(improvement_id)
        changes = {k: v for k, v in (("status", status), ("owner", owner), ("due", due)) if v is not None}
        old = {k: getattr(current, k) for k in changes}
        if old == changes:
            return
        with self.write() as c:
            for key, value in changes.items():
                c.execute(f"UPDATE improvement SET {key} = ?, updated = ? WHERE id = ?",
                          (value, ids.now(), current.id))
            self._event(kind="improvement_changed", actor=actor, evaluation_id=current.evaluation_id,
                        old=old, new={"id": current.id, **changes})

    def improvement(self, improvement_id: str) -> Improvement:
        return _improvement(self._by_id("improvement", improvement_id, "verbeterpunt",
                                        "verbeterpunten"))

    def improvements(self, evaluation_id: str) -> list[Improvement]:
        return [_improvement(r) for r in self._rows(
            "SELECT * FROM improvement WHERE evaluation_id = ? ORDER BY created, rowid", [evaluation_id])]

    def improvement_history(self, improvement_id: str) -> list[Event]:
        return [e for e in self._evaluation_events(improvement_id)
                if e.kind in ("improvement_added", "improvement_changed")]

    def evaluation_events(self, evaluation_id: str) -> list[Event]:
        """Audit events recorded on the evaluation itself (meeting, findings, points, follow-up)."""
        return [
            _event_row(r) for r in self._rows("SELECT * FROM event WHERE evaluation_id = ? AND session_id IS NULL"
                                " AND case_id IS NULL ORDER BY at, rowid", [evaluation_id])
        ]

    def _evaluation_events(self, entity_id: str) -> list[Event]:
        return [
            _event_row(r) for r in self._rows("SELECT * FROM event WHERE json_extract(new, '$.id') = ?"
                                " ORDER BY at, rowid", [entity_id])
        ]
