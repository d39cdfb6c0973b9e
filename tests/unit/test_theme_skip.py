"""A theme skipped as a whole: one reason for its open questions, and its own state."""

from __future__ import annotations

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.interview import DONE, OPEN, PARTLY, SKIPPED, Interview, InterviewError
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.vocab import AnswerStatus


def record_all(iv: Interview, answers: list[Answer]) -> None:
    for a in answers:
        iv.record(a)


def test_skip_theme_answers_every_open_visible_question(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.record(iv.make_answer(question_id="plan.datum", value="01-02-2024"))
    skips = iv.skip_theme("plan", "  geen tijd meer ",
                          typed={"plan.aantal": ("zei er wel iets over", (0,))})
    # the answered date keeps its answer; the optional question is skipped too
    assert [a.question_id for a in skips] == ["plan.aantal", "plan.wie", "plan.kwijt"]
    assert all(a.status == AnswerStatus.NIET_BESPROKEN and a.reason == "geen tijd meer"
               for a in skips)
    assert skips[0].toelichting == "zei er wel iets over" and skips[0].probes_asked == (0,)
    assert iv.answers["plan.datum"].status == AnswerStatus.ANSWERED  # nothing recorded yet
    record_all(iv, skips)
    plan = next(p for p in iv.progress() if p.theme.id == "plan")
    # one answered question: the theme was discussed, so it is done, not "niet besproken"
    assert plan.state == DONE and (plan.done_count, plan.total_count) == (3, 3)


def test_a_question_hidden_by_the_skip_needs_no_answer(mini: Questionnaire) -> None:
    iv = Interview(mini)
    skips = iv.skip_theme("toegang", "inwoner wilde hier niet over praten")
    # "wachten" skipped: the follow-up on waiting (shown only after "ja") stays hidden
    assert [a.question_id for a in skips] == ["toegang.wist-waar", "toegang.wachten"]
    record_all(iv, skips)
    toegang = iv.progress()[0]
    assert toegang.state == SKIPPED and toegang.covered
    assert (toegang.done_count, toegang.total_count, toegang.skipped) == (2, 2, 2)
    assert iv.progress()[1].state == OPEN


def test_skip_theme_refuses_without_reason_or_anything_open(mini: Questionnaire) -> None:
    iv = Interview(mini)
    with pytest.raises(InterviewError, match="reden"):
        iv.skip_theme("toegang", "  ")
    with pytest.raises(InterviewError, match="onbekend thema"):
        iv.skip_theme("nergens", "reden")
    record_all(iv, iv.skip_theme("toegang", "geen tijd"))
    with pytest.raises(InterviewError, match="al behandeld"):
        iv.skip_theme("toegang", "geen tijd")


def test_one_skipped_question_next_to_an_open_one_is_partly(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.record(iv.make_answer(question_id="toegang.wist-waar", status=AnswerStatus.NIET_BESPROKEN,
                             reason="later"))
    assert iv.progress()[0].state == PARTLY


def test_last_skip_reason_is_the_newest(mini: Questionnaire) -> None:
    iv = Interview(mini)
    assert iv.last_skip_reason() == ""
    iv.record(Answer("toegang.wist-waar", AnswerStatus.NIET_BESPROKEN, reason="geen tijd",
                     updated="2026-01-01T10:00:00.000+00:00"))
    iv.record(Answer("plan.datum", AnswerStatus.NIET_BESPROKEN, reason="weet de inwoner niet",
                     updated="2026-01-01T10:05:00.000+00:00"))
    iv.record(Answer("toegang.wachten", AnswerStatus.NIET_BESPROKEN, reason="eerder",
                     updated="2026-01-01T09:00:00.000+00:00"))
    iv.record(Answer("plan.aantal", AnswerStatus.ANSWERED, value="3",
                     updated="2026-01-01T11:00:00.000+00:00"))
    assert iv.last_skip_reason() == "weet de inwoner niet"
