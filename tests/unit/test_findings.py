"""The findings model: every planted pattern of the regional demo is found with the right cases,
nothing comes from one case, and the rules hold for any scores (property test)."""

from __future__ import annotations

from dataclasses import replace

from exports_support import parallel
from findings_support import RegioFixture
from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.core import demo_regio as planted
from zet_tui.core.analysis import analyse_evaluation
from zet_tui.core.answers import Answer
from zet_tui.core.coding import Codebook, Coding, Polarity
from zet_tui.core.evidence import Evidence
from zet_tui.core.findings import (
    KNELPUNT,
    LOW_MAX,
    MIN_CASES,
    MIN_SHARE,
    SUBGROUP_MIN_SHARE,
    SUCCESFACTOR,
    VERSCHIL,
    WEINIG_BESPROKEN,
    Finding,
    Findings,
    build_findings,
)
from zet_tui.core.store import Case, Evaluation, Session
from zet_tui.core.vocab import AnswerStatus

STAMP = "2025-03-01T10:00:00.000+00:00"


def by_key(findings: Findings) -> dict[str, Finding]:
    return {f.key: f for f in findings.findings}


# -- the planted patterns -----------------------------------------------------------------
def test_problem_only_in_the_toelichtingen_is_found_through_the_codings(regio: RegioFixture) -> None:
    found = by_key(regio.findings)
    element = found["knelpunt:werkzaam:integraal-plan"]
    assert regio.codes(element.cases) == planted.NO_PLAN
    assert element.coded_cases == element.cases and element.m == len(planted.CASES)
    assert regio.codes(element.counterexamples) == (planted.ONE_PLAN,)
    code = found["knelpunt:code:we.integraal-plan"]
    assert regio.codes(code.cases) == planted.NO_PLAN and code.m == len(planted.CASES)
    assert any(c.source == "citaat" for c in element.citations)
    assert any(c.counterexample and regio.findings.code(c.case_id) == planted.ONE_PLAN for c in element.citations)
    # the scores alone do not show it: it lives in the toelichtingen only
    assert not [f for f in regio.scores_only.findings if f.kind == KNELPUNT and "integraal-plan" in f.key]
    assert regio.findings.priorities[0] is element
    assert regio.findings.recommendation(element.key).startswith("Spreek per huishouden")


def test_youth_only_problem_is_a_subgroup_finding(regio: RegioFixture) -> None:
    found = by_key(regio.findings)
    youth = found["knelpunt:werkzaam:continuiteit@domein=jeugd"]
    assert regio.codes(youth.cases) == planted.YOUTH and youth.m == len(planted.YOUTH)
    assert youth.subgroup is not None and (youth.subgroup.outside, youth.subgroup.outside_considered) == (0, 7)
    assert youth in regio.findings.priorities
    # without the attributes (scores only) the same cases still show, as 4 of 11
    plain = by_key(regio.scores_only)["knelpunt:vraag:samenhang.contactpersoon"]
    assert regio.codes(plain.cases) == planted.YOUTH and plain.m == len(planted.CASES)
    turning = found["knelpunt:vraag:uitvoering.overgang-18-verloop"]
    assert regio.codes(turning.cases) == planted.TURNING_18 and turning.weak and turning.m == 2


def test_success_factor_names_its_counterexample(regio: RegioFixture) -> None:
    heard = by_key(regio.findings)["succesfactor:vraag:vraagverheldering.gehoord"]
    assert regio.codes(heard.cases) == planted.PLANTED["gehoord"]
    assert regio.codes(heard.counterexamples) == (planted.NOT_HEARD,)
    counter = [c for c in heard.citations if c.counterexample]
    assert [regio.findings.code(c.case_id) for c in counter] == [planted.NOT_HEARD]
    assert heard in regio.findings.headline


