"""Codings and quotes: the analyst's marks on answers and on fragments of their toelichting.

A fragment is validated against the toelichting as stored, inside the write
transaction: the offsets are widened to whole characters (`core/anchors.snap`)
and trimmed of surrounding spaces, and the fragment's text is copied, so a
later edit of the toelichting can be detected (the coding is then *stale*; it
is never moved by the store). Every write has its audit event (`coding_added`,
`coding_changed`, `coding_removed`, and the same for quotes) with the row's
content before and after, which `zet merge` uses to tell a continuation from a
conflict and to keep a removed coding removed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from zet_tui.core import anchors
from zet_tui.core.questionnaire import ID_RE
from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError

CODING_COLUMNS = ("id", "session_id", "question_id", "code_id", "polarity", "start_pos",
                  "end_pos", "fragment", "memo", "author", "created", "updated")
QUOTE_COLUMNS = ("id", "session_id", "question_id", "start_pos", "end_pos", "fragment", "memo",
                 "author", "created", "updated")
#: The columns whose change is an edit (merge compares these; timestamps and author are not content).
CODING_CONTENT = ("session_id", "question_id", "code_id", "polarity", "start_pos", "end_pos",
                  "fragment", "memo")
QUOTE_CONTENT = ("session_id", "question_id", "start_pos", "end_pos", "fragment", "memo")
MAX_MEMO = 2000
#: For "'ab12' past op meerdere ..." (was 'citaaten').
PLURAL = {"codering": "coderingen", "citaat": "citaten"}
T = TypeVar("T")

if TYPE_CHECKING:
    # Imported where a coding is built: the interview app opens a store without ever
    # reading one, and defining these classes cost its start ~3 ms.
    from zet_tui.core.coding import Coding, Polarity, Quote


def polarity_of(value: str) -> Polarity:
    from zet_tui.core.coding import Polarity

    try:
        return Polarity(value.strip().lower())
    except ValueError:
        raise StoreError(f"onbekende polariteit '{value}' (kies: "
                         f"{', '.join(p.value for p in Polarity)})") from None


def _coding(r: dict[str, Any]) -> Coding:
    from zet_tui.core.coding import Coding, Polarity

    return Coding(r["id"], r["session_id"], r["question_id"], r["code_id"],
                  Polarity(r["polarity"]), r["start_pos"], r["end_pos"], r["fragment"], r["memo"],
                  r["author"], r["created"])


def _quote(r: dict[str, Any]) -> Quote:
    from zet_tui.core.coding import Quote

    return Quote(r["id"], r["session_id"], r["question_id"], r["start_pos"], r["end_pos"],
                 r["fragment"], r["memo"], r["author"], r["created"])


def _content(row: dict[str, Any] | sqlite3.Row | None, columns: tuple[str, ...]) -> dict[str, Any]:
    assert row is not None
    return {c: row[c] for c in columns}


class CodingStore(StoreBase):
    # -- shared -------------------------------------------------------------------------
    def _toelichting(self, c: sqlite3.Connection, session_id: str, question_id: str) -> str:
        row = c.execute("SELECT toelichting FROM answer WHERE session_id = ? AND question_id = ?",
                        (session_id, question_id)).fetchone()
        if row is None:
            raise StoreError(f"vraag '{question_id}' heeft in sessie {session_id[:8]} geen "
                             "antwoord om te coderen")
        return str(row[0])

    @staticmethod
    def _fragment(text: str, start: int | None, end: int | None) -> tuple[int, int, str]:
        if start is None or end is None:
            raise StoreError("geef begin en einde van het fragment, of codeer het hele antwoord")
        if not 0 <= start < end <= len(text):
            raise StoreError(f"fragment {start}-{end} valt buiten de toelichting "
                             f"({len(text)} tekens)")
        start, end = anchors.trim(text, *anchors.snap(text, start, end))
        if start >= end:
            raise StoreError("het gekozen fragment bevat alleen witruimte")
        return start, end, text[start:end]

    def _row(self, table: str, columns: tuple[str, ...], ref: str, what: str) -> dict[str, Any]:
        return self._by_id(table, ref, what, PLURAL[what], columns)

    def _listed(self, table: str, columns: tuple[str, ...], evaluation_id: str | None,
                session_id: str | None) -> list[dict[str, Any]]:
        cols = ", ".join(f"x.{c}" for c in columns)
        sql = f"SELECT {cols} FROM {table} x JOIN session s ON s.id = x.session_id" \
              " JOIN cases k ON k.id = s.case_id WHERE 1=1"
        params: list[Any] = []
        if evaluation_id is not None:
            sql += " AND k.evaluation_id = ?"
            params.append(evaluation_id)
        if session_id is not None:
            sql += " AND x.session_id = ?"
            params.append(session_id)
        return self._rows(sql + " ORDER BY x.created, x.rowid", params)

    # -- codings ------------------------------------------------------------------------
    def add_coding(self, session_id: str, question_id: str, code_id: str,
                   polarity: str | Polarity, *, start: int | None = None, end: int | None = None,
                   memo: str = "", actor: str = "") -> Coding:
        """Apply a code to an answer (no offsets) or to a fragment of its toelichting."""
        code_id = code_id.strip()
        if not ID_RE.match(code_id):
            raise StoreError(f"ongeldige code '{code_id}'")
        pol = polarity_of(str(polarity))
        memo = _memo(memo)
        stamp = ids.now()
        with self.write() as c:
            fragment = ""
            if start is not None or end is not None:
                start, end, fragment = self._fragment(
                    self._toelichting(c, session_id, question_id), start, end)
            else:
                self._toelichting(c, session_id, question_id)
            row = {"id": ids.new_id(), "session_id": session_id, "question_id": question_id,
                   "code_id": code_id, "polarity": pol.value, "start_pos": start, "end_pos": end,
                   "fragment": fragment, "memo": memo, "author": actor.strip(),
                   "created": stamp, "updated": stamp}
            self._insert_row(c, "coding", row)
            self._event(kind="coding_added", actor=actor, session_id=session_id,
                        question_id=question_id, new={"id": row["id"],
                                                      **_content(row, CODING_CONTENT)})
        return _coding(row)

    def update_coding(self, coding_id: str, *, polarity: str | Polarity | None = None,
                      memo: str | None = None, actor: str = "") -> Coding:
        changes: dict[str, Any] = {}
        if polarity is not None:
            changes["polarity"] = polarity_of(str(polarity)).value
        if memo is not None:
            changes["memo"] = _memo(memo)
        return self._change("coding", CODING_COLUMNS, CODING_CONTENT, coding_id, "codering",
                            changes, actor, _coding)

    def reanchor_coding(self, coding_id: str, start: int, end: int, *, actor: str = "") -> Coding:
        """Point a coding at `start:end` of the toelichting as it reads now (after an edit)."""
        return self._reanchor("coding", CODING_COLUMNS, CODING_CONTENT, coding_id, "codering",
                              start, end, actor, _coding)

    def remove_coding(self, coding_id: str, *, actor: str = "") -> Coding:
        return _coding(self._remove("coding", CODING_COLUMNS, CODING_CONTENT, coding_id,
                                    "codering", actor))

    def coding(self, coding_id: str) -> Coding:
        return _coding(self._row("coding", CODING_COLUMNS, coding_id, "codering"))

    def codings(self, *, evaluation_id: str | None = None,
                session_id: str | None = None) -> list[Coding]:
        return [_coding(r) for r in self._listed("coding", CODING_COLUMNS, evaluation_id,
                                                 session_id)]

    # -- quotes ---------------------------------------------------------------------------
    def add_quote(self, session_id: str, question_id: str, start: int, end: int, *,
                  memo: str = "", actor: str = "") -> Quote:
        """Mark a fragment of a toelichting as a quote for the report."""
        memo = _memo(memo)
        stamp = ids.now()
        with self.write() as c:
            start, end, fragment = self._fragment(
                self._toelichting(c, session_id, question_id), start, end)
            row = {"id": ids.new_id(), "session_id": session_id, "question_id": question_id,
                   "start_pos": start, "end_pos": end, "fragment": fragment, "memo": memo,
                   "author": actor.strip(), "created": stamp, "updated": stamp}
            self._insert_row(c, "quote", row)
            self._event(kind="quote_added", actor=actor, session_id=session_id,
                        question_id=question_id, new={"id": row["id"],
                                                      **_content(row, QUOTE_CONTENT)})
        return _quote(row)

    def update_quote(self, quote_id: str, *, memo: str, actor: str = "") -> Quote:
        return self._change("quote", QUOTE_COLUMNS, QUOTE_CONTENT, quote_id, "citaat",
                            {"memo": _memo(memo)}, actor, _quote)

    def reanchor_quote(self, quote_id: str, start: int, end: int, *, actor: str = "") -> Quote:
        return self._reanchor("quote", QUOTE_COLUMNS, QUOTE_CONTENT, quote_id, "citaat",
                              start, end, actor, _quote)

    def remove_quote(self, quote_id: str, *, actor: str = "") -> Quote:
        return _quote(self._remove("quote", QUOTE_COLUMNS, QUOTE_CONTENT, quote_id, "citaat",
                                   actor))

    def quote(self, quote_id: str) -> Quote:
        return _quote(self._row("quote", QUOTE_COLUMNS, quote_id, "citaat"))

    def quotes(self, *, evaluation_id: str | None = None,
               session_id: str | None = None) -> list[Quote]:
        return [_quote(r) for r in self._listed("quote", QUOTE_COLUMNS, evaluation_id,
                                                session_id)]

    # -- the writes both share ------------------------------------------------------------------
    def _insert_row(self, c: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
        cols = list(row)
        c.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                  [row[k] for k in cols])

    def _change(self, table: str, columns: tuple[str, ...], content: tuple[str, ...], ref: str,
                what: str, changes: dict[str, Any], actor: str,
                build: Callable[[dict[str, Any]], T]) -> T:
        current = self._row(table, columns, ref, what)
        changes = {k: v for k, v in changes.items() if current[k] != v}
        if not changes:
            return build(current)
        new = {**current, **changes, "updated": ids.now()}
        with self.write() as c:
            if c.execute(f"SELECT 1 FROM {table} WHERE id = ?", (current["id"],)).fetchone() is None:
                raise StoreError(f"{what} '{ref}' is intussen verwijderd")
            sets = ", ".join(f"{k} = ?" for k in (*changes, "updated"))
            c.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                      [*changes.values(), new["updated"], current["id"]])
            self._event(kind=f"{table}_changed", actor=actor, session_id=current["session_id"],
                        question_id=current["question_id"],
                        old={"id": current["id"], **_content(current, content)},
                        new={"id": current["id"], **_content(new, content)})
        return build(new)

    def _reanchor(self, table: str, columns: tuple[str, ...], content: tuple[str, ...], ref: str,
                  what: str, start: int, end: int, actor: str,
                  build: Callable[[dict[str, Any]], T]) -> T:
        current = self._row(table, columns, ref, what)
        with self.write() as c:
            text = self._toelichting(c, current["session_id"], current["question_id"])
            start, end, fragment = self._fragment(text, start, end)
            new = {**current, "start_pos": start, "end_pos": end, "fragment": fragment,
                   "updated": ids.now()}
            c.execute(f"UPDATE {table} SET start_pos = ?, end_pos = ?, fragment = ?, updated = ?"
                      " WHERE id = ?", (start, end, fragment, new["updated"], current["id"]))
            self._event(kind=f"{table}_changed", actor=actor, session_id=current["session_id"],
                        question_id=current["question_id"],
                        old={"id": current["id"], **_content(current, content)},
                        new={"id": current["id"], **_content(new, content)})
        return build(new)

    def _remove(self, table: str, columns: tuple[str, ...], content: tuple[str, ...], ref: str,
                what: str, actor: str) -> dict[str, Any]:
        current = self._row(table, columns, ref, what)
        with self.write() as c:
            c.execute(f"DELETE FROM {table} WHERE id = ?", (current["id"],))
            self._event(kind=f"{table}_removed", actor=actor, session_id=current["session_id"],
                        question_id=current["question_id"],
                        old={"id": current["id"], **_content(current, content)})
        return current


def _memo(memo: str) -> str:
    memo = memo.strip()
    if len(memo) > MAX_MEMO:
        raise StoreError(f"een memo is hoogstens {MAX_MEMO} tekens")
    return memo
