"""Comparing two evaluation rounds: score movement, recurring findings, points, questionnaire changes."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from exports_support import demo, parallel
from feedback_support import ROUND_ONE, make_round

from zet_tui.core.compare import (
    ADDED,
    CHANGE_THRESHOLD,
    IMPROVED,
    NOT_COMPARABLE,
    REMOVED,
    SAME,
    WORDING_CHANGED,
    WORSENED,
    compare,
    comparison_to_dict,
    format_comparison,
    label_delta,
)
from zet_tui.core.demo_followup import REWORDED_PREFIX, build_follow_up_demo, bumped_questionnaire
from zet_tui.core.feedback import add_improvement_point, set_improvement_status, sync_findings
from zet_tui.core.questionnaire import Question
from zet_tui.core.store import Store, StoreError

# Round two: samenwerking now scores well, toegang.gehoord dropped, the resident and the
# professional still differ on toegang.wist-waar in two cases.
ROUND_TWO: dict[str, dict[str, dict[str, int]]] = {
    "D": {"inwoner": {"toegang.wist-waar": 1, "toegang.gehoord": 1, "samenwerking.afstemming": 4},
          "professional": {"toegang.wist-waar-prof": 4, "toegang.gehoord": 2, "samenwerking.afstemming": 5}},
    "E": {"inwoner": {"toegang.wist-waar": 2, "toegang.gehoord": 2, "samenwerking.afstemming": 5},
          "professional": {"toegang.wist-waar-prof": 5, "toegang.gehoord": 2, "samenwerking.afstemming": 4}},
}


def test_threshold_labels() -> None:
    assert CHANGE_THRESHOLD == 0.5
    assert label_delta(0.5) == IMPROVED and label_delta(-0.5) == WORSENED
    assert label_delta(0.49) == SAME and label_delta(-0.49) == SAME
    assert label_delta(None) == NOT_COMPARABLE


def test_scores_recurring_findings_and_points(store: Store) -> None:
    a = make_round(store, "Ronde 1", ROUND_ONE)
    findings = sync_findings(store, a.id)
    store.record_reaction(findings[0].finding.id, "ja", "klopt")
    add_improvement_point(store, a.id, "Afstemming verbeteren", findings=["F1"], themes=["samenwerking"])
    add_improvement_point(store, a.id, "Beter uitleggen waar je terecht kunt", findings=["F2"])
    set_improvement_status(store, "V1", "gereed", evaluation_id=a.id)
    b = make_round(store, "Ronde 2", ROUND_TWO, follows_id=a.id)
    c = compare(store, a.id, b.id)
    assert c.is_follow_up and c.warnings == ()
    themes = {t.theme_id: t for t in c.themes}
    samen = themes["samenwerking"]
    assert samen.label == IMPROVED
    assert samen.overall.mean_a == pytest.approx((1 + 2 + 2 + 1 + 4 + 4) / 6)
    assert samen.overall.mean_b == pytest.approx(4.5)
    per = {s.perspective: s for s in samen.perspectives}
    assert per["inwoner"].mean_a == pytest.approx(7 / 3) and per["inwoner"].mean_b == pytest.approx(4.5)
    assert per["inwoner"].n_a == 3 and per["inwoner"].n_b == 2 and per["professional"].label == IMPROVED
    toegang = themes["toegang"]
    assert toegang.label == WORSENED  # gehoord dropped from 3-4 to 1-2
    assert {s.perspective: s.label for s in toegang.perspectives} == {"inwoner": WORSENED,
                                                                      "professional": WORSENED}
    recurring = {(f.kind, f.key): f.recurs for f in c.findings}
    assert recurring == {("knelpunt", "knelpunt:werkzaam:integraal-plan"): False,
                         ("verschil", "verschil:thema:toegang:inwoner-professional"): True}
    assert c.findings[0].recognised == "ja" and c.findings[0].label == "F1"
    assert [i.label for i in c.open_improvements] == ["V2"]
    assert c.questionnaire_changes == ()
    text = format_comparison(c)
    assert "Verbeterd:\n  - Samenwerking" in text and "Verslechterd:\n  - Toegang" in text
    assert "[open] Beter uitleggen" in text and "1 nog niet gereed" in text
    # Dutch numbers, as in the reports: 2,3 → 4,5 (+2,2), never 2.3
    assert "Samenwerking: 2,3 → 4,5 (+2,2; inwoner 2,3→4,5" in text and "vanaf 0,5 punt" in text
    assert not re.search(r"\d\.\d", text)
    data = json.loads(json.dumps(comparison_to_dict(c)))
    assert {t["id"]: t["oordeel"] for t in data["themas"]}["samenwerking"] == IMPROVED


def test_findings_of_a_are_derived_even_without_a_meeting(store: Store) -> None:
    a = make_round(store, "Ronde 1", ROUND_ONE)
    b = make_round(store, "Ronde 2", ROUND_TWO, municipality="Gemeente Elders")
    c = compare(store, a.id, b.id)
    assert {(f.label, f.key, f.recurs) for f in c.findings} == {
        ("", "knelpunt:werkzaam:integraal-plan", False),
        ("", "verschil:thema:toegang:inwoner-professional", True)}
    assert store.findings(a.id) == []  # comparing reads only
    assert not c.is_follow_up
    assert any("andere gemeente" in w for w in c.warnings)


def test_questionnaire_version_change_is_matched_by_id_and_flagged(store: Store) -> None:
    qs = parallel()
    inwoner = qs["inwoner"]
    new_question = Question(id="toegang.nieuw", theme_id="toegang", text="Kreeg u uitleg over uw rechten?")
    themes = []
    for t in inwoner.themes:
        questions = tuple(replace(q, text="Voelde u zich echt gehoord?") if q.id == "toegang.gehoord" else q
                          for q in t.questions if q.id != "samenwerking.advies")
        if t.id == "toegang":
            questions = (*questions, new_question)
        themes.append(replace(t, questions=questions, title="Toegang tot hulp" if t.id == "toegang" else t.title))
    v2 = {**qs, "inwoner": replace(inwoner, version="2", themes=tuple(themes), _index={})}
    assert inwoner.question("toegang.gehoord") is not None  # the original is untouched
    a = make_round(store, "Ronde 1", ROUND_ONE)
    b = make_round(store, "Ronde 2", ROUND_TWO, questionnaires=v2, follows_id=a.id)
    c = compare(store, a.id, b.id)
    changes = {(q.perspective, q.item, q.id): q for q in c.questionnaire_changes}
    assert set(changes) == {("inwoner", "vraag", "toegang.gehoord"), ("inwoner", "vraag", "samenwerking.advies"),
                            ("inwoner", "vraag", "toegang.nieuw"), ("inwoner", "thema", "toegang")}
    gehoord = changes["inwoner", "vraag", "toegang.gehoord"]
    assert gehoord.change == WORDING_CHANGED and gehoord.text_a == "Voelde u zich gehoord?"
    assert gehoord.text_b == "Voelde u zich echt gehoord?"
    assert changes["inwoner", "vraag", "samenwerking.advies"].change == REMOVED
    assert changes["inwoner", "vraag", "toegang.nieuw"].change == ADDED
    assert changes["inwoner", "thema", "toegang"].change == WORDING_CHANGED
    # scores still line up by id, and the theme carries the wording flag
    toegang = next(t for t in c.themes if t.theme_id == "toegang")
    assert toegang.changed_questions == ("toegang.gehoord",) and toegang.label == WORSENED
    assert c.versions_a["inwoner"] == ("t-inwoner v1",) and c.versions_b["inwoner"] == ("t-inwoner v2",)
    text = format_comparison(c)
    assert "t-inwoner v1 → t-inwoner v2" in text and "vraagtekst gewijzigd: toegang.gehoord" in text
    assert "verwijderd" in text and "toegevoegd" in text


def test_bumped_questionnaire_changes_one_question_only() -> None:
    inwoner = parallel()["inwoner"]
    v2 = bumped_questionnaire(inwoner, "toegang.gehoord")
    assert v2.version == "2" and inwoner.version == "1"
    changed = [q.id for q in v2.questions() if q.text != inwoner.question(q.id).text]  # type: ignore[union-attr]
    assert changed == ["toegang.gehoord"]
    assert v2.question("toegang.gehoord").text.startswith(REWORDED_PREFIX)  # type: ignore[union-attr]


def test_demo_follow_up_shows_improved_unchanged_worse_and_open_points(store: Store) -> None:
    qs = parallel()
    first = demo(store)
    follow = build_follow_up_demo(store, first, qs)
    a, b = follow.first, follow.follow_up
    assert b.follows_id == a.id and b.municipality == a.municipality
    assert store.evaluation_follow_ups(a.id) == [b]
    assert [m.held_at for m in store.meetings(a.id)] == ["2025-09-18"]
    assert all(f.recognised for f in store.findings(a.id))
    assert sorted(p.status for p in store.improvements(a.id)) == ["gereed", "in_uitvoering", "open"]
    c = compare(store, a.id, b.id)
    labels = {t.theme_id: t.label for t in c.themes}
    assert labels[follow.improved_theme] == IMPROVED
    assert follow.worsened_theme is not None and labels[follow.worsened_theme] == WORSENED
    theme = follow.recurring_key.split(".")[0] if follow.recurring_key else ""
    assert any(f.recurs and f.key.startswith(f"verschil:thema:{theme}:inwoner-") for f in c.findings)
    assert [i.improvement.status for i in c.open_improvements] == ["in_uitvoering", "open"]
    assert [(q.id, q.change) for q in c.questionnaire_changes] == [(follow.reworded_question, WORDING_CHANGED)]
    with pytest.raises(StoreError, match="vervolgmeting"):
        build_follow_up_demo(store, first, qs)


def test_a_finding_recorded_under_the_earlier_rule_is_recognised_in_round_b(store: Store) -> None:
    a = make_round(store, "Ronde 1", ROUND_ONE)
    old = store.upsert_finding(a.id, "laag_thema", "samenwerking", "Thema 'Samenwerking' scoort laag.")
    b = make_round(store, "Ronde 2", ROUND_ONE, follows_id=a.id)  # the same pattern again
    c = compare(store, a.id, b.id)
    first = c.findings[0]
    assert (first.label, first.key, first.recurs) == ("F1", "samenwerking", True)
    assert old.key == "samenwerking"
    # the model's own finding for that pattern is not listed a second time
    assert not any(f.key == "knelpunt:werkzaam:integraal-plan" for f in c.findings)