def test_one_step_difference_marked_by_the_analyst_is_reported(regio: RegioFixture) -> None:
    group = next(g for g in regio.findings.divergences if g.theme_id == "eigen-regie")
    assert group.perspectives == ("inwoner", "professional")
    assert regio.codes(group.cases) == ("R-03", "R-04", "R-08")
    (marked,) = [i for i in group.items if i.kind == "analist"]
    assert regio.findings.code(marked.case_id) == planted.MARKED and marked.note == planted.MANUAL_NOTE
    assert (marked.answer_a, marked.answer_b) == ("3 neutraal", "4 goed")  # one step: the scores never show it
    finding = by_key(regio.findings)[group.key]
    assert finding.kind == VERSCHIL and regio.codes(finding.coded_cases) == (planted.MARKED,)
    assert group.key not in by_key(regio.scores_only) or by_key(regio.scores_only)[group.key].n == 2


def test_divergence_between_scales_is_read_by_meaning(regio: RegioFixture) -> None:
    group = next(g for g in regio.findings.divergences if g.theme_id == "planvorming")
    assert group.perspectives == ("inwoner", "dossier") and regio.codes(group.cases) == ("R-06", "R-08")
    assert {(i.kind, i.answer_a, i.answer_b) for i in group.items} == {("richting", "2 slecht", "ja")}
    # the neutral 3 against the dossier's "deels" is never a difference
    assert all(g.theme_id != "vraagverheldering" for g in regio.findings.divergences)


def test_rarely_discussed_theme(regio: RegioFixture) -> None:
    safety = by_key(regio.findings)["weinig-besproken:thema:veiligheid"]
    assert regio.codes(safety.cases) == planted.PLANTED["veiligheid-niet-besproken"]
    assert regio.codes(safety.counterexamples) == planted.SAFETY_DISCUSSED
    assert {c.text for c in safety.citations} == {planted.NOT_DISCUSSED_REASON["inwoner"]}
    assert len({c.case_id for c in safety.citations}) == len(safety.citations)  # one reason per case
    assert [f.key for f in regio.findings.of_kind(WEINIG_BESPROKEN)] == [safety.key]


def test_nothing_comes_from_one_case_and_the_outlier_is_no_finding(regio: RegioFixture) -> None:
    outlier = regio.demo.case_ids[planted.OUTLIER]
    for findings in (regio.findings, regio.scores_only):
        for f in findings.findings:
            assert f.n >= MIN_CASES, f.key
            assert set(f.cases) != {outlier}, f.key
            if f.kind == KNELPUNT:
                assert outlier not in f.cases, f.key  # R-11 is low only on access, alone
        assert not [f for f in findings.findings if f.subject.theme_id == "toegang" and f.kind == KNELPUNT]
    # the outlier is visible in its own case, and its coding was read
    sides = regio.findings.case_sides(outlier)
    assert "Toegang en eerste contact" in [s.label for s in sides[KNELPUNT]]
    assert regio.findings.verdicts["code:we.toegankelijk"][outlier].coded == {KNELPUNT}


def test_priorities_name_each_pattern_once(regio: RegioFixture) -> None:
    keys = [f.key for f in regio.findings.priorities]
    assert keys == ["knelpunt:werkzaam:integraal-plan", "knelpunt:werkzaam:continuiteit@domein=jeugd",
                    "knelpunt:werkzaam:langdurig", "knelpunt:vraag:uitvoering.overgang-18-verloop"]
    short = by_key(regio.findings)["knelpunt:werkzaam:langdurig"]
    assert regio.codes(short.cases) == planted.SHORT_INDICATIONS
    # the theme "Uitvoering" is low in eight cases, but the findings underneath name every one of them
    uitvoering = by_key(regio.findings)["knelpunt:thema:uitvoering"]
    assert uitvoering.n == 8 and uitvoering not in regio.findings.headline
    headline = regio.findings.headline
    assert len({frozenset(f.cases) for f in headline if f.kind == KNELPUNT}) == len(
        [f for f in headline if f.kind == KNELPUNT])


