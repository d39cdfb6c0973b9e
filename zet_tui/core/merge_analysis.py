"""`zet merge` for the analyst's tables: codings, quotes, divergences, summaries, attributes,
recommendations.

The rules are those of answers (`core/merge.py`), written once for all six tables:

- A row is identified by its key (a random id; or what it describes, for a
  case summary, a case attribute and a recommendation).
- Every write of these rows has an audit event with the row's content before
  and after (absent = nothing). Following those links backwards from a side's
  current content gives the contents it had before.
- Same content on both sides: nothing to do. The other side's content is an
  earlier state of this side: this side is newer. The target's content is an
  earlier state of the source: the source is newer and is applied (insert,
  update, or delete: a removal travels like an edit). Otherwise both sides
  changed independently: a **conflict**, reported; the target keeps its row.
- A row the target never saw (no row, no events) is simply added: the union.
- Rows of a purged or skipped case or session are never brought in.

This runs before the audit events themselves are merged, so the target's
history is still its own while it decides.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zet_tui.core.merge_erasure import MENTION_TABLES
from zet_tui.core.store.case_analysis import SUMMARY_FIELDS
from zet_tui.core.store.codings import CODING_CONTENT, QUOTE_CONTENT

if TYPE_CHECKING:
    from zet_tui.core.merge import _Merger

State = dict[str, Any] | None
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Spec:
    """How one analyst table is keyed and how its audit events describe its rows."""

    table: str
    label: str
    key: tuple[str, ...]
    content: tuple[str, ...]
    kinds: tuple[str, ...]
    event_key: Callable[[dict[str, Any], dict[str, Any]], Key | None]
    """Key of the row an event is about, from the event row and its decoded old/new."""
    event_state: Callable[[Any], State]
    """The row content an event's old or new value describes (None: absent)."""
    describe: Callable[[State], str]
    row_state: Callable[[dict[str, Any]], State] | None = None
    """The content of a stored row, when it is not simply the `content` columns."""

    def state(self, row: dict[str, Any] | None) -> State:
        if row is None:
            return None
        if self.row_state is not None:
            return self.row_state(row)
        return {c: row[c] for c in self.content}


def _by_id(_event: dict[str, Any], data: dict[str, Any]) -> Key | None:
    return (data["id"],) if isinstance(data.get("id"), str) else None


def _plain(columns: Sequence[str]) -> Callable[[Any], State]:
    def state(value: Any) -> State:
        if not isinstance(value, dict):
            return None
        return {c: value.get(c) for c in columns}
    return state


def _divergence_state(value: Any) -> State:
    if not isinstance(value, dict):
        return None
    a, b = [*(value.get("perspectives") or []), None, None][:2]
    return {"theme_id": value.get("theme_id"), "perspective_a": a, "perspective_b": b,
            "question_key": value.get("question_key"), "note": value.get("note")}


def _summary_key(event: dict[str, Any], _data: dict[str, Any]) -> Key | None:
    return (event["case_id"],) if event.get("case_id") else None


def _summary_state(value: Any) -> State:
    if not isinstance(value, dict):
        return None
    state = {f: value.get(f) or "" for f in SUMMARY_FIELDS}
    return state if any(state.values()) else None


def _attribute_key(event: dict[str, Any], data: dict[str, Any]) -> Key | None:
    name = data.get("name")
    return (event["case_id"], name) if event.get("case_id") and isinstance(name, str) else None


def _valued(field: str) -> Callable[[Any], State]:
    def state(value: Any) -> State:
        if not isinstance(value, dict) or value.get(field) is None:
            return None
        return {field: value[field]}
    return state


def _recommendation_key(event: dict[str, Any], data: dict[str, Any]) -> Key | None:
    key = data.get("finding_key")
    return (event["evaluation_id"], key) if event.get("evaluation_id") and isinstance(key, str) \
        else None


def _short_text(state: State, field: str) -> str:
    if state is None:
        return "verwijderd"
    text = " ".join(str(state.get(field) or "").split())
    return f"'{text[:40]}{'…' if len(text) > 40 else ''}'"


SPECS: tuple[Spec, ...] = (
    Spec("coding", "coderingen", ("id",), CODING_CONTENT,
         ("coding_added", "coding_changed", "coding_removed"), _by_id, _plain(CODING_CONTENT),
         lambda s: "verwijderd" if s is None else
         f"code {s['code_id']} ({s['polarity']}) {_short_text(s, 'fragment')}"),
    Spec("quote", "citaten", ("id",), QUOTE_CONTENT,
         ("quote_added", "quote_changed", "quote_removed"), _by_id, _plain(QUOTE_CONTENT),
         lambda s: _short_text(s, "fragment")),
    Spec("manual_divergence", "handmatige verschillen", ("id",),
         ("theme_id", "perspective_a", "perspective_b", "question_key", "note"),
         ("divergence_added", "divergence_removed"), _by_id, _divergence_state,
         lambda s: _short_text(s, "note")),
    Spec("case_summary", "casussamenvattingen", ("case_id",), SUMMARY_FIELDS,
         ("case_summary_changed",), _summary_key, _summary_state,
         lambda s: _short_text(s, "totaalbeeld") if s and s.get("totaalbeeld") else
         _short_text(s, "hulpvraag"), row_state=_summary_state),
    Spec("case_attribute", "casuskenmerken", ("case_id", "name"), ("value",),
         ("case_attribute_changed",), _attribute_key, _valued("value"),
         lambda s: _short_text(s, "value")),
    Spec("recommendation", "aanbevelingen", ("evaluation_id", "finding_key"), ("text",),
         ("recommendation_changed",), _recommendation_key, _valued("text"),
         lambda s: _short_text(s, "text")),
)
TABLES: tuple[str, ...] = tuple(s.table for s in SPECS)
TABLE_LABELS: dict[str, str] = {s.table: s.label for s in SPECS}


