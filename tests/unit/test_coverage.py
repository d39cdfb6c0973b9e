"""Coverage per session, case and evaluation (headless)."""

from __future__ import annotations

from review_data import answer_all, perspective, save, setup_case

from zet_tui.core.coverage import (
    DONE,
    NO_SESSION,
    NOT_APPLICABLE,
    OPEN,
    PARTLY,
    coverage_for_case,
    coverage_for_evaluation,
    coverage_for_session,
)
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus


def test_fresh_session_is_all_open(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    cov = coverage_for_session(store, s["inwoner"].id)
    assert [t.theme_id for t in cov.themes] == ["toegang", "plan"]
    assert [t.state for t in cov.themes] == [OPEN, OPEN]
    assert not cov.complete
    toegang = cov.theme("toegang")
    assert toegang is not None
    # the follow-up question on waiting is hidden until "wachten = ja"
    assert (toegang.visible, toegang.required, toegang.complete) == (2, 2, 0)
    assert toegang.open_questions == ("toegang.wist-waar", "toegang.wachten")


def test_answers_make_themes_partly_then_done(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    save(store, sid, "toegang.wist-waar", score=4)
    cov = coverage_for_session(store, sid)
    assert cov.theme("toegang").state == PARTLY
    assert (cov.theme("toegang").done_count, cov.theme("toegang").total_count) == (1, 2)
    save(store, sid, "toegang.wachten", value="nee")
    assert coverage_for_session(store, sid).theme("toegang").state == DONE


def test_condition_adds_a_required_question(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    save(store, sid, "toegang.wist-waar", score=4)
    save(store, sid, "toegang.wachten", value="ja")
    toegang = coverage_for_session(store, sid).theme("toegang")
    assert toegang is not None
    assert toegang.state == PARTLY and toegang.visible == 3
    assert toegang.open_questions == ("toegang.wachten-ervaring",)
    save(store, sid, "toegang.wachten-ervaring", score=2)
    assert coverage_for_session(store, sid).theme("toegang").state == DONE


def test_weet_niet_nvt_and_skip_with_reason_count(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    save(store, sid, "plan.datum", status=AnswerStatus.WEET_NIET)
    save(store, sid, "plan.aantal", status=AnswerStatus.NVT)
    save(store, sid, "plan.wie", status=AnswerStatus.NIET_BESPROKEN, reason="geen tijd meer")
    plan = coverage_for_session(store, sid).theme("plan")
    assert plan is not None and plan.state == DONE and plan.open_questions == ()


def test_skip_without_reason_does_not_count(store: Store, mini: Questionnaire) -> None:
    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    sid = s["inwoner"].id
    save(store, sid, "plan.datum", value="2024-01-02")
    save(store, sid, "plan.aantal", value="1")
    save(store, sid, "plan.wie", status=AnswerStatus.NIET_BESPROKEN, reason="   ")
    plan = coverage_for_session(store, sid).theme("plan")
    assert plan is not None and plan.state == PARTLY
    assert plan.open_questions == ("plan.wie",)


def test_session_dict_is_json_ready(store: Store, mini: Questionnaire) -> None:
    import json

    _, _, s = setup_case(store, mini, perspectives=["inwoner"])
    answer_all(store, s["inwoner"].id)
    data = json.loads(json.dumps(coverage_for_session(store, s["inwoner"].id).to_dict()))
    assert data["scope"] == "session" and data["complete"] is True
    assert data["counts"]["done"] == 2 and data["counts"]["open"] == 0
    assert data["themes"][0]["theme"] == "toegang" and data["themes"][0]["state"] == "done"


def test_case_table_and_missing_perspective(store: Store, mini: Questionnaire) -> None:
    _, case, s = setup_case(store, mini, perspectives=["inwoner", "professional"])
    answer_all(store, s["inwoner"].id)
    answer_all(store, s["professional"].id, only=["toegang"])
    cov = coverage_for_case(store, case.id)
    assert cov.perspectives == ("inwoner", "professional", "dossier")
    states = {(r.theme_id, c.perspective): c.state for r in cov.rows for c in r.cells}
    assert states == {
        ("toegang", "inwoner"): DONE, ("toegang", "professional"): DONE,
        ("toegang", "dossier"): NO_SESSION,
        ("plan", "inwoner"): DONE, ("plan", "professional"): OPEN, ("plan", "dossier"): NO_SESSION,
    }
    assert not cov.complete
    assert cov.counts()["no_session"] == 2
    # the dossier review arrives and is done: the case is complete
    dossier = store.start_session(case.id, perspective(mini, "dossier"), consent_given=True,
                                  consent_by="Fictieve inwoner")
    answer_all(store, dossier.id)
    answer_all(store, s["professional"].id)
    assert coverage_for_case(store, case.id).complete


def test_second_session_of_a_perspective_counts_when_done_in_either(
        store: Store, mini: Questionnaire) -> None:
    _, case, s = setup_case(store, mini)
    for sid in (s["professional"].id, s["dossier"].id):
        answer_all(store, sid)
    answer_all(store, s["inwoner"].id, only=["toegang"])
    assert not coverage_for_case(store, case.id).complete
    second = store.start_session(case.id, perspective(mini, "inwoner"), consent_given=True,
                                 consent_by="Fictieve inwoner")
    answer_all(store, second.id, only=["plan"])
    cov = coverage_for_case(store, case.id)
    plan = next(r for r in cov.rows if r.theme_id == "plan")
    assert plan.cell("inwoner").state == DONE
    assert plan.cell("inwoner").session_id == second.id
    assert cov.complete


def test_evaluation_all_cases(store: Store, mini: Questionnaire) -> None:
    ev, _, s1 = setup_case(store, mini, code="A-01")
    _, _, s2 = setup_case(store, mini, code="B-02", evaluation=ev)
    for sid in (*(x.id for x in s1.values()), *(x.id for x in s2.values())):
        answer_all(store, sid)
    cov = coverage_for_evaluation(store, ev.id)
    assert [c.code for c in cov.cases] == ["A-01", "B-02"] and cov.complete
    save(store, s2["dossier"].id, "plan.wie", status=AnswerStatus.NIET_BESPROKEN, reason="")
    cov = coverage_for_evaluation(store, ev.id)
    assert not cov.complete
    assert [c.complete for c in cov.cases] == [True, False]
    assert cov.counts()["partly"] == 1
    assert cov.to_dict()["cases"][1]["themes"][1]["cells"]["dossier"]["open_questions"] == ["plan.wie"]


def test_compact_evaluation_counts_only_chosen_themes(store: Store, mini: Questionnaire) -> None:
    ev, _case, s = setup_case(store, mini, themes=["plan"], perspectives=["inwoner"])
    answer_all(store, s["inwoner"].id)
    cov = coverage_for_evaluation(store, ev.id)
    assert cov.chosen_themes == ("plan",)
    rows = cov.cases[0].rows
    assert [r.theme_id for r in rows] == ["plan"]
    # professional and dossier have no session yet: the chosen theme is open for them
    assert [c.state for c in rows[0].cells] == [DONE, NO_SESSION, NO_SESSION]
    # a second case without any session still has to cover the chosen theme
    store.add_case(ev.id, "C-03")
    cov = coverage_for_evaluation(store, ev.id)
    empty = next(c for c in cov.cases if c.code == "C-03")
    assert [r.theme_id for r in empty.rows] == ["plan"]
    assert all(c.state == NO_SESSION for c in empty.rows[0].cells) and not cov.complete


def test_theme_missing_from_a_perspective_is_not_applicable(store: Store, mini: Questionnaire) -> None:
    _, case, s = setup_case(store, mini, perspectives=["inwoner", "professional"])
    dossier_list = perspective(mini, "dossier").restricted_to(["plan"])
    dossier = store.start_session(case.id, dossier_list, consent_given=True, consent_by="Fictief")
    for sid in (s["inwoner"].id, s["professional"].id, dossier.id):
        answer_all(store, sid)
    cov = coverage_for_case(store, case.id)
    toegang = next(r for r in cov.rows if r.theme_id == "toegang")
    assert toegang.cell("dossier").state == NOT_APPLICABLE
    assert cov.complete


def test_empty_evaluation_is_not_complete(store: Store) -> None:
    ev = store.create_evaluation("Leeg")
    cov = coverage_for_evaluation(store, ev.id)
    assert cov.cases == () and not cov.complete


def test_optional_only_theme(store: Store, mini: Questionnaire) -> None:
    from dataclasses import replace

    from zet_tui.core.questionnaire import Theme

    kwijt = mini.question("plan.kwijt")
    assert kwijt is not None and not kwijt.required
    optional = replace(mini, themes=(Theme(id="slot", title="Slot", questions=(kwijt,)),), _index={})
    ev = store.create_evaluation("Optioneel")
    case = store.add_case(ev.id, "O-1")
    sess = store.start_session(case.id, optional, consent_given=True, consent_by="Fictief")
    slot = coverage_for_session(store, sess.id).theme("slot")
    assert slot is not None and slot.state == OPEN and slot.open_questions == ("plan.kwijt",)
    assert (slot.done_count, slot.total_count) == (0, 1)
    save(store, sess.id, "plan.kwijt", value="niets meer")
    slot = coverage_for_session(store, sess.id).theme("slot")
    assert slot is not None and slot.state == DONE and (slot.done_count, slot.total_count) == (1, 1)
