"""Notes and follow-up flags of the second person."""

from __future__ import annotations

from collections.abc import Sequence

from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError
from zet_tui.core.store.models import Note, NoteRole


class NoteStore(StoreBase):
    # -- notes and follow-up flags ----------------------------------------------
    def add_note(self, session_id: str, text: str, *, kind: str = "note",
                 question_id: str | None = None, theme_id: str | None = None,
                 author: str = "", role: str = NoteRole.REVIEWER) -> Note:
        """A note or follow-up flag; `role` says who wrote it (a flag is always the reviewer's)."""
        text = text.strip()
        if not text:
            raise StoreError("een notitie mag niet leeg zijn")
        if kind not in ("note", "flag"):
            raise StoreError(f"onbekend soort notitie '{kind}'")
        if role not in tuple(NoteRole):
            raise StoreError(f"onbekende rol '{role}' bij een notitie")
        note = Note(ids.new_id(), session_id, question_id, theme_id, kind, text, author.strip(),
                    ids.now(), None, None, NoteRole(role))
        with self.write() as c:
            c.execute(
                "INSERT INTO note (id, session_id, question_id, theme_id, kind, text, author,"
                " created, role) VALUES (?,?,?,?,?,?,?,?,?)",
                (note.id, session_id, question_id, theme_id, kind, text, note.author,
                 note.created, str(note.role)),
            )
            self._event(kind=f"{kind}_added", actor=author, session_id=session_id,
                        question_id=question_id,
                        new={"id": note.id, "text": text, "theme_id": theme_id,
                             "role": str(note.role)})
        return note

    def handle_note(self, note_id: str, *, actor: str = "") -> None:
        stamp = ids.now()
        with self.write() as c:
            row = c.execute("SELECT session_id, question_id FROM note WHERE id = ?",
                            (note_id,)).fetchone()
            if row is None:
                raise StoreError(f"notitie '{note_id}' niet gevonden")
            c.execute("UPDATE note SET handled_at = ?, handled_by = ? WHERE id = ?",
                      (stamp, actor, note_id))
            self._event(kind="note_handled", actor=actor, session_id=row[0],
                        question_id=row[1], new={"id": note_id, "handled_at": stamp})

    def notes(self, session_id: str) -> list[Note]:
        return [Note(**r) for r in self._rows(
            "SELECT id, session_id, question_id, theme_id, kind, text, author, created,"
            " handled_at, handled_by, role FROM note WHERE session_id = ? ORDER BY created, rowid",
            [session_id])]

    def notes_for_sessions(self, session_ids: Sequence[str]) -> dict[str, list[Note]]:
        out: dict[str, list[Note]] = {sid: [] for sid in session_ids}
        if not session_ids:
            return out
        marks = ",".join("?" * len(session_ids))
        for r in self._rows(
                "SELECT id, session_id, question_id, theme_id, kind, text, author, created,"
                f" handled_at, handled_by, role FROM note WHERE session_id IN ({marks})"
                " ORDER BY created, rowid", list(session_ids)):
            out[r["session_id"]].append(Note(**r))
        return out