def test_coding_on_a_changed_toelichting_is_left_out(regio: RegioFixture) -> None:
    ev = regio.demo.evidence
    first = ev.codings[0]
    moved = replace(first, fragment=first.fragment + " (oud)")
    found = build_findings(regio.findings.analysis, replace(ev, codings=(moved, *ev.codings[1:])),
                           regio.store.sessions(evaluation_id=regio.demo.evaluation.id))
    assert found.coding.stale == 1 and found.coding.codings == len(ev.codings) - 1
    element = by_key(found)["knelpunt:werkzaam:integraal-plan"]
    assert regio.codes(element.cases) == tuple(c for c in planted.NO_PLAN if c != "R-01")


# -- the rules on small hand-made evaluations ----------------------------------------------
def _analysis(scores: dict[str, dict[str, dict[str, int]]]) -> tuple[Findings, dict[str, str]]:
    """Cases with chosen scores (case code -> perspective -> question id -> score), in memory."""
    qs = parallel()
    ev = Evaluation("e", "E", "", None, STAMP)
    cases, sessions, answers = [], [], {}
    for code, per in scores.items():
        case = Case(f"c-{code}", "e", code, "", "", STAMP)
        cases.append(case)
        for p, given_scores in per.items():
            s = Session(f"s-{code}-{p}", case.id, p, qs[p], "", "", True, "x", STAMP, "", STAMP, STAMP,
                        "afgerond")
            sessions.append(s)
            answers[s.id] = {q: Answer(q, AnswerStatus.ANSWERED, score=v) for q, v in given_scores.items()}
    analysis = analyse_evaluation(ev, cases, sessions, answers)
    return build_findings(analysis, Evidence(), sessions, answers), {c.code: c.id for c in cases}


def test_thresholds_at_their_edges() -> None:
    # professional plan.doelen is a smiley3: 1, 2, 3 count as 1, 3, 5 in a mean.
    # A: (2 + 3) / 2 = 2.5 is low; C: (3 + 5) / 2 = 4.0 is high; 2 of 6 is a third: enough
    cases = {code: {"inwoner": {"plan.doelen": 3}, "professional": {"plan.doelen": 2}} for code in "ABCDEF"}
    cases["A"] = {"inwoner": {"plan.doelen": 2}, "professional": {"plan.doelen": 2}}
    cases["B"] = {"inwoner": {"plan.doelen": 1}, "professional": {"plan.doelen": 1}}
    cases["C"] = {"inwoner": {"plan.doelen": 3}, "professional": {"plan.doelen": 3}}
    found, ids = _analysis(cases)
    low = by_key(found)["knelpunt:vraag:plan.doelen"]
    assert low.cases == (ids["A"], ids["B"]) and low.m == 6 and low.weak
    assert low.counterexamples == (ids["C"],)
    assert found.verdicts["vraag:plan.doelen"][ids["C"]].mean == 4.0
    assert "succesfactor:vraag:plan.doelen" not in by_key(found)  # one case is no finding


def test_subgroup_needs_the_rest_to_be_clearly_different() -> None:
    scores = {code: {"inwoner": {"toegang.gehoord": s}} for code, s in
              zip("ABCDEFGH", (1, 1, 2, 4, 4, 2, 4, 4), strict=True)}
    found, ids = _analysis(scores)
    evidence = Evidence(attributes={ids[c]: {"domein": "jeugd" if c in "ABC" else "Wmo"} for c in "ABCDEFGH"})
    with_groups = build_findings(found.analysis, evidence)
    keys = by_key(with_groups)
    youth = keys["knelpunt:vraag:toegang.gehoord@domein=jeugd"]  # 3 of 3, elsewhere 1 of 5
    assert youth.cases == (ids["A"], ids["B"], ids["C"]) and youth.subgroup is not None
    assert (youth.subgroup.outside, youth.subgroup.outside_considered) == (1, 5)
    # elsewhere 3 of 5 is too many: 0.6 is more than half of 3 of 3
    scores["D"] = scores["E"] = {"inwoner": {"toegang.gehoord": 1}}
    found2, ids2 = _analysis(scores)
    evidence2 = Evidence(attributes={ids2[c]: {"domein": "jeugd" if c in "ABC" else "Wmo"} for c in "ABCDEFGH"})
    assert "knelpunt:vraag:toegang.gehoord@domein=jeugd" not in by_key(build_findings(found2.analysis, evidence2))


