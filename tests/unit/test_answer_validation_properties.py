"""Free text typed into typed questions: never a crash, always a value or a Dutch message."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.core.questionnaire import Question
from zet_tui.core.vocab import AnswerType

QUESTIONS = [
    Question("q.janee", "q", "Ja of nee?", type=AnswerType.YES_NO),
    Question("q.keuze", "q", "Welke?", type=AnswerType.CHOICE, options=("Een", "Twee", "Drie")),
    Question("q.datum", "q", "Wanneer?", type=AnswerType.DATE),
    Question("q.getal", "q", "Hoeveel?", type=AnswerType.NUMBER, minimum=0, maximum=100),
    Question("q.tekst", "q", "Wat?", type=AnswerType.TEXT),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(QUESTIONS), st.text(max_size=60))
def test_any_text_gives_a_value_or_a_message(question: Question, text: str) -> None:
    value, error = question.validate_value(text)
    assert (value is None) != (error is None)
    if value is not None:
        # a valid value is stable: validating it again gives the same value
        assert question.validate_value(value) == (value, None)
        if question.type == AnswerType.DATE:
            date.fromisoformat(value)
        if question.type == AnswerType.NUMBER:
            assert 0 <= float(value) <= 100
        if question.type == AnswerType.CHOICE:
            assert value in question.options


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dutch_and_iso_dates_mean_the_same_day(day: date) -> None:
    q = QUESTIONS[2]
    assert q.validate_value(day.strftime("%d-%m-%Y")) == (day.isoformat(), None)
    assert q.validate_value(day.isoformat()) == (day.isoformat(), None)


def test_not_a_number_is_no_number() -> None:
    """float() accepts "nan" and "inf"; a count of people must not (it crashed the screen)."""
    question = next(q for q in QUESTIONS if q.type == AnswerType.NUMBER)
    for text in ("nan", "NAN", "inf", "-Infinity"):
        value, error = question.validate_value(text)
        assert value is None and error == f"'{text}' is geen getal."
