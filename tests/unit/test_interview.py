from __future__ import annotations

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.interview import Interview, InterviewError
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.vocab import AnswerStatus


def answer(iv: Interview, **kw: object) -> Answer:
    a = iv.make_answer(**kw)  # type: ignore[arg-type]
    iv.record(a)
    return a


def test_starts_at_first_question_and_counts(mini: Questionnaire) -> None:
    iv = Interview(mini)
    assert iv.position == "toegang.wist-waar"
    # the conditional question is hidden until 'wachten' is answered ja
    assert iv.index() == (1, 6)


def test_next_skips_hidden_conditional(mini: Questionnaire) -> None:
    iv = Interview(mini)
    answer(iv, score=4)
    iv.next()
    answer(iv, value="nee")
    nxt = iv.next()
    assert nxt is not None and nxt.id == "plan.datum"


def test_condition_shows_question_after_yes(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.jump("toegang.wachten")
    answer(iv, value="ja")
    nxt = iv.next()
    assert nxt is not None and nxt.id == "toegang.wachten-ervaring"
    assert iv.index() == (3, 7)


def test_editing_earlier_answer_hides_current(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.jump("toegang.wachten")
    answer(iv, value="ja")
    iv.next()
    assert iv.position == "toegang.wachten-ervaring"
    iv.record(iv.make_answer(value="nee", question_id="toegang.wachten"))
    assert iv.position != "toegang.wachten-ervaring"
    with pytest.raises(InterviewError, match="niet van toepassing"):
        iv.jump("toegang.wachten-ervaring")


def test_back_and_start(mini: Questionnaire) -> None:
    iv = Interview(mini)
    assert iv.back() is None
    iv.next()
    back = iv.back()
    assert back is not None and back.id == "toegang.wist-waar"


def test_next_at_end_stays(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.jump("plan.kwijt")
    assert iv.next() is None
    assert iv.position == "plan.kwijt"


def test_jump_theme_goes_to_first_open(mini: Questionnaire) -> None:
    iv = Interview(mini)
    iv.jump("plan.datum")
    answer(iv, value="03-02-2026")
    iv.jump_theme("plan")
    assert iv.position == "plan.aantal"
    with pytest.raises(InterviewError):
        iv.jump_theme("bestaat-niet")
    with pytest.raises(InterviewError):
        iv.jump("bestaat.niet")


def test_validation_per_type(mini: Questionnaire) -> None:
    iv = Interview(mini)
    with pytest.raises(InterviewError, match="1 tot 5"):
        iv.make_answer(score=6)
    with pytest.raises(InterviewError):
        iv.make_answer(score=None)
    iv.jump("plan.datum")
    with pytest.raises(InterviewError, match="geen bestaande datum"):
        iv.make_answer(value="31-02-2026")
    with pytest.raises(InterviewError, match="geen datum"):
        iv.make_answer(value="gisteren")
    assert iv.make_answer(value="3-2-2026").value == "2026-02-03"
    iv.jump("plan.aantal")
    with pytest.raises(InterviewError, match="geen getal"):
        iv.make_answer(value="veel")
    with pytest.raises(InterviewError, match="hoogstens 50"):
        iv.make_answer(value="51")
    assert iv.make_answer(value="2,5").value == "2.5"
    iv.jump("plan.wie")
    assert iv.make_answer(value="2").value == "Samen"
    assert iv.make_answer(value="samen").value == "Samen"
    with pytest.raises(InterviewError, match="opties"):
        iv.make_answer(value="de buurman")
    iv.jump("toegang.wachten")
    assert iv.make_answer(value="J").value == "ja"
    with pytest.raises(InterviewError):
        iv.make_answer(value="misschien")


def test_skip_needs_reason_and_counts_as_complete(mini: Questionnaire) -> None:
    iv = Interview(mini)
    with pytest.raises(InterviewError, match="reden"):
        iv.make_answer(status=AnswerStatus.NIET_BESPROKEN, reason=" ")
    a = answer(iv, status=AnswerStatus.NIET_BESPROKEN, reason="geen tijd")
    assert a.is_complete and a.score is None
    assert iv.progress()[0].state == "partly"


def test_weet_niet_and_nvt(mini: Questionnaire) -> None:
    iv = Interview(mini)
    a = answer(iv, status=AnswerStatus.WEET_NIET, score=3)
    assert a.score is None and a.is_complete
    iv.next()
    assert answer(iv, status=AnswerStatus.NVT).status == AnswerStatus.NVT


def test_resume_lands_on_first_open_required(mini: Questionnaire) -> None:
    iv = Interview(mini)
    answer(iv, score=4)
    iv.next()
    answer(iv, value="nee")
    iv.jump("plan.aantal")
    answer(iv, value="2")
    resumed = Interview(mini, iv.answers)
    assert resumed.position == "plan.datum"


def test_progress_states(mini: Questionnaire) -> None:
    iv = Interview(mini)
    assert [p.state for p in iv.progress()] == ["open", "open"]
    answer(iv, score=4)
    iv.next()
    answer(iv, value="nee")
    states = {p.theme.id: p.state for p in iv.progress()}
    assert states == {"toegang": "done", "plan": "open"}
    for qid, value in (("plan.datum", "2026-01-01"), ("plan.aantal", "1"), ("plan.wie", "1")):
        iv.jump(qid)
        answer(iv, value=value)
    assert iv.is_complete()
    assert all(p.state == "done" for p in iv.progress())


def test_probes_are_kept_when_not_given(mini: Questionnaire) -> None:
    iv = Interview(mini)
    answer(iv, score=3, probes_asked=(1, 0, 1))
    again = iv.make_answer(score=5)
    assert again.probes_asked == (0, 1)