def _transitions(conn: sqlite3.Connection, spec: Spec) -> dict[Key, list[tuple[State, State]]]:
    """Per row key, its (before, after) contents from the audit log, oldest first."""
    marks = ",".join("?" * len(spec.kinds))
    out: dict[Key, list[tuple[State, State]]] = {}
    cur = conn.execute("SELECT case_id, evaluation_id, old, new FROM event"
                       f" WHERE kind IN ({marks}) ORDER BY at, rowid", spec.kinds)
    for case_id, evaluation_id, old_raw, new_raw in cur:
        old = json.loads(old_raw) if old_raw else None
        new = json.loads(new_raw) if new_raw else None
        event = {"case_id": case_id, "evaluation_id": evaluation_id}
        key = spec.event_key(event, new if isinstance(new, dict) else old or {})
        if key is not None:
            out.setdefault(key, []).append((spec.event_state(old), spec.event_state(new)))
    return out


def earlier_states(current: State, transitions: list[tuple[State, State]]) -> list[State]:
    """The contents a row had before `current`, newest first, following before → after links.

    From `current` None (the row is absent) this follows the removal back to what was removed.
    """
    states: list[State] = []
    content = current
    pos = len(transitions)
    while True:
        for i in range(pos - 1, -1, -1):
            if transitions[i][1] == content:
                pos = i
                break
        else:
            return states
        before = transitions[pos][0]
        if before is None or before in states or before == current:
            return states  # a row's creation: "absent" is no earlier content of it
        states.append(before)
        content = before


class AnalysisMerger:
    """Merges the analyst's tables of one source inside the caller's `_Merger` transaction."""

    def __init__(self, merger: _Merger) -> None:
        self.m = merger

    def run(self) -> None:
        for spec in SPECS:
            self._table(spec)

    def _rows(self, conn: sqlite3.Connection, spec: Spec) -> dict[Key, dict[str, Any]]:
        cols = self.m.columns[spec.table]
        cur = conn.execute(f"SELECT {', '.join(cols)} FROM {spec.table} ORDER BY rowid")
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        if conn is self.m.src and spec.table in MENTION_TABLES:
            # a case erased in the target is not named again by the source's texts
            for evaluation_id, scrub in self.m.scrubbers:
                rows = [scrub.row(spec.table, r) if r.get("evaluation_id") == evaluation_id
                        else r for r in rows]
        return {tuple(r[k] for k in spec.key): r for r in rows}

    def _skipped(self, row: dict[str, Any] | None, key: Key, spec: Spec) -> bool:
        if row is not None and self.m._skip_dependent(row):
            return True
        return "case_id" in spec.key and key[0] in self.m.skipped_cases

    def _table(self, spec: Spec) -> None:
        src_rows, tgt_rows = self._rows(self.m.src, spec), self._rows(self.m.tgt, spec)
        src_hist, tgt_hist = _transitions(self.m.src, spec), _transitions(self.m.tgt, spec)
        report = self.m.report
        for key in list(src_rows) + [k for k in src_hist if k not in src_rows]:
            row = src_rows.get(key)
            if self._skipped(row, key, spec):
                report.skipped[spec.table] += 1
                continue
            current = tgt_rows.get(key)
            mine, theirs = spec.state(row), spec.state(current)
            if mine == theirs:
                if mine is not None:
                    report.identical[spec.table] += 1
                continue
            if theirs is None:
                if key not in tgt_hist:
                    assert row is not None
                    self.m._insert(spec.table, row)  # never seen here: the union
                    continue
                if mine in earlier_states(None, tgt_hist[key]):
                    report.skipped[spec.table] += 1  # removed here after the copy was made
                    continue
            elif mine is None:
                if theirs in earlier_states(None, src_hist.get(key, [])):
                    self._apply(spec, key, None)  # removed there: the removal travels
                    continue
            elif mine in earlier_states(theirs, tgt_hist.get(key, [])):
                report.identical[spec.table] += 1  # the target continued from this content
                continue
            elif theirs in earlier_states(mine, src_hist.get(key, [])):
                self._apply(spec, key, row)
                continue
            report.conflict(spec.table, "/".join(map(str, key)), (
                f"{spec.label}: {'/'.join(str(k)[:8] for k in key)} is op twee plaatsen "
                f"verschillend bewerkt. Doel: {spec.describe(theirs)}; bron: "
                f"{spec.describe(mine)}. De versie in het doel is gehouden; de geschiedenis "
                "van beide staat in het auditlog"))

    def _apply(self, spec: Spec, key: Key, row: dict[str, Any] | None) -> None:
        where = " AND ".join(f"{k} = ?" for k in spec.key)
        exists = self.m.tgt.execute(f"SELECT 1 FROM {spec.table} WHERE {where}", key).fetchone()
        if row is None:
            self.m.tgt.execute(f"DELETE FROM {spec.table} WHERE {where}", key)
            self.m.report.removed[spec.table] += 1
        elif exists:
            self.m._update(spec.table, row, spec.key)
        else:
            self.m._insert(spec.table, row)
