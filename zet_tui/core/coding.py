"""Coded evidence: what the analyst makes of the toelichtingen.

These value types are the contract between the analyst's workbench (which
stores and edits them) and the findings model (which reads them). They are
plain frozen dataclasses, so the findings model stays a pure function over
sessions, answers and codings.

Fragments are anchored by offsets into the answer's toelichting, counted in
Python code points (`str` indices), plus a copy of the fragment's text as it
was when coded. When the toelichting is edited later, the copy no longer
matches the text at the offsets: the coding is then flagged for review rather
than silently shifted to other words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Polarity(StrEnum):
    """What a coded fragment says about the care: a problem, a success, or neither."""

    KNELPUNT = "knelpunt"
    SUCCESFACTOR = "succesfactor"
    NEUTRAAL = "neutraal"


POLARITY_LABELS: dict[str, str] = {
    "knelpunt": "knelpunt",
    "succesfactor": "succesfactor",
    "neutraal": "neutraal",
}


@dataclass(frozen=True)
class Code:
    """One code of the codebook (`questionnaires/codeboek.md`).

    `id` is stable across editions of the codebook: codings refer to it.
    `werkzaam`, `basisfunctie` and `themes` hold vocabulary ids (see
    `core/vocab.py`) and questionnaire theme ids the code belongs to.
    """

    id: str
    label: str
    description: str = ""
    werkzaam: tuple[str, ...] = ()
    basisfunctie: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    line: int = 0  # where the code is defined in its file, for messages
    group: str = ""  # the heading the code stands under (werkzame elementen, deelaspecten, ...)


@dataclass(frozen=True)
class Codebook:
    id: str
    title: str
    version: str
    codes: tuple[Code, ...]
    path: str = ""

    def code(self, code_id: str) -> Code | None:
        return next((c for c in self.codes if c.id == code_id), None)


@dataclass(frozen=True)
class Coding:
    """A code applied to one answer, or to a fragment of its toelichting.

    `start`/`end` are `None` when the code applies to the answer as a whole.
    `fragment` is the coded text as it read when coded ("" for a whole answer).
    """

    id: str
    session_id: str
    question_id: str
    code_id: str
    polarity: Polarity
    start: int | None = None
    end: int | None = None
    fragment: str = ""
    memo: str = ""
    author: str = ""
    created: str = ""


@dataclass(frozen=True)
class Quote:
    """A fragment of a toelichting the analyst wants in the report, anchored like a coding."""

    id: str
    session_id: str
    question_id: str
    start: int
    end: int
    fragment: str
    memo: str = ""
    author: str = ""
    created: str = ""


@dataclass(frozen=True)
class ManualDivergence:
    """A difference between two perspectives of one case that the scores do not show."""

    id: str
    case_id: str
    theme_id: str
    perspectives: tuple[str, str]
    note: str
    question_key: str | None = None
    author: str = ""
    created: str = ""


@dataclass(frozen=True)
class CaseSummary:
    """The analyst's short narrative of one case."""

    case_id: str
    hulpvraag: str = ""
    knelpunten: str = ""
    succesfactoren: str = ""
    totaalbeeld: str = ""
    updated: str = ""


#: Case attributes every evaluation offers; analysts may add free ones.
STANDARD_ATTRIBUTES: dict[str, str] = {
    "domein": "Domein (bijvoorbeeld jeugd, Wmo, volwassenen)",
    "gemeente": "Gemeente",
}


@dataclass(frozen=True)
class CaseAttribute:
    case_id: str
    name: str
    value: str


@dataclass(frozen=True)
class Recommendation:
    """The analyst's recommendation on a finding, keyed by the finding's stable key."""

    evaluation_id: str
    finding_key: str
    text: str
    author: str = ""
    updated: str = ""