def test_a_code_counts_against_every_coded_case() -> None:
    scores = {code: {"inwoner": {"toegang.gehoord": 3}} for code in "ABCDEF"}
    found, ids = _analysis(scores)
    session = {code: f"s-{code}-inwoner" for code in "ABCDEF"}

    def coding(code: str, code_id: str, polarity: Polarity) -> Coding:
        return Coding(f"k-{code}-{code_id}", session[code], "toegang.gehoord", code_id, polarity)

    codings = (coding("A", "x", Polarity.KNELPUNT), coding("B", "x", Polarity.KNELPUNT),
               *(coding(c, "y", Polarity.NEUTRAAL) for c in "CDEF"))
    x = by_key(build_findings(found.analysis, Evidence(codings=codings)))["knelpunt:code:x"]
    assert x.cases == (ids["A"], ids["B"]) and x.m == 6  # 2 of the 6 coded cases, not 2 of 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.booleans()),
                min_size=1, max_size=9))
def test_rules_hold_for_any_scores(rows: list[tuple[int, int, int, bool]]) -> None:
    scores = {f"K{i}": {"inwoner": {"toegang.wist-waar": a, "samenwerking.afstemming": b},
                        "professional": {"toegang.wist-waar-prof": c}} for i, (a, b, c, _) in enumerate(rows)}
    found, ids = _analysis(scores)
    attributes = {ids[f"K{i}"]: {"domein": "jeugd" if youth else "Wmo"} for i, (*_, youth) in enumerate(rows)}
    findings = build_findings(found.analysis, Evidence(attributes=attributes))
    keys = [f.key for f in findings.findings]
    assert len(keys) == len(set(keys))
    for f in findings.findings:
        assert f.n >= MIN_CASES
        assert set(f.cases) <= set(f.considered) and not set(f.cases) & set(f.counterexamples)
        if f.kind not in (KNELPUNT, SUCCESFACTOR):
            continue
        verdicts = findings.verdicts[f.subject.ref]
        for cid in f.cases:
            mean = verdicts[cid].mean
            assert mean is not None and ((mean <= LOW_MAX) if f.kind == KNELPUNT else (mean >= 4))
        if f.subgroup is None:
            assert f.n >= MIN_SHARE * f.m
        else:
            assert f.n >= SUBGROUP_MIN_SHARE * f.m
            assert all(attributes[c]["domein"] == f.subgroup.value for c in f.considered)
    assert all(p.kind == KNELPUNT for p in findings.priorities)


def test_the_findings_read_the_analysts_work_from_the_store(regio: RegioFixture) -> None:
    """`load_evidence` is the one read of the coded evidence: the demo stored it through the
    workbench's store calls, and the findings of the fixture come from that read."""
    from zet_tui.core.evidence import load_evidence

    store, eid = regio.store, regio.demo.evaluation.id
    assert load_evidence(store, "geen-evaluatie") == Evidence()
    evidence = load_evidence(store, eid)
    assert len(evidence.codings) == len(planted.CODINGS) and len(evidence.quotes) == len(planted.QUOTES)
    assert evidence.attribute(regio.demo.case_ids["R-01"], "domein") == "Wmo"
    assert set(evidence.recommendations) == set(planted.RECOMMENDATIONS)
    assert regio.findings.evidence.codings == evidence.codings
    one = regio.demo.sessions[("R-01", "inwoner")]
    only = load_evidence(store, eid, session_ids=[one], case_ids=[regio.demo.case_ids["R-01"]])
    assert only.codings and {c.session_id for c in only.codings} == {one}
    assert set(only.attributes) == {regio.demo.case_ids["R-01"]}

    # The codebook factory parses every questionnaire: called only when codings are read.
    book, calls = Codebook("c", "c", "1", ()), []
    def factory() -> Codebook:
        calls.append(book)
        return book
    assert load_evidence(store, "geen-evaluatie", codebook=factory).codebook is None
    assert load_evidence(store, eid, codebook=factory, session_ids=[]).codebook is None
    assert not calls
    assert load_evidence(store, eid, codebook=factory).codebook is book and calls == [book]
