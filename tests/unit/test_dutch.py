"""One date parser and one number format for everything a person types or reads."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zet_tui.core.dutch import (
    DateError,
    NumberError,
    format_date,
    format_number,
    format_timestamp,
    format_value,
    iso_date,
    parse_date,
    parse_number,
    plain_number,
)


@pytest.mark.parametrize("typed", ["14-03-2024", "14-3-2024", "14/03/2024", "14.3.2024", "2024-03-14",
                                   "2024-3-14", " 14-03-2024 "])
def test_dutch_and_iso_dates_are_the_same_date(typed: str) -> None:
    assert parse_date(typed) == date(2024, 3, 14)
    assert iso_date(typed) == "2024-03-14"


@pytest.mark.parametrize(("typed", "message"), [
    ("31-02-2024", "'31-02-2024' is geen bestaande datum."),
    ("2024-13-01", "'2024-13-01' is geen bestaande datum."),
    ("14-03/2024", "'14-03/2024' is geen datum; gebruik dd-mm-jjjj of jjjj-mm-dd."),
    ("maart", "'maart' is geen datum; gebruik dd-mm-jjjj of jjjj-mm-dd."),
    ("١٤-٠٣-٢٠٢٤", "geen datum"),  # digits of another script are no date here
    ("", "geen datum"),
])
def test_a_bad_date_is_one_dutch_message(typed: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(typed)


def test_dates_are_shown_as_dd_mm_jjjj_and_anything_else_as_stored() -> None:
    assert format_date("2024-03-14") == format_date(date(2024, 3, 14)) == "14-03-2024"
    assert format_date(None) == "" and format_date("", "–") == "–"
    assert format_date("ooit") == "ooit"  # damaged data is shown, never dropped
    assert format_timestamp("2024-03-14T09:05:00+00:00")[:10] in ("14-03-2024", "13-03-2024")
    assert format_timestamp(None) == "–" and format_timestamp("kapot") == "kapot"


@pytest.mark.parametrize(("typed", "number"), [("2,5", 2.5), ("2.5", 2.5), ("-3", -3.0), ("+7", 7.0),
                                                ("0,25", 0.25)])
def test_numbers_take_a_comma_or_a_point(typed: str, number: float) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["nan", "inf", "1e5", "1_000", "2,5,1", "٣", "", ",5"])
def test_float_s_extras_are_no_numbers(typed: str) -> None:
    with pytest.raises(NumberError, match="geen getal"):
        parse_number(typed)


def test_numbers_are_shown_with_a_decimal_comma() -> None:
    assert format_number(2.345, 1) == "2,3" and format_number(2.5) == "2,5" and format_number(7.0) == "7"
    assert format_number(0.5, 1, sign=True) == "+0,5" and format_number(-0.5, 1, sign=True) == "-0,5"
    assert format_number(None) == "–" and format_number(None, empty="") == ""
    assert format_number("2.5") == "2,5" and format_number("veel") == "veel"
    assert plain_number(2.5) == "2.5" and plain_number(3.0) == "3"
    assert format_value("datum", "2024-03-14") == "14-03-2024"
    assert format_value("getal", "2.5") == "2,5"
    assert format_value("tekst", "2.5") == "2.5" and format_value("getal", None) == ""


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_shown_date_reads_back_as_the_same_date(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_one_dutch_message(text: str) -> None:
    try:
        parse_date(text)
    except DateError as exc:
        assert "datum" in str(exc)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False))
def test_every_shown_number_reads_back(value: object) -> None:
    number = float(str(value))
    assert parse_number(format_number(number)) == number
