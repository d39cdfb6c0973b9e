"""Dates and numbers as Dutch users type and read them: one parser, one format.

Every place that reads a date from a person (the interview, the CLI, a
questionnaire's `toon-als`, the feedback screen) and every place that shows one
(screens, CLI output, reports, spreadsheets) goes through this module, so a
date typed as 14-3-2024 in the app is accepted by `zet verbeterpunt
--deadline` too and reads the same in every export.

* Dates are accepted as dd-mm-jjjj (also with `/` or `.`, and one-digit day or
  month) and as JJJJ-MM-DD; they are stored as ISO (JJJJ-MM-DD), which sorts
  and compares as text, and shown as dd-mm-jjjj.
* Numbers are accepted with a decimal comma or point and shown with a decimal
  comma (2,5), as Dutch spreadsheets and readers expect. Only ASCII digits:
  `float()` alone would also take "nan", "1e5", "1_000" and Arabic-Indic digits.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from zet_tui.core.vocab import AnswerType

DATE_HINT = "dd-mm-jjjj of jjjj-mm-dd"
_DUTCH_DATE = re.compile(r"(?P<d>[0-9]{1,2})([-/.])(?P<m>[0-9]{1,2})\2(?P<y>[0-9]{4})")
_ISO_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


class DateError(ValueError):
    """A text that is not a date; the message is Dutch and quotes the text."""


class NumberError(ValueError):
    """A text that is not a number; the message is Dutch and quotes the text."""


def parse_date(text: str) -> date:
    """A date typed as dd-mm-jjjj or JJJJ-MM-DD; DateError (Dutch) otherwise."""
    raw = text.strip()
    match = _DUTCH_DATE.fullmatch(raw) or _ISO_DATE.fullmatch(raw)
    if match is None:
        raise DateError(f"'{raw}' is geen datum; gebruik {DATE_HINT}.")
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise DateError(f"'{raw}' is geen bestaande datum.") from None


def iso_date(text: str) -> str:
    """A typed date as stored: JJJJ-MM-DD."""
    return parse_date(text).isoformat()


def is_iso_date(text: str) -> bool:
    return _ISO_DATE.fullmatch(text) is not None


def format_date(value: date | str | None, empty: str = "") -> str:
    """dd-mm-jjjj; a stored text that is no date is shown as it is (never lost)."""
    if value is None or value == "":
        return empty
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    try:
        return parse_date(value).strftime("%d-%m-%Y")
    except DateError:
        return value


def local_time(stamp: str) -> datetime:
    """A stored ISO timestamp (UTC) as a local date and time without zone, as a
    spreadsheet cell or a reader expects it; ValueError when it is no timestamp."""
    return datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None)


def format_timestamp(stamp: str | None, empty: str = "–") -> str:
    """An ISO timestamp (as stored, UTC) in local time: dd-mm-jjjj HH:MM."""
    if not stamp:
        return empty
    try:
        return local_time(stamp).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return stamp


def parse_number(text: str) -> float:
    """A number typed with a decimal comma or point; NumberError (Dutch) otherwise."""
    raw = text.strip()
    if not _NUMBER.fullmatch(raw):
        raise NumberError(f"'{raw}' is geen getal.")
    return float(raw.replace(",", "."))


def plain_number(value: float) -> str:
    """How a number is stored as text: 7, 2.5, 0.0000001 (a point, never an exponent)."""
    if value == int(value):
        return str(int(value))
    from decimal import Decimal  # only here: not worth its import time at start-up

    return format(Decimal(repr(value)), "f")


def format_number(value: float | str | None, digits: int | None = None, *, empty: str = "–",
                  sign: bool = False) -> str:
    """Decimal comma: 2,5. `digits` rounds to that many decimals (None: as precise as the
    value is); `sign` adds + to positive values (changes between rounds)."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            number = parse_number(value)
        except NumberError:
            return value
    else:
        number = value
    text = plain_number(number) if digits is None else f"{number:.{digits}f}"
    if sign and number > 0:
        text = "+" + text
    return text.replace(".", ",")


def format_value(answer_type: str, value: str | None) -> str:
    """A stored answer value as a Dutch reader expects it: dates dd-mm-jjjj, numbers 2,5,
    anything else as typed."""
    if value is None:
        return ""
    if answer_type == AnswerType.DATE:
        return format_date(value)
    if answer_type == AnswerType.NUMBER:
        return format_number(value, empty="")
    return value
