from __future__ import annotations

from exports_support import demo, parallel, scored, valued

from zet_tui.core.analysis import (
    Cell,
    Spread,
    analyse_case,
    analyse_evaluation,
    diverges,
    smiley5_equivalent,
)
from zet_tui.core.answers import Answer
from zet_tui.core.findings import build_findings
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus, AnswerType


def q(qid: str, *, type: AnswerType = AnswerType.SMILEY, scale: str = "smiley5") -> Question:
    return Question(id=qid, theme_id="t", text=qid, type=type, scale=scale)


def cell(question: Question, answer: Answer | None, perspective: str = "inwoner") -> Cell:
    return Cell(perspective, "s", question, answer)


def test_smiley5_equivalent_maps_scale_ends_and_middles() -> None:
    assert smiley5_equivalent(1, 3) == 1 and smiley5_equivalent(2, 3) == 3
    assert smiley5_equivalent(3, 3) == 5 and smiley5_equivalent(4, 5) == 4


def test_divergence_rules() -> None:
    s5, s3, jdn = q("a"), q("b", scale="smiley3"), q("c", scale="ja-deels-nee")
    yn = q("d", type=AnswerType.YES_NO)
    choice = q("e", type=AnswerType.CHOICE)
    # same scale: two steps apart diverge, one step does not
    assert diverges(cell(s5, scored("a", 2)), cell(s5, scored("a", 4))) == "scale"
    assert diverges(cell(s5, scored("a", 3)), cell(s5, scored("a", 4))) is None
    assert diverges(cell(s3, scored("b", 1)), cell(s3, scored("b", 3))) == "scale"
    assert diverges(cell(s3, scored("b", 1)), cell(s3, scored("b", 2))) is None
    # different scales compare by meaning: opposite sides diverge, a middle point never does
    assert diverges(cell(s3, scored("b", 1)), cell(s5, scored("a", 4))) == "richting"
    assert diverges(cell(s3, scored("b", 1)), cell(s5, scored("a", 3))) is None
    assert diverges(cell(s3, scored("b", 2)), cell(s5, scored("a", 5))) is None
    # ja-deels-nee against a smiley: nee vs >= 4 and ja vs <= 2, never a converted distance
    assert diverges(cell(jdn, scored("c", 1)), cell(s5, scored("a", 4))) == "richting"
    assert diverges(cell(jdn, scored("c", 3)), cell(s5, scored("a", 2))) == "richting"
    assert diverges(cell(jdn, scored("c", 1)), cell(s5, scored("a", 3))) is None  # was a distance of 2
    assert diverges(cell(jdn, scored("c", 2)), cell(s5, scored("a", 1))) is None  # deels vs 1 likewise
    assert diverges(cell(jdn, scored("c", 3)), cell(s5, scored("a", 4))) is None
    # yes against no, also against ja-deels-nee; deels never diverges
    assert diverges(cell(yn, valued("d", "ja")), cell(yn, valued("d", "nee"))) == "ja-nee"
    assert diverges(cell(yn, valued("d", "ja")), cell(yn, valued("d", "ja"))) is None
    assert diverges(cell(yn, valued("d", "nee")), cell(jdn, scored("c", 3))) == "ja-nee"
    assert diverges(cell(yn, valued("d", "nee")), cell(jdn, scored("c", 2))) is None
    assert diverges(cell(jdn, scored("c", 1)), cell(jdn, scored("c", 3))) == "scale"
    # not comparable: a choice, a missing answer, weet niet
    assert diverges(cell(choice, valued("e", "x")), cell(s5, scored("a", 1))) is None
    assert diverges(cell(s5, None), cell(s5, scored("a", 5))) is None
    weet_niet = Answer("a", AnswerStatus.WEET_NIET)
    assert diverges(cell(s5, weet_niet), cell(s5, scored("a", 5))) is None


def test_spread_bins_on_the_five_point_scale() -> None:
    s5, s3 = q("a"), q("b", scale="smiley3")
    cells = [cell(s5, scored("a", 2)), cell(s5, scored("a", 4)), cell(s3, scored("b", 3)),
             cell(s5, Answer("a", AnswerStatus.NVT))]
    spread = Spread.of(cells)
    assert spread.n == 3 and spread.minimum == 2 and spread.median == 4
    assert spread.mean is not None and abs(spread.mean - 11 / 3) < 1e-9
    assert spread.distribution == (0, 1, 0, 1, 1)
    assert spread.statuses == {"nvt": 1}


