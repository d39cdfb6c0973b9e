"""Regions: a group of evaluations compared municipality by municipality.

A region only names evaluations; what it shows (the matrix, the shared
findings, beleid beside praktijk) is computed from their sessions every time,
so nothing about a case is stored here and `zet purge` needs nothing from
these tables. Every change has its audit event in the same transaction; a
removed member leaves a `region_member_removed` event that keeps `zet merge`
from bringing it back from an older copy (`core/merge_region.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zet_tui.core.store import ids
from zet_tui.core.store.base import StoreBase
from zet_tui.core.store.errors import StoreError

MEMBER_REMOVED = "region_member_removed"


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    description: str
    follows_id: str | None
    created: str


@dataclass(frozen=True)
class RegionMember:
    """One evaluation in a region; `municipality` ('' = the evaluation's own) is the gemeente
    its cases count for in this region (a case's own `gemeente` attribute goes first)."""

    id: str
    region_id: str
    evaluation_id: str
    municipality: str
    created: str


def _region(r: dict[str, Any]) -> Region:
    return Region(r["id"], r["name"], r["description"], r["follows_id"], r["created"])


def _member(r: dict[str, Any]) -> RegionMember:
    return RegionMember(r["id"], r["region_id"], r["evaluation_id"], r["municipality"],
                        r["created"])


class RegionStore(StoreBase):
    def create_region(self, name: str, description: str = "", *, follows_id: str | None = None,
                      actor: str = "") -> Region:
        name = name.strip()
        if not name:
            raise StoreError("een regio heeft een naam nodig")
        if follows_id is not None and self.region(follows_id) is None:
            raise StoreError(f"regio '{follows_id}' niet gevonden")
        region = Region(ids.new_id(), name, description.strip(), follows_id, ids.now())
        with self.write() as c:
            c.execute("INSERT INTO region (id, name, description, follows_id, created)"
                      " VALUES (?,?,?,?,?)",
                      (region.id, region.name, region.description, follows_id, region.created))
            self._event(kind="region_created", actor=actor,
                        new={"region": region.id, "name": region.name,
                             "description": region.description, "follows_id": follows_id})
        return region

    def regions(self) -> list[Region]:
        return [_region(r) for r in self._rows("SELECT * FROM region ORDER BY created DESC, rowid DESC")]

    def region(self, region_id: str) -> Region | None:
        rows = self._rows("SELECT * FROM region WHERE id = ?", [region_id])
        return _region(rows[0]) if rows else None

    def find_region(self, ref: str) -> Region:
        """By id, unique id prefix or exact name (case-insensitive), for the CLI."""
        ref = ref.strip()
        rows = self._rows("SELECT * FROM region WHERE id = ? OR lower(name) = lower(?)",
                          [ref, ref])
        if not rows and len(ref) >= 4:
            rows = self._rows("SELECT * FROM region WHERE id LIKE ?", [ref + "%"])
        if not rows:
            raise StoreError(f"regio '{ref}' niet gevonden (zie 'zet regio lijst')")
        if len(rows) > 1:
            raise StoreError(f"'{ref}' past op meerdere regio's; geef het id")
        return _region(rows[0])

    def set_region_follows(self, region_id: str, follows_id: str | None, *,
                           actor: str = "") -> None:
        """Record that `region_id` is the next round of `follows_id` (None: no earlier round)."""
        if follows_id == region_id:
            raise StoreError("een regio kan geen vervolg op zichzelf zijn")
        if follows_id is not None:
            earlier = self.region(follows_id)
            if earlier is None:
                raise StoreError(f"regio '{follows_id}' niet gevonden")
            if earlier.follows_id == region_id:
                raise StoreError(f"'{earlier.name}' is al een vervolg op deze regio; "
                                 "omgekeerd kan niet")
        with self.write() as c:
            old = c.execute("SELECT follows_id FROM region WHERE id = ?", (region_id,)).fetchone()
            if old is None:
                raise StoreError(f"regio '{region_id}' niet gevonden")
            c.execute("UPDATE region SET follows_id = ? WHERE id = ?", (follows_id, region_id))
            self._event(kind="region_follows", actor=actor, old={"region": region_id,
                                                                 "follows_id": old[0]},
                        new={"region": region_id, "follows_id": follows_id})

    # -- members ------------------------------------------------------------------------
    def add_region_member(self, region_id: str, evaluation_id: str, municipality: str = "", *,
                          actor: str = "") -> RegionMember:
        region = self.region(region_id)
        if region is None:
            raise StoreError(f"regio '{region_id}' niet gevonden")
        evaluation = self._rows("SELECT name FROM evaluation WHERE id = ?", [evaluation_id])
        if not evaluation:
            raise StoreError(f"evaluatie '{evaluation_id}' niet gevonden")
        if self._rows("SELECT 1 FROM region_member WHERE region_id = ? AND evaluation_id = ?",
                      [region_id, evaluation_id]):
            raise StoreError(f"evaluatie '{evaluation[0]['name']}' hoort al bij regio "
                             f"'{region.name}'")
        member = RegionMember(ids.new_id(), region_id, evaluation_id, municipality.strip(),
                              ids.now())
        with self.write() as c:
            c.execute("INSERT INTO region_member (id, region_id, evaluation_id, municipality,"
                      " created) VALUES (?,?,?,?,?)",
                      (member.id, region_id, evaluation_id, member.municipality, member.created))
            self._event(kind="region_member_added", actor=actor, evaluation_id=evaluation_id,
                        new={"region": region_id, "member": member.id,
                             "municipality": member.municipality})
        return member

    def remove_region_member(self, region_id: str, evaluation_id: str, *,
                             actor: str = "") -> RegionMember:
        rows = self._rows("SELECT * FROM region_member WHERE region_id = ? AND evaluation_id = ?",
                          [region_id, evaluation_id])
        if not rows:
            raise StoreError("deze evaluatie hoort niet bij de regio")
        member = _member(rows[0])
        with self.write() as c:
            c.execute("DELETE FROM region_member WHERE id = ?", (member.id,))
            self._event(kind=MEMBER_REMOVED, actor=actor, evaluation_id=evaluation_id,
                        old={"municipality": member.municipality},
                        new={"region": region_id, "member": member.id})
        return member

    def region_members(self, region_id: str) -> list[RegionMember]:
        return [_member(r) for r in self._rows(
            "SELECT * FROM region_member WHERE region_id = ? ORDER BY created, rowid", [region_id])]

    def regions_of(self, evaluation_id: str) -> list[Region]:
        return [_region(r) for r in self._rows(
            "SELECT r.* FROM region r JOIN region_member m ON m.region_id = r.id"
            " WHERE m.evaluation_id = ? ORDER BY r.created DESC, r.rowid DESC", [evaluation_id])]
