"""The analyst's view of a case and an evaluation: manual divergences, summaries, attributes,
recommendations.

Case-level rows carry `case_id` (so `zet purge` removes them with the case and
their audit events), the recommendations `evaluation_id`. Summaries, attributes
and recommendations are keyed by what they describe (a case; a case and an
attribute name; an evaluation and a finding key), not by a random id: two
analysts who write the summary of the same case on two laptops edit the same
thing, and `zet merge` reports that as a conflict.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError
from zet_tui.core.vocab import PERSPECTIVE_LABELS

SUMMARY_FIELDS = ("hulpvraag", "knelpunten", "succesfactoren", "totaalbeeld")
SUMMARY_LABELS = {"hulpvraag": "Hulpvraag", "knelpunten": "Knelpunten",
                  "succesfactoren": "Succesfactoren", "totaalbeeld": "Totaalbeeld"}
DIVERGENCE_COLUMNS = ("id", "case_id", "theme_id", "perspective_a", "perspective_b",
                      "question_key", "note", "author", "created", "updated")
ATTRIBUTE_NAME_RE = re.compile(r"^[^\W_][\w -]{0,39}$")
MAX_NOTE = 2000
MAX_VALUE = 200

if TYPE_CHECKING:
    # Imported where they are built (as in store/codings.py): opening an interview never
    # reads them, and defining these classes cost the app's start ~3 ms.
    from zet_tui.core.coding import CaseSummary, ManualDivergence, Recommendation


def attribute_name(name: str) -> str:
    """Attribute names compare case-insensitively: 'Domein' and 'domein' are one attribute."""
    clean = " ".join(name.split()).lower()
    if not ATTRIBUTE_NAME_RE.match(clean):
        raise StoreError(f"ongeldige kenmerknaam '{name}': begin met een letter of cijfer, "
                         "hoogstens 40 tekens (letters, cijfers, spatie, '-' of '_')")
    return clean


def _divergence(r: dict[str, Any]) -> ManualDivergence:
    from zet_tui.core.coding import ManualDivergence

    return ManualDivergence(r["id"], r["case_id"], r["theme_id"],
                            (r["perspective_a"], r["perspective_b"]), r["note"],
                            r["question_key"], r["author"], r["created"])


class CaseAnalysisStore(StoreBase):
    def _case_evaluation(self, case_id: str) -> str:
        rows = self._rows("SELECT evaluation_id FROM cases WHERE id = ?", [case_id])
        if not rows:
            raise StoreError(f"casus '{case_id}' bestaat niet")
        return str(rows[0]["evaluation_id"])

    # -- manual divergences -----------------------------------------------------------
    def add_manual_divergence(self, case_id: str, theme_id: str, perspectives: tuple[str, str],
                              note: str, *, question_key: str | None = None,
                              actor: str = "") -> ManualDivergence:
        """Record a difference between two perspectives that the scores do not show."""
        from zet_tui.core.coding import ManualDivergence

        a, b = (p.strip().lower() for p in perspectives)
        for p in (a, b):
            if p not in PERSPECTIVE_LABELS:
                raise StoreError(f"onbekend perspectief '{p}' (kies: "
                                 f"{', '.join(PERSPECTIVE_LABELS)})")
        if a == b:
            raise StoreError("een verschil gaat over twee verschillende perspectieven")
        note = note.strip()
        if not note:
            raise StoreError("beschrijf het verschil in een korte notitie")
        if len(note) > MAX_NOTE:
            raise StoreError(f"een notitie is hoogstens {MAX_NOTE} tekens")
        if not theme_id.strip():
            raise StoreError("een verschil hoort bij een thema")
        evaluation_id = self._case_evaluation(case_id)
        stamp = ids.now()
        div = ManualDivergence(ids.new_id(), case_id, theme_id.strip(), (a, b), note,
                               question_key or None, actor.strip(), stamp)
        with self.write() as c:
            c.execute("INSERT INTO manual_divergence (id, case_id, theme_id, perspective_a,"
                      " perspective_b, question_key, note, author, created, updated)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (div.id, case_id, div.theme_id, a, b, div.question_key, note, div.author,
                       stamp, stamp))
            self._event(kind="divergence_added", actor=actor, case_id=case_id,
                        evaluation_id=evaluation_id,
                        new={"id": div.id, "theme_id": div.theme_id, "perspectives": [a, b],
                             "question_key": div.question_key, "note": note})
        return div

    def remove_manual_divergence(self, divergence_id: str, *, actor: str = "") -> None:
        row = self._by_id("manual_divergence", divergence_id, "verschil", "verschillen",
                          DIVERGENCE_COLUMNS)
        with self.write() as c:
            c.execute("DELETE FROM manual_divergence WHERE id = ?", (row["id"],))
            self._event(kind="divergence_removed", actor=actor, case_id=row["case_id"],
                        old={"id": row["id"], "theme_id": row["theme_id"], "note": row["note"],
                             "perspectives": [row["perspective_a"], row["perspective_b"]],
                             "question_key": row["question_key"]})

    def manual_divergences(self, evaluation_id: str) -> list[ManualDivergence]:
        cols = ", ".join(f"d.{c}" for c in DIVERGENCE_COLUMNS)
        return [_divergence(r) for r in self._rows(
            f"SELECT {cols} FROM manual_divergence d JOIN cases k ON k.id = d.case_id"
            " WHERE k.evaluation_id = ? ORDER BY d.created, d.rowid", [evaluation_id])]

    # -- case summaries -------------------------------------------------------------------
    def set_case_summary(self, case_id: str, *, actor: str = "",
                         **fields: str | None) -> CaseSummary:
        """Change the given parts of a case's summary (hulpvraag, knelpunten, ...); others stay."""
        from zet_tui.core.coding import CaseSummary

        unknown = set(fields) - set(SUMMARY_FIELDS)
        if unknown:
            raise StoreError(f"onbekend deel van de samenvatting: {', '.join(sorted(unknown))}")
        evaluation_id = self._case_evaluation(case_id)
        current = self.case_summary(case_id) or CaseSummary(case_id)
        old = {f: getattr(current, f) for f in SUMMARY_FIELDS}
        new = {f: (old[f] if fields.get(f) is None else str(fields[f]).strip())
               for f in SUMMARY_FIELDS}
        for f, value in new.items():
            if len(value) > MAX_NOTE:
                raise StoreError(f"{SUMMARY_LABELS[f]} is hoogstens {MAX_NOTE} tekens")
        if new == old:
            return current
        stamp = ids.now()
        with self.write() as c:
            c.execute("INSERT INTO case_summary (case_id, hulpvraag, knelpunten, succesfactoren,"
                      " totaalbeeld, updated, updated_by) VALUES (?,?,?,?,?,?,?)"
                      " ON CONFLICT (case_id) DO UPDATE SET hulpvraag = excluded.hulpvraag,"
                      " knelpunten = excluded.knelpunten,"
                      " succesfactoren = excluded.succesfactoren,"
                      " totaalbeeld = excluded.totaalbeeld, updated = excluded.updated,"
                      " updated_by = excluded.updated_by",
                      (case_id, *new.values(), stamp, actor.strip()))
            self._event(kind="case_summary_changed", actor=actor, case_id=case_id,
                        evaluation_id=evaluation_id, old=old, new=new)
        return CaseSummary(case_id, updated=stamp, **new)

    def case_summary(self, case_id: str) -> CaseSummary | None:
        rows = self._rows("SELECT * FROM case_summary WHERE case_id = ?", [case_id])
        return _summary(rows[0]) if rows else None

    def case_summaries(self, evaluation_id: str) -> dict[str, CaseSummary]:
        return {r["case_id"]: _summary(r) for r in self._rows(
            "SELECT s.* FROM case_summary s JOIN cases k ON k.id = s.case_id"
            " WHERE k.evaluation_id = ? ORDER BY k.code", [evaluation_id])}

    # -- case attributes --------------------------------------------------------------------
    def set_case_attribute(self, case_id: str, name: str, value: str, *,
                           actor: str = "") -> None:
        """Set an attribute (domein, gemeente, or a free one); an empty value removes it."""
        name = attribute_name(name)
        value = " ".join(value.split())
        if len(value) > MAX_VALUE:
            raise StoreError(f"de waarde van '{name}' is hoogstens {MAX_VALUE} tekens")
        evaluation_id = self._case_evaluation(case_id)
        with self.write() as c:
            row = c.execute("SELECT value FROM case_attribute WHERE case_id = ? AND name = ?",
                            (case_id, name)).fetchone()
            old = None if row is None else row[0]
            if old == (value or None):
                return
            if value:
                c.execute("INSERT INTO case_attribute (case_id, name, value, updated, updated_by)"
                          " VALUES (?,?,?,?,?) ON CONFLICT (case_id, name) DO UPDATE SET"
                          " value = excluded.value, updated = excluded.updated,"
                          " updated_by = excluded.updated_by",
                          (case_id, name, value, ids.now(), actor.strip()))
            else:
                c.execute("DELETE FROM case_attribute WHERE case_id = ? AND name = ?",
                          (case_id, name))
            self._event(kind="case_attribute_changed", actor=actor, case_id=case_id,
                        evaluation_id=evaluation_id, old={"name": name, "value": old},
                        new={"name": name, "value": value or None})

    def case_attributes(self, evaluation_id: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for r in self._rows("SELECT a.case_id, a.name, a.value FROM case_attribute a"
                            " JOIN cases k ON k.id = a.case_id WHERE k.evaluation_id = ?"
                            " ORDER BY k.code, a.name", [evaluation_id]):
            out.setdefault(r["case_id"], {})[r["name"]] = r["value"]
        return out

    # -- recommendations --------------------------------------------------------------------
    def set_recommendation(self, evaluation_id: str, finding_key: str, text: str, *,
                           actor: str = "") -> Recommendation | None:
        """The analyst's recommendation on a finding; an empty text removes it."""
        from zet_tui.core.coding import Recommendation

        key = finding_key.strip()
        if not key:
            raise StoreError("een aanbeveling hoort bij een bevinding (sleutel ontbreekt)")
        text = text.strip()
        if len(text) > MAX_NOTE:
            raise StoreError(f"een aanbeveling is hoogstens {MAX_NOTE} tekens")
        if not self.evaluation_exists(evaluation_id):
            raise StoreError(f"evaluatie '{evaluation_id}' bestaat niet")
        stamp = ids.now()
        with self.write() as c:
            row = c.execute("SELECT text FROM recommendation WHERE evaluation_id = ? AND"
                            " finding_key = ?", (evaluation_id, key)).fetchone()
            old = None if row is None else row[0]
            if old == (text or None):
                return self.recommendations(evaluation_id).get(key)
            if text:
                c.execute("INSERT INTO recommendation (evaluation_id, finding_key, text, author,"
                          " updated) VALUES (?,?,?,?,?) ON CONFLICT (evaluation_id, finding_key)"
                          " DO UPDATE SET text = excluded.text, author = excluded.author,"
                          " updated = excluded.updated",
                          (evaluation_id, key, text, actor.strip(), stamp))
            else:
                c.execute("DELETE FROM recommendation WHERE evaluation_id = ? AND finding_key = ?",
                          (evaluation_id, key))
            self._event(kind="recommendation_changed", actor=actor, evaluation_id=evaluation_id,
                        old={"finding_key": key, "text": old},
                        new={"finding_key": key, "text": text or None})
        return Recommendation(evaluation_id, key, text, actor.strip(), stamp) if text else None

    def recommendations(self, evaluation_id: str) -> dict[str, Recommendation]:
        from zet_tui.core.coding import Recommendation

        return {r["finding_key"]: Recommendation(r["evaluation_id"], r["finding_key"], r["text"],
                                                 r["author"], r["updated"])
                for r in self._rows("SELECT * FROM recommendation WHERE evaluation_id = ?"
                                    " ORDER BY finding_key", [evaluation_id])}

    def evaluation_exists(self, evaluation_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM evaluation WHERE id = ?", [evaluation_id]))


def _summary(r: dict[str, Any]) -> CaseSummary:
    from zet_tui.core.coding import CaseSummary

    return CaseSummary(r["case_id"], r["hulpvraag"], r["knelpunten"], r["succesfactoren"],
                       r["totaalbeeld"], r["updated"])