def test_demo_divergences_are_found_exactly_where_planted(store: Store) -> None:
    result = demo(store)
    ev = result.evaluation
    sessions = store.sessions(evaluation_id=ev.id)
    analysis = analyse_evaluation(ev, store.cases(ev.id), sessions,
                                  store.answers_for_sessions([s.id for s in sessions]))
    assert [c.case.code for c in analysis.cases] == result.case_codes
    for ca in analysis.cases:
        assert {d.key for d in ca.divergences} == set(result.planted[ca.case.code])
        # the resident is always the low side of a planted scale difference
        for d in ca.divergences:
            if d.kind == "scale" and d.a.perspective == "inwoner":
                assert d.a.level is not None and d.b.level is not None
                assert d.a.level < d.b.level
    # the key planted in every case recurs; the per-case keys do not (one case each)
    recurring = {r.key: r.case_codes for r in analysis.recurring}
    first = result.planted[result.case_codes[0]][0]
    assert recurring[first] == sorted(result.case_codes)
    singles = {k for code in result.case_codes for k in result.planted[code][1:]}
    for key in singles:
        n = sum(key in result.planted[code] for code in result.case_codes)
        assert (key in recurring) == (n >= 2)


def test_rows_line_up_on_counterpart_and_keep_theme_order(store: Store) -> None:
    demo(store)
    case = store.cases()[0]
    sessions = store.sessions(case_id=case.id)
    ca = analyse_case(case, sessions, store.answers_for_sessions([s.id for s in sessions]))
    assert [t.id for t in ca.themes] == ["toegang", "plan", "samenwerking"]
    rows = {r.key: r for t in ca.themes for r in t.rows}
    # professional's toegang.wist-waar-prof has tegenhanger toegang.wist-waar
    assert rows["toegang.wist-waar"].cells["professional"].question.id == "toegang.wist-waar-prof"
    assert set(rows["samenwerking.afstemming"].cells) == {"inwoner", "professional", "dossier"}
    assert set(rows["toegang.aanmelding"].cells) == {"dossier"}
    assert rows["toegang.wist-waar"].text == "Wist u waar u terecht kon?"


def _evaluation_with(store: Store, themes: list[str] | None,
                     scores: dict[str, dict[str, int]]) -> tuple[Store, str]:
    """Cases with hand-set smiley scores: scores[case code][inwoner question id]."""
    qs = parallel()
    ev = store.create_evaluation("Handmatig", themes=themes)
    for code, per_q in scores.items():
        case = store.add_case(ev.id, code)
        for perspective in ("inwoner", "professional"):
            s = store.start_session(case.id, qs[perspective], consent_given=True,
                                    consent_by="x")
            for question in s.questionnaire.questions():
                if question.is_scaled and question.key in per_q:
                    size = question.scale_def.size
                    store.save_answer(s.id, scored(question.id, min(size, per_q[question.key])))
    return store, ev.id


def test_low_theme_in_two_cases_is_a_weak_finding_one_case_none(store: Store) -> None:
    # samenwerking.afstemming low (1) in two of three cases; toegang low in one only
    _, eid = _evaluation_with(store, None, {
        "A": {"samenwerking.afstemming": 1, "toegang.gehoord": 1, "toegang.wist-waar": 2},
        "B": {"samenwerking.afstemming": 2, "toegang.gehoord": 4, "toegang.wist-waar": 4},
        "C": {"samenwerking.afstemming": 5, "toegang.gehoord": 4, "toegang.wist-waar": 5},
    })
    ev = store.evaluation(eid)
    assert ev is not None
    sessions = store.sessions(evaluation_id=eid)
    ea = analyse_evaluation(ev, store.cases(eid), sessions,
                            store.answers_for_sessions([s.id for s in sessions]))
    found = build_findings(ea)
    low = {f.subject.ref: f for f in found.of_kind("knelpunt") if f.subgroup is None}
    codes = {c.id: c.code for c in store.cases(eid)}
    assert [codes[c] for c in low["thema:samenwerking"].cases] == ["A", "B"]
    assert low["thema:samenwerking"].m == 3 and low["thema:samenwerking"].weak
    assert "thema:toegang" not in low  # one case is never a finding
    integraal = next(t for t in ea.tags if t.tag == "basisfunctie:integraal")
    assert integraal.question_keys == ("samenwerking.afstemming",)
    assert integraal.spreads["inwoner"].n == 3
    veilig = next(t for t in ea.tags if t.tag == "basisfunctie:veilig")
    assert veilig.question_keys == () and veilig.spreads == {}


def test_compact_evaluation_only_shows_chosen_themes(store: Store) -> None:
    _, eid = _evaluation_with(store, ["plan"], {"A": {"plan.doelen": 3}})
    ev = store.evaluation(eid)
    assert ev is not None
    sessions = store.sessions(evaluation_id=eid)
    ea = analyse_evaluation(ev, store.cases(eid), sessions,
                            store.answers_for_sessions([s.id for s in sessions]))
    assert [t.id for t in ea.cases[0].themes] == ["plan"]
    assert [t.id for t in ea.themes] == ["plan"]
