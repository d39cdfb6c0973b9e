"""Evaluations and their cases."""

from __future__ import annotations

import json
from collections.abc import Sequence

from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError
from zet_tui.core.store.models import Case, Evaluation, _case, _evaluation


class EvaluationStore(StoreBase):
    # -- evaluations ------------------------------------------------------------
    def create_evaluation(self, name: str, municipality: str = "",
                          themes: Sequence[str] | None = None, *, actor: str = "",
                          follows_id: str | None = None) -> Evaluation:
        name = name.strip()
        if not name:
            raise StoreError("een evaluatie heeft een naam nodig")
        ev = Evaluation(ids.new_id(), name, municipality.strip(),
                        tuple(themes) if themes else None, ids.now(), follows_id)
        with self.write() as c:
            c.execute(
                "INSERT INTO evaluation (id, name, municipality, themes, created, follows_id)"
                " VALUES (?,?,?,?,?,?)",
                (ev.id, ev.name, ev.municipality,
                 None if ev.themes is None else json.dumps(list(ev.themes)), ev.created,
                 follows_id),
            )
            self._event(kind="evaluation_created", actor=actor, evaluation_id=ev.id,
                        new={"name": ev.name, "municipality": ev.municipality,
                             "themes": ev.themes})
        return ev

    def evaluations(self, *, damaged: list[str] | None = None) -> list[Evaluation]:
        """Newest first. A damaged evaluation raises `DamagedData`; given a `damaged` list,
        its message goes there instead and the others are returned."""
        rows = self._rows("SELECT * FROM evaluation ORDER BY created DESC", damaged=damaged)
        return self._mapped(rows, _evaluation, damaged)

    def evaluation(self, evaluation_id: str) -> Evaluation | None:
        rows = self._rows("SELECT * FROM evaluation WHERE id = ?", [evaluation_id])
        return _evaluation(rows[0]) if rows else None

    def find_evaluation(self, ref: str) -> Evaluation:
        """By id, unique id prefix or exact name (case-insensitive), for the CLI."""
        ref = ref.strip()
        rows = self._rows("SELECT * FROM evaluation WHERE id = ? OR lower(name) = lower(?)",
                          [ref, ref])
        if not rows and len(ref) >= 4:
            rows = self._rows("SELECT * FROM evaluation WHERE id LIKE ?", [ref + "%"])
        if not rows:
            raise StoreError(f"evaluatie '{ref}' niet gevonden (zie 'zet evaluations')")
        if len(rows) > 1:
            raise StoreError(f"'{ref}' past op meerdere evaluaties; geef het id")
        return _evaluation(rows[0])

    # -- cases ----------------------------------------------------------------
    def add_case(self, evaluation_id: str, code: str, label: str = "", *,
                 actor: str = "") -> Case:
        code = code.strip()
        if not code:
            raise StoreError("een casus heeft een code nodig (een pseudoniem, geen echte naam)")
        if self.evaluation(evaluation_id) is None:
            raise StoreError(f"evaluatie '{evaluation_id}' bestaat niet")
        if self._rows("SELECT 1 FROM cases WHERE evaluation_id = ? AND code = ?",
                      [evaluation_id, code]):
            raise StoreError(f"casus '{code}' bestaat al in deze evaluatie")
        case = Case(ids.new_id(), evaluation_id, code, label.strip(), "", ids.now())
        with self.write() as c:
            c.execute("INSERT INTO cases (id, evaluation_id, code, label, notes, created)"
                      " VALUES (?,?,?,?,?,?)",
                      (case.id, evaluation_id, code, case.label, "", case.created))
            self._event(kind="case_created", actor=actor, case_id=case.id,
                        evaluation_id=evaluation_id, new={"code": code, "label": case.label})
        return case

    def cases(self, evaluation_id: str | None = None, *,
              damaged: list[str] | None = None) -> list[Case]:
        """By code. Damage as in `evaluations`."""
        if evaluation_id is None:
            rows = self._rows("SELECT * FROM cases ORDER BY code", damaged=damaged)
        else:
            rows = self._rows("SELECT * FROM cases WHERE evaluation_id = ? ORDER BY code",
                              [evaluation_id], damaged=damaged)
        return [_case(r) for r in rows]

    def case(self, case_id: str) -> Case | None:
        rows = self._rows("SELECT * FROM cases WHERE id = ?", [case_id])
        return _case(rows[0]) if rows else None

    def find_case(self, code: str, evaluation_id: str | None = None) -> Case:
        code = code.strip()
        if evaluation_id:
            rows = self._rows("SELECT * FROM cases WHERE code = ? AND evaluation_id = ?",
                              [code, evaluation_id])
        else:
            rows = self._rows("SELECT * FROM cases WHERE code = ? OR id = ?", [code, code])
        if not rows:
            raise StoreError(f"casus '{code}' niet gevonden")
        if len(rows) > 1:
            raise StoreError(f"casus '{code}' komt in meerdere evaluaties voor; "
                             "geef ook --evaluation")
        return _case(rows[0])

    # -- feedback meeting and improvement points (issue 9) -------------------------
    def evaluation_follow_ups(self, evaluation_id: str) -> list[Evaluation]:
        return [_evaluation(r) for r in self._rows(
            "SELECT * FROM evaluation WHERE follows_id = ? ORDER BY created", [evaluation_id])]

    def set_follows(self, evaluation_id: str, follows_id: str | None, *, actor: str = "") -> None:
        if follows_id == evaluation_id:
            raise StoreError("een evaluatie kan geen vervolg op zichzelf zijn")
        with self.write() as c:
            old = c.execute("SELECT follows_id FROM evaluation WHERE id = ?",
                            (evaluation_id,)).fetchone()
            if old is None:
                raise StoreError(f"evaluatie '{evaluation_id}' niet gevonden")
            c.execute("UPDATE evaluation SET follows_id = ? WHERE id = ?", (follows_id, evaluation_id))
            self._event(kind="evaluation_follows", actor=actor, evaluation_id=evaluation_id,
                        old={"follows_id": old[0]}, new={"follows_id": follows_id})
