"""`zet merge` for regions and their members (see `core/merge.py` for the general rules).

- A region is merged by id like an evaluation; a different row with the same
  id is a conflict (the target keeps its own), except that an earlier round
  set on one side only (`follows_id` from empty to a region) is taken over.
- A member is merged by id. The same evaluation added to the same region on
  two laptops (two ids) is one membership: identical when both name the same
  gemeente, a conflict otherwise (the target keeps its own).
- A removal travels: a member whose id has a `region_member_removed` event in
  either file (the source's events are merged first) is not inserted, and is
  deleted from the target when the target still has it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from zet_tui.core.store.regions import MEMBER_REMOVED

if TYPE_CHECKING:
    from zet_tui.core.merge import _Merger

TABLES: tuple[str, ...] = ("region", "region_member")
TABLE_LABELS: dict[str, str] = {"region": "regio's", "region_member": "evaluaties in een regio"}


def _removed_members(merger: _Merger) -> set[str]:
    out: set[str] = set()
    for conn in (merger.tgt, merger.src):
        for (raw,) in conn.execute("SELECT new FROM event WHERE kind = ?", (MEMBER_REMOVED,)):
            try:
                data = json.loads(raw or "null")
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("member"), str):
                out.add(data["member"])
    return out


def merge_regions(merger: _Merger) -> None:
    """Merge the source's regions and members into the target (inside the merge transaction)."""
    def region_differs(table: str, row: dict[str, Any], current: dict[str, Any]) -> None:
        fields = {k for k in row if row[k] != current.get(k)}
        if fields == {"follows_id"} and current["follows_id"] is None:
            merger._update(table, row, ("id",))
        else:
            merger._plain_conflict(table, row, current)

    merger._by_id("region", region_differs)
    removed = _removed_members(merger)
    merger._by_id("region_member", merger._plain_conflict,
                  skip=lambda row: row["id"] in removed, unique=("region_id", "evaluation_id"))
    if removed:
        marks = ",".join("?" * len(removed))
        gone = merger.tgt.execute(f"DELETE FROM region_member WHERE id IN ({marks})",
                                  sorted(removed)).rowcount
        merger.report.removed["region_member"] += gone
