"""`zet merge` of the analyst's work: union on ids, continuation wins, real edits on both
sides are conflicts, removals travel, purged cases stay purged."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.merge import merge_files
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

Q = "toegang.wist-waar"
TEXT = "Ik moest drie keer bellen voordat iemand terugbelde."


@dataclass
class Base:
    path: Path
    evaluation_id: str
    case_id: str
    session_id: str

    def copy(self, name: str) -> Path:
        target = self.path.with_name(name)
        shutil.copyfile(self.path, target)
        return target


@pytest.fixture
def base(tmp_path: Path, mini: Questionnaire) -> Base:
    path = tmp_path / "gedeeld.db"
    with Store.open(path) as store:
        ev = store.create_evaluation("Evaluatie Noord")
        case = store.add_case(ev.id, "C-01")
        session = store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
        store.save_answer(session.id, Answer(Q, AnswerStatus.ANSWERED, score=2, toelichting=TEXT))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Base(path, ev.id, case.id, session.id)


def merge(source: Path, target: Path) -> list[str]:
    [report] = merge_files([source], target)
    return [c.message for c in report.conflicts]


def test_codings_of_two_laptops_are_united_and_merging_again_changes_nothing(base: Base) -> None:
    a, b = base.copy("a.db"), base.copy("b.db")
    with Store.open(a) as store:
        store.add_coding(base.session_id, Q, "wachttijd", "knelpunt", start=9, end=25)
        store.add_quote(base.session_id, Q, 0, 25)
        store.set_case_attribute(base.case_id, "domein", "jeugd")
    with Store.open(b) as store:
        store.add_coding(base.session_id, Q, "zelf-achteraan", "knelpunt")
        store.set_case_summary(base.case_id, hulpvraag="Hulp bij wachten")
        store.set_recommendation(base.evaluation_id, "laag_thema:toegang", "Bel terug")
    assert merge(a, b) == []
    assert merge(a, b) == []
    [again] = merge_files([a], b)
    assert not again.changed
    with Store.open(b) as store:
        assert sorted(c.code_id for c in store.codings()) == ["wachttijd", "zelf-achteraan"]
        assert len(store.quotes()) == 1
        assert store.case_attributes(base.evaluation_id) == {base.case_id: {"domein": "jeugd"}}
        assert store.case_summaries(base.evaluation_id)[base.case_id].hulpvraag == \
            "Hulp bij wachten"


def test_a_continued_coding_wins_in_both_directions(base: Base) -> None:
    with Store.open(base.path) as store:
        coding = store.add_coding(base.session_id, Q, "wachttijd", "knelpunt", start=9, end=25)
        store.set_case_summary(base.case_id, hulpvraag="eerste versie")
    old = base.copy("oud.db")
    with Store.open(base.path) as store:
        store.update_coding(coding.id, polarity="neutraal", memo="later herzien")
        store.set_case_summary(base.case_id, hulpvraag="tweede versie")
    new = base.copy("nieuw.db")
    assert merge(new, old) == []      # the newer side is applied
    assert merge(old, new) == []      # and an older copy never overwrites it
    for path in (old, new):
        with Store.open(path) as store:
            assert store.coding(coding.id).memo == "later herzien"
            assert store.case_summaries(base.evaluation_id)[base.case_id].hulpvraag == \
                "tweede versie"


def test_edits_on_both_sides_are_a_conflict_and_the_target_keeps_its_own(
        base: Base, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(base.path) as store:
        coding = store.add_coding(base.session_id, Q, "wachttijd", "knelpunt")
    a, b = base.copy("a.db"), base.copy("b.db")
    with Store.open(a) as store:
        store.update_coding(coding.id, polarity="succesfactor")
        store.set_case_attribute(base.case_id, "domein", "jeugd")
    with Store.open(b) as store:
        store.update_coding(coding.id, polarity="neutraal")
        store.set_case_attribute(base.case_id, "domein", "Wmo")
    assert main(["merge", str(a), "--into", str(b)]) == 4
    out = capsys.readouterr().out
    assert "coderingen:" in out and "op twee plaatsen verschillend bewerkt" in out
    assert "casuskenmerken:" in out and "'jeugd'" in out and "'Wmo'" in out
    with Store.open(b) as store:
        assert store.coding(coding.id).polarity == "neutraal"
        assert store.case_attributes(base.evaluation_id)[base.case_id]["domein"] == "Wmo"


def test_a_removal_travels_and_is_never_undone_by_an_older_copy(base: Base) -> None:
    with Store.open(base.path) as store:
        coding = store.add_coding(base.session_id, Q, "wachttijd", "knelpunt")
        div = store.add_manual_divergence(base.case_id, "toegang", ("inwoner", "dossier"), "x")
        store.set_case_attribute(base.case_id, "gemeente", "Noord")
    old = base.copy("oud.db")
    with Store.open(base.path) as store:
        store.remove_coding(coding.id)
        store.remove_manual_divergence(div.id)
        store.set_case_attribute(base.case_id, "gemeente", "")
    [report] = merge_files([base.path], old)
    assert report.removed["coding"] == 1 and report.removed["manual_divergence"] == 1
    assert report.removed["case_attribute"] == 1 and not report.conflicts
    assert merge(old, base.path) == []
    for path in (old, base.path):
        with Store.open(path) as store:
            assert store.codings() == [] and store.manual_divergences(base.evaluation_id) == []
            assert store.case_attributes(base.evaluation_id) == {}


def test_removed_on_one_side_and_edited_on_the_other_is_a_conflict(base: Base) -> None:
    with Store.open(base.path) as store:
        coding = store.add_coding(base.session_id, Q, "wachttijd", "knelpunt")
    a = base.copy("a.db")
    with Store.open(base.path) as store:
        store.remove_coding(coding.id)
    with Store.open(a) as store:
        store.update_coding(coding.id, memo="belangrijk")
    [message] = merge(a, base.path)
    assert "Doel: verwijderd; bron: code wachttijd (knelpunt)" in message
    with Store.open(base.path) as store:
        assert store.codings() == []


def test_the_work_on_a_purged_case_is_not_brought_back(base: Base) -> None:
    a = base.copy("a.db")
    with Store.open(a) as store:
        store.add_coding(base.session_id, Q, "wachttijd", "knelpunt")
        store.set_case_summary(base.case_id, hulpvraag="gevoelig")
    with Store.open(base.path) as store:
        store.purge_case(base.case_id)
    [report] = merge_files([a], base.path)
    assert report.skipped["coding"] == 1 and report.skipped["case_summary"] == 1
    with Store.open(base.path) as store:
        assert store.codings() == [] and store.case_summaries(base.evaluation_id) == {}


def test_a_purge_on_another_laptop_erases_the_analysts_work_here_too(base: Base) -> None:
    with Store.open(base.path) as store:
        store.add_coding(base.session_id, Q, "wachttijd", "knelpunt", start=9, end=25)
        store.add_quote(base.session_id, Q, 0, 25)
        store.set_case_summary(base.case_id, hulpvraag="Hulp voor C-01")
        store.set_case_attribute(base.case_id, "domein", "jeugd")
        store.add_manual_divergence(base.case_id, "toegang", ("inwoner", "dossier"), "x")
        store.set_recommendation(base.evaluation_id, "laag_thema:toegang", "Zie C-01 en bel terug")
    purged = base.copy("gewist.db")
    with Store.open(purged) as store:
        store.purge_case(base.case_id)
    [report] = merge_files([purged], base.path)
    assert report.erased
    with Store.open(base.path) as store:
        assert store.codings() == [] and store.quotes() == []
        assert store.case_summaries(base.evaluation_id) == {}
        assert store.case_attributes(base.evaluation_id) == {}
        assert store.manual_divergences(base.evaluation_id) == []
        # the evaluation's recommendation stays, without the erased case's code
        [rec] = store.recommendations(base.evaluation_id).values()
        assert "C-01" not in rec.text and rec.text.startswith("Zie [gewiste casus]")


def test_the_work_on_a_case_erased_in_the_target_is_refused(base: Base) -> None:
    with Store.open(base.path) as store:
        store.add_coding(base.session_id, Q, "wachttijd", "knelpunt")
        store.set_case_summary(base.case_id, hulpvraag="Hulp voor C-01")
        store.set_recommendation(base.evaluation_id, "laag_thema:toegang", "Zie C-01")
    erased = base.copy("gewist.db")
    with Store.open(erased) as store:
        store.purge_case(base.case_id)
    [report] = merge_files([base.path], erased)
    assert report.refused and not report.conflicts
    with Store.open(erased) as store:
        assert store.codings() == [] and store.case_summaries(base.evaluation_id) == {}
        assert "C-01" not in store.recommendations(base.evaluation_id)["laag_thema:toegang"].text
