"""The coding screen's model without a screen: layout, navigation, filters, default polarity,
and the coded evidence in (pseudonymised) exports."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from exports_support import all_text, demo

from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.coding import Codebook, Polarity
from zet_tui.core.demo import DemoResult
from zet_tui.core.feedback import derive_findings, load_findings, sync_findings
from zet_tui.core.store import Store
from zet_tui.core.vocab import CASE_PERSPECTIVES
from zet_tui.core.workbench import (
    Filter,
    Workbench,
    default_polarity,
    load_workbench,
    recommendation_targets,
    refresh_evidence,
)
from zet_tui.export.runner import run_export, select


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook_or_raise(codebook_path())


@pytest.fixture
def built(store: Store, codebook: Codebook) -> tuple[DemoResult, Workbench]:
    result = demo(store)
    return result, load_workbench(store, result.evaluation.id, codebook)


def test_items_follow_the_analyseschema_reading_order(built: tuple[DemoResult, Workbench]) -> None:
    result, bench = built
    assert [c.code for c in bench.cases] == result.case_codes
    order = [t for t, _ in bench.themes]
    keys = [(order.index(i.theme_id), i.line, CASE_PERSPECTIVES.index(i.perspective))
            for i in bench.items]
    assert keys == sorted(keys)
    assert [i.index for i in bench.items] == list(range(len(bench.items)))
    for item in bench.items:  # one line = one case, one row
        line = [i for i in bench.theme_items(item.theme_id) if i.line == item.line]
        assert {i.case.id for i in line} == {item.case.id}
        assert {i.row.key for i in line} == {item.row.key}


def test_navigation_and_filters(store: Store, built: tuple[DemoResult, Workbench]) -> None:
    _, bench = built
    first = bench.items[0]
    assert bench.step(None, True, Filter()) == first
    assert bench.step(first.index, False, Filter()) == bench.items[-1]  # wraps
    right = bench.neighbour(first, "right", Filter())
    assert right is not None and right.line == first.line and right.index == first.index + 1
    down = bench.neighbour(first, "down", Filter())
    assert down is not None and down.line > first.line
    assert down.perspective == first.perspective
    assert bench.neighbour(first, "left", Filter()) is None
    case = bench.cases[1]
    flt = Filter(case_id=case.id, uncoded=True)
    seen = set()
    item = bench.step(None, True, flt)
    while item is not None and item.index not in seen:
        seen.add(item.index)
        assert item.case.id == case.id and bench.needs_coding(item)
        item = bench.step(item.index, True, flt)
    assert seen and len(seen) == sum(1 for i in bench.filtered(flt))
    coded = next(i for i in bench.items if bench.codings(i))
    by_code = Filter(code_id=bench.codings(coded)[0].code_id)
    assert bench.matches(coded, by_code)
    assert all(bench.codings(i) for i in bench.filtered(by_code))


def test_progress_counts_free_text_answers(store: Store,
                                           built: tuple[DemoResult, Workbench]) -> None:
    _, bench = built
    done, total = bench.progress()
    assert 0 < done < total == sum(1 for i in bench.items if i.has_text)
    target = bench.step(None, True, Filter(uncoded=True))
    assert target is not None
    store.add_coding(target.session_id, target.question_id, "overig", "neutraal")
    fresh = refresh_evidence(store, bench)
    assert fresh.progress() == (done + 1, total)
    assert not fresh.needs_coding(target) and fresh.items is bench.items


def test_default_polarity_follows_the_score(built: tuple[DemoResult, Workbench]) -> None:
    _, bench = built
    for item in bench.items:
        level = item.cell.level
        expected = (Polarity.NEUTRAAL if level is None or 2 < level < 4 else
                    Polarity.KNELPUNT if level <= 2 else Polarity.SUCCESFACTOR)
        assert default_polarity(item.cell) == expected


def test_suggestions_skip_codes_already_on_the_answer(
        store: Store, built: tuple[DemoResult, Workbench]) -> None:
    _, bench = built
    item = next(i for i in bench.items if bench.suggestions(i))
    code = bench.suggestions(item)[0].code
    store.add_coding(item.session_id, item.question_id, code.id, "neutraal")
    assert code.id not in {s.code.id for s in refresh_evidence(store, bench).suggestions(item)}


def test_stale_fragments_are_found(store: Store, built: tuple[DemoResult, Workbench]) -> None:
    _, bench = built
    coding = next(c for c in bench.evidence.codings if c.start is not None)
    answer = store.answers(coding.session_id)[coding.question_id]
    store.save_answer(coding.session_id, replace(answer, toelichting="Nieuw: " + answer.toelichting))
    fresh = load_workbench(store, bench.evaluation.id, bench.codebook)
    item = next(i for i in fresh.items if i.session_id == coding.session_id
                and i.question_id == coding.question_id)
    stale = [m.id for m in fresh.stale(item)]
    assert coding.id in stale  # (a quote on the same fragment is stale too)
    assert fresh.matches(item, Filter(review=True))


def test_recommendation_targets_are_the_report_findings(store: Store,
                                                        built: tuple[DemoResult, Workbench]) -> None:
    """The form offers the findings of the meeting under the keys the report looks up."""
    result, _ = built
    eid = result.evaluation.id
    findings = load_findings(store, eid)
    targets = recommendation_targets(findings, store.findings(eid))
    assert targets
    assert [t.key for t in targets] == [d.key for d in derive_findings(findings)]
    assert store.findings(eid) == []  # offering them writes nothing
    numbered = sync_findings(store, eid)
    labelled = recommendation_targets(findings, store.findings(eid))
    assert [t.key for t in labelled] == [t.key for t in targets]
    assert labelled[0].text.startswith(f"{numbered[0].label}: ")
    store.set_recommendation(eid, targets[0].key, "Eén plan per gezin, met één regiehouder.")
    assert load_findings(store, eid).recommendation(targets[0].key) == (
        "Eén plan per gezin, met één regiehouder.")


def test_exports_carry_the_evidence_and_pseudonymise_it(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    case = store.find_case("DEMO-1", result.evaluation.id)
    session = next(s for s in store.sessions(case_id=case.id) if s.perspective == "inwoner")
    qid, answer = next((q, a) for q, a in store.answers(session.id).items() if a.toelichting)
    store.set_case_summary(case.id, hulpvraag="Marieke wil weer rust", actor="Lotte")
    store.add_coding(session.id, qid, "overig", "neutraal", start=0,
                     end=len(answer.toelichting), memo="Marieke nabellen", actor="Lotte")
    store.add_quote(session.id, qid, 0, len(answer.toelichting), memo="kern; Marieke",
                    actor="Lotte")
    store.add_sensitive_term(case.id, answer.toelichting.split()[0])
    sel = select(store, evaluation=result.evaluation.id)
    plain = run_export(store, sel, root=tmp_path / "a", formats=["csv"]).folder
    with (plain / "coderingen.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == len(store.codings(evaluation_id=result.evaluation.id))
    assert {"casus", "perspectief", "vraag", "code", "polariteit", "fragment"} <= set(rows[0])
    mine = [r for r in rows if r["code"] == "overig"]
    assert mine and mine[0]["casus"] == "DEMO-1" and mine[0]["analist"] == "Lotte"
    assert mine[0]["memo"] == "Marieke nabellen"
    with (plain / "citaten.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert "kern; Marieke" in [r["memo"] for r in csv.DictReader(fh, delimiter=";")]
    # the code x case overview: every coding once, in the cell of its code and case
    with (plain / "code_x_casus.csv").open(encoding="utf-8-sig", newline="") as fh:
        matrix = list(csv.DictReader(fh, delimiter=";"))
    assert sum(int(r["totaal"]) for r in matrix) == len(rows)
    cell = next(r for r in matrix if (r["code"], r["casus"]) == ("overig", "DEMO-1"))
    assert int(cell["neutraal"]) >= 1 and int(cell["inwoner"]) >= 1
    assert {r["casus"] for r in matrix} == {c.code for c in store.cases(result.evaluation.id)}
    pseudo = run_export(store, sel, root=tmp_path / "b", formats=["csv", "xlsx", "json"],
                        pseudonymize=True).folder
    everything = "\n".join(all_text(pseudo).values())
    for secret in ("Marieke", "Lotte", "DEMO-1", answer.toelichting.split()[0] + " "):
        assert secret not in everything, secret
    assert "[naam] wil weer rust" in everything
    assert "[naam] nabellen" in everything and "kern; [naam]" in everything
    with (pseudo / "code_x_casus.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {r["casus"] for r in csv.DictReader(fh, delimiter=";")} <= {
            f"Casus {x}" for x in "ABCDEFGH"}
