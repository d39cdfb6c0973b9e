"""The feedback meeting: findings from the analysis, reactions, attendance, improvement points."""

from __future__ import annotations

import pytest
from exports_support import demo
from feedback_support import ROUND_ONE, make_round

from zet_tui.core.feedback import (
    KIND_ANALYST,
    KIND_DIVERGENCE,
    KIND_KNELPUNT,
    KIND_LOW_THEME,
    FeedbackError,
    add_analyst_finding,
    add_improvement_point,
    meeting_outcome,
    numbered_findings,
    parse_attendees,
    parse_date,
    record_meeting,
    resolve_finding,
    resolve_improvement,
    set_improvement_status,
    sync_findings,
)
from zet_tui.core.store import Store, StoreError


def kinds(store: Store, evaluation_id: str) -> list[str]:
    return [e.kind for e in store.evaluation_events(evaluation_id)]


def test_sync_derives_knelpunt_and_recurring_difference(store: Store) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    findings = sync_findings(store, eid)
    # samenwerking.afstemming is low in A and B: the werkzaam element it is tagged with is the
    # finding (its theme, question and basisfunctie name the same pattern and are not repeated)
    assert [(f.label, f.finding.kind, f.finding.key) for f in findings] == [
        ("F1", KIND_KNELPUNT, "knelpunt:werkzaam:integraal-plan"),
        ("F2", KIND_DIVERGENCE, "verschil:thema:toegang:inwoner-professional")]
    assert "in 2 van 3 casussen (A, B)" in findings[0].finding.text
    assert "Zwak signaal" in findings[0].finding.text
    assert "(A, B)" in findings[1].finding.text and "inwoner en professional" in findings[1].finding.text
    assert all(f.current and f.reaction_label == "nog niet besproken" for f in findings)
    assert findings[0].theme_id == "samenwerking" and findings[0].theme_title == "Samenwerking"
    assert findings[1].theme_id == "toegang"


def test_findings_recorded_under_the_earlier_rule_keep_number_and_reaction(store: Store) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    low = store.upsert_finding(eid, KIND_LOW_THEME, "samenwerking", "Thema 'Samenwerking' scoort laag.")
    diff = store.upsert_finding(eid, KIND_DIVERGENCE, "toegang.wist-waar", "Verschil bij wist-waar.")
    store.record_reaction(low.id, "ja", "herkend")
    findings = sync_findings(store, eid)
    assert [(f.label, f.finding.id, f.current) for f in findings] == [("F1", low.id, True),
                                                                      ("F2", diff.id, True)]
    assert "in 2 van 3 casussen (A, B)" in findings[0].finding.text  # refreshed text, same record
    assert findings[0].finding.recognised == "ja" and findings[0].theme_id == "samenwerking"
    assert len(store.findings(eid)) == 2


def test_sync_on_demo_finds_the_planted_difference(store: Store) -> None:
    result = demo(store)
    found = sync_findings(store, result.evaluation.id)
    planted_everywhere = set.intersection(*(set(v) for v in result.planted.values()))
    theme = {key.split(".")[0] for key in planted_everywhere}
    assert any(f.finding.kind == KIND_DIVERGENCE and f.finding.key.startswith(f"verschil:thema:{t}:")
               and "in 3 casussen" in f.finding.text for f in found for t in theme)


def test_sync_is_idempotent_and_keeps_reactions(store: Store) -> None:
    eid = demo(store).evaluation.id
    first = sync_findings(store, eid)
    store.record_reaction(first[0].finding.id, "deels", "  alleen bij jongeren  ", actor="analist")
    again = sync_findings(store, eid)
    assert [f.finding.id for f in again] == [f.finding.id for f in first]
    assert again[0].finding.recognised == "deels"
    assert again[0].finding.explanation == "alleen bij jongeren"
    assert again[0].reaction_label == "deels herkend"
    assert kinds(store, eid).count("finding_added") == len(first)
    # refreshing a finding's text (new answers) keeps the reaction too
    f = first[0].finding
    store.upsert_finding(eid, f.kind, f.key, "nieuwe tekst")
    refreshed = store.finding(f.id)
    assert refreshed is not None and refreshed.text == "nieuwe tekst" and refreshed.recognised == "deels"


def test_reaction_is_audited_with_old_and_new(store: Store) -> None:
    eid = demo(store).evaluation.id
    f = sync_findings(store, eid)[0].finding
    store.record_reaction(f.id, "ja", "herkend", actor="a")
    store.record_reaction(f.id, "nee", "toch niet", actor="b")
    events = [e for e in store.evaluation_events(eid) if e.kind == "finding_reaction"]
    assert [(e.actor, e.new["recognised"]) for e in events] == [("a", "ja"), ("b", "nee")]
    assert events[1].old == {"recognised": "ja", "explanation": "herkend"}
    with pytest.raises(StoreError, match="herkend moet"):
        store.record_reaction(f.id, "misschien")


def test_analyst_findings_are_numbered_after_existing_ones(store: Store) -> None:
    eid = demo(store).evaluation.id
    derived = sync_findings(store, eid)
    own = add_analyst_finding(store, eid, "Wachttijden worden niet bijgehouden.")
    assert own.kind == KIND_ANALYST
    numbered = sync_findings(store, eid)
    assert numbered[-1].finding.id == own.id and numbered[-1].number == len(derived) + 1
    assert resolve_finding(numbered, f"f{len(derived) + 1}").finding.id == own.id
    assert resolve_finding(numbered, own.id[:8]).finding.id == own.id
    with pytest.raises(FeedbackError, match="F99"):
        resolve_finding(numbered, "F99")
    with pytest.raises(FeedbackError, match="tekst"):
        add_analyst_finding(store, eid, "   ")


