from __future__ import annotations

from datetime import date

from exports_support import parallel, valued

from zet_tui.core.answers import Answer
from zet_tui.core.timeline import build_timeline, mermaid_gantt
from zet_tui.core.vocab import AnswerStatus


def test_durations_between_milestones_and_since_aanmelding() -> None:
    dossier = parallel()["dossier"]
    answers = {
        "toegang.aanmelding": valued("toegang.aanmelding", "2025-01-10"),
        "toegang.eerste-contact": valued("toegang.eerste-contact", "2025-01-17"),
        "plan.vastgesteld": valued("plan.vastgesteld", "2025-03-01"),
        "samenwerking.start": valued("samenwerking.start", "2025-03-31"),
    }
    tl = build_timeline(dossier, answers)
    assert [m.key for m in tl.milestones] == ["aanmelding", "eerste-contact", "plan", "start-hulp"]
    assert [m.days_since_previous for m in tl.milestones] == [None, 7, 43, 30]
    assert [m.days_since_start for m in tl.milestones] == [0, 7, 50, 80]
    assert tl.total_days == 80 and tl.warnings == ()
    gantt = mermaid_gantt(tl, "Tijdlijn: casus #1")
    lines = gantt.splitlines()
    assert lines[0] == "gantt" and "title Tijdlijn  casus  1" in lines[1]
    assert "    Aanmelding tot eerste contact (7 d) :t1, 2025-01-10, 7d" in lines
    assert "    Start hulp :milestone, m4, 2025-03-31, 0d" in lines


def test_missing_aanmelding_and_out_of_order_dates_are_reported() -> None:
    dossier = parallel()["dossier"]
    answers = {
        "toegang.eerste-contact": valued("toegang.eerste-contact", "2025-05-01"),
        "plan.vastgesteld": valued("plan.vastgesteld", "2025-04-01"),
        "toegang.aanmelding": Answer("toegang.aanmelding", AnswerStatus.WEET_NIET),
    }
    tl = build_timeline(dossier, answers)
    assert [(m.key, m.date) for m in tl.milestones] == [("plan", date(2025, 4, 1)),
                                                        ("eerste-contact", date(2025, 5, 1))]
    assert all(m.days_since_start is None for m in tl.milestones)
    assert len(tl.warnings) == 1 and "Eerste contact" in tl.warnings[0]


def test_no_dates_gives_an_empty_timeline() -> None:
    tl = build_timeline(parallel()["dossier"], {})
    assert tl.milestones == () and tl.total_days is None
    assert mermaid_gantt(tl, "x").startswith("gantt\n")
