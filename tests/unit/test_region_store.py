"""Regions in the store: creation, members, audit events, merge and purge."""

from __future__ import annotations

from pathlib import Path

import pytest

from zet_tui.core.merge import merge_files
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.schema import SCHEMA_VERSION
from zet_tui.core.store import Store, StoreError


def test_region_groups_evaluations_with_audit_events(store: Store) -> None:
    a = store.create_evaluation("Evaluatie Aldermeer", "Aldermeer")
    b = store.create_evaluation("Evaluatie zonder gemeente")
    region = store.create_region("Regio Test", "twee gemeenten", actor="Ans")
    store.add_region_member(region.id, a.id, actor="Ans")
    store.add_region_member(region.id, b.id, "Brakveen", actor="Ans")
    members = store.region_members(region.id)
    assert [(m.evaluation_id, m.municipality) for m in members] == [(a.id, ""), (b.id, "Brakveen")]
    assert store.find_region("regio test").id == region.id
    assert store.find_region(region.id[:6]).id == region.id
    assert [r.id for r in store.regions_of(b.id)] == [region.id]
    kinds = [e.kind for e in store.events() if e.kind.startswith("region")]
    assert kinds == ["region_created", "region_member_added", "region_member_added"]
    assert store.schema_version == SCHEMA_VERSION


def test_region_mistakes_are_dutch_messages_and_write_nothing(store: Store) -> None:
    ev = store.create_evaluation("E", "Aldermeer")
    region = store.create_region("R")
    store.add_region_member(region.id, ev.id)
    before = len(store.events())
    with pytest.raises(StoreError, match="hoort al bij regio"):
        store.add_region_member(region.id, ev.id)
    with pytest.raises(StoreError, match="naam nodig"):
        store.create_region("  ")
    with pytest.raises(StoreError, match="niet gevonden"):
        store.find_region("bestaat-niet")
    with pytest.raises(StoreError, match="vervolg op zichzelf"):
        store.set_region_follows(region.id, region.id)
    with pytest.raises(StoreError, match="hoort niet bij de regio"):
        store.remove_region_member(region.id, "onbekend")
    assert len(store.events()) == before


def test_a_removed_member_does_not_come_back_through_merge(tmp_path: Path) -> None:
    central, laptop, target = tmp_path / "centraal.db", tmp_path / "laptop.db", tmp_path / "doel.db"
    with Store.open(central) as store:
        ev = store.create_evaluation("E", "Aldermeer")
        region = store.create_region("R")
        store.add_region_member(region.id, ev.id)
        store.backup(laptop)  # a copy from before the removal
        store.remove_region_member(region.id, ev.id)
    for order in ((central, laptop), (laptop, central)):
        if target.exists():
            target.unlink()
        reports = merge_files(list(order), target)
        assert all(not r.conflicts for r in reports)
        with Store.open(target) as merged:
            assert merged.region_members(region.id) == []
            assert merged.region(region.id) is not None


def test_regions_and_members_of_two_laptops_are_united(tmp_path: Path) -> None:
    shared, other, target = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "doel.db"
    with Store.open(shared) as store:
        first = store.create_evaluation("E1", "Aldermeer")
        second = store.create_evaluation("E2", "Brakveen")
        store.backup(other)
        region = store.create_region("R")
        store.add_region_member(region.id, first.id)
    with Store.open(other) as store:
        later = store.create_region("R tweede ronde")
        store.add_region_member(later.id, second.id)
    merge_files([shared, other], target)
    again = merge_files([shared, other], target)
    assert all(not r.changed and not r.conflicts for r in again)
    with Store.open(target) as merged:
        assert {r.name for r in merged.regions()} == {"R", "R tweede ronde"}
        assert [m.evaluation_id for m in merged.region_members(later.id)] == [second.id]


def test_purging_a_case_leaves_the_region_consistent(store: Store, mini: Questionnaire) -> None:
    ev = store.create_evaluation("E", "Aldermeer")
    case = store.add_case(ev.id, "K-01")
    store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
    region = store.create_region("R")
    store.add_region_member(region.id, ev.id)
    store.purge_case(case.id)
    assert [m.evaluation_id for m in store.region_members(region.id)] == [ev.id]
    dump = "\n".join(str(r) for r in store.conn.execute("SELECT * FROM region_member"))
    assert "K-01" not in dump


def test_purge_takes_the_case_code_out_of_its_regions(store: Store, mini: Questionnaire) -> None:
    """A region's name and description are typed by hand and may name a case; a purge
    scrubs them (and the audit event that recorded them) in the regions of the case's
    evaluation, also one it has left, and nowhere else."""
    ev = store.create_evaluation("E", "Aldermeer")
    case = store.add_case(ev.id, "K-01")
    store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
    current = store.create_region("R", "Start bij k-01, daarna K-02")
    left = store.create_region("Oud", "K-01 als voorbeeld")
    other = store.create_region("Elders", "K-01 van een andere evaluatie")
    store.add_region_member(current.id, ev.id)
    store.add_region_member(left.id, ev.id)
    store.remove_region_member(left.id, ev.id)
    store.purge_case(case.id)
    assert store.region(current.id).description == "Start bij [gewiste casus], daarna K-02"  # type: ignore[union-attr]
    assert store.region(left.id).description == "[gewiste casus] als voorbeeld"  # type: ignore[union-attr]
    assert store.region(other.id).description == "K-01 van een andere evaluatie"  # type: ignore[union-attr]
    created = [r[0] for r in store.conn.execute(
        "SELECT new FROM event WHERE kind = 'region_created' ORDER BY rowid")]
    assert "k-01" not in created[0] and "K-01" not in created[1] and "K-01" in created[2]