def test_finding_no_longer_derived_is_kept_but_not_current(store: Store) -> None:
    eid = demo(store).evaluation.id
    stale = store.upsert_finding(eid, KIND_LOW_THEME, "bestaat-niet", "oude bevinding")
    store.record_reaction(stale.id, "ja")
    found = next(f for f in sync_findings(store, eid) if f.finding.id == stale.id)
    assert not found.current and found.finding.recognised == "ja" and found.number == 1


def test_meeting_is_recorded_validated_and_audited(store: Store) -> None:
    eid = demo(store).evaluation.id
    meeting = record_meeting(store, eid, "18-9-2025", "Wethouder, Team Noord; Aanbieder",
                             "  in het gemeentehuis ", actor="analist")
    assert meeting.attendees == ("Wethouder", "Team Noord", "Aanbieder")
    assert meeting.held_at == "2025-09-18"  # typed as in the app, stored as ISO
    stored = store.meetings(eid)
    assert stored == [meeting] and stored[0].notes == "in het gemeentehuis"
    event = next(e for e in store.evaluation_events(eid) if e.kind == "meeting_added")
    assert event.actor == "analist" and event.new["attendees"] == list(meeting.attendees)
    with pytest.raises(FeedbackError, match="dd-mm-jjjj of jjjj-mm-dd"):
        record_meeting(store, eid, "18 september", "A")
    with pytest.raises(FeedbackError, match="geen bestaande datum"):
        record_meeting(store, eid, "2025-02-30", "A")
    with pytest.raises(FeedbackError, match="aanwezig"):
        record_meeting(store, eid, "2025-09-18", " , ")
    with pytest.raises(FeedbackError, match="niet gevonden"):
        record_meeting(store, "onbekend", "2025-09-18", "A")
    assert len(store.meetings(eid)) == 1


def test_parse_helpers() -> None:
    assert parse_date(" 2025-01-05 ") == "2025-01-05"
    assert parse_attendees("A,, B;C\nD") == ["A", "B", "C", "D"]


def test_improvement_points_link_findings_and_themes_with_status_history(store: Store) -> None:
    eid = make_round(store, "Ronde 1", ROUND_ONE).id
    findings = sync_findings(store, eid)
    low = next(f for f in findings if f.finding.kind == KIND_KNELPUNT)
    point = add_improvement_point(store, eid, "Vaker samen plannen", owner="Teamleider",
                                  due="2026-03-01", themes=[low.theme_title.upper()],
                                  findings=[low.label, low.label], actor="analist")
    assert point.status == "open" and point.due == "2026-03-01"
    assert point.themes == ("samenwerking",) and point.findings == (low.finding.id,)
    set_improvement_status(store, "V1", "in_uitvoering", evaluation_id=eid, actor="a")
    set_improvement_status(store, point.id[:8], "gereed", actor="b")
    set_improvement_status(store, point.id, "gereed", actor="c")  # no change, no event
    history = store.improvement_history(point.id)
    assert [e.kind for e in history] == ["improvement_added", "improvement_changed", "improvement_changed"]
    assert [e.new.get("status") for e in history[1:]] == ["in_uitvoering", "gereed"]
    assert history[2].old == {"status": "in_uitvoering"} and history[2].actor == "b"
    outcome = meeting_outcome(store, eid)
    item = outcome.improvements[0]
    assert item.label == "V1" and item.finding_labels == (low.label,)
    assert [(h.old, h.new) for h in item.history] == [(None, "open"), ("open", "in_uitvoering"),
                                                      ("in_uitvoering", "gereed")]
    assert outcome.open_improvements == []


def test_improvement_point_rejects_bad_input(store: Store) -> None:
    eid = demo(store).evaluation.id
    sync_findings(store, eid)
    with pytest.raises(FeedbackError, match="dd-mm-jjjj"):
        add_improvement_point(store, eid, "x", due="volgende week")
    with pytest.raises(FeedbackError, match="thema 'onbekend'"):
        add_improvement_point(store, eid, "x", themes=["onbekend"])
    with pytest.raises(FeedbackError, match="F42"):
        add_improvement_point(store, eid, "x", findings=["F42"])
    with pytest.raises(FeedbackError, match="omschrijving"):
        add_improvement_point(store, eid, "  ")
    assert store.improvements(eid) == []
    with pytest.raises(FeedbackError, match="status"):
        set_improvement_status(store, "whatever", "klaar")
    with pytest.raises(FeedbackError, match="--evaluation"):
        resolve_improvement(store, "V1")
    with pytest.raises(FeedbackError, match="heeft er 0"):
        resolve_improvement(store, "V1", eid)
    with pytest.raises(StoreError, match="niet gevonden"):
        resolve_improvement(store, "deadbeef")


def test_meeting_outcome_collects_everything(store: Store) -> None:
    eid = demo(store).evaluation.id
    findings = sync_findings(store, eid)
    record_meeting(store, eid, "2025-09-18", ["A", "B"])
    record_meeting(store, eid, "2025-10-02", ["B", "C"])
    store.record_reaction(findings[0].finding.id, "ja", "klopt")
    add_improvement_point(store, eid, "Eerste punt", findings=["F1"])
    outcome = meeting_outcome(store, eid)
    assert outcome.attendees == ["A", "B", "C"]
    assert [m.held_at for m in outcome.meetings] == ["2025-09-18", "2025-10-02"]
    counts = outcome.reaction_counts()
    assert counts["herkend"] == 1 and counts["nog niet besproken"] == len(findings) - 1
    assert [i.status_label for i in outcome.open_improvements] == ["open"]
    assert numbered_findings(store, eid)[0].finding.explanation == "klopt"
