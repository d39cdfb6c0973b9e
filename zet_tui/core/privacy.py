"""Pseudonymisation of exports.

An export with `--pseudonymize` must not carry anything that points to a
person: case codes become "Casus A", "Casus B", ...; names of interviewers,
reviewers, note authors and whoever gave consent are dropped; and every
listed name or place (kept per case in the database, or given in a file) is
replaced in every free text.

Choices, and why:

* The case letter is the case's position among *all* cases of its evaluation
  (by creation, then code), not among the exported ones, so "Casus B" means
  the same case in a full export and in an export of that case alone.
* Terms are matched case-insensitively on word boundaries (no letter or digit
  directly before or after), longest term first, so "Jan" does not eat into
  "Januari" and "Jan de Vries" is replaced as a whole before "Jan".
* The terms of all exported cases are applied to all free text of the export:
  a name listed for one case is also hidden when it turns up in another.
* Case codes, interviewer names and consent names are themselves added to the
  terms, so a toelichting that mentions them is cleaned too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zet_tui.core.store import Case, Session

DEFAULT_REPLACEMENT = "[naam]"
PERSON_REPLACEMENT = "[interviewer]"


def case_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet-style letters."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def read_terms_file(path: Path) -> list[str]:
    """One term per line; blank lines and lines starting with '#' are skipped.

    Raises OSError / UnicodeDecodeError; the CLI turns them into one Dutch line.
    """
    terms = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        term = line.strip()
        if term and not term.startswith("#"):
            terms.append(term)
    return terms


@dataclass
class Pseudonymizer:
    """Applied by every exporter to every value it writes; a no-op when disabled."""

    enabled: bool = False
    codes: dict[str, str] = field(default_factory=dict)  # case id -> pseudonym
    terms: dict[str, str] = field(default_factory=dict)  # lower-case term -> replacement
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def disabled(cls) -> Pseudonymizer:
        return cls(False)

    @classmethod
    def build(cls, evaluation_cases: Sequence[Case], sessions: Iterable[Session],
              case_terms: dict[str, list[tuple[str, str]]],
              extra_terms: Iterable[str] = ()) -> Pseudonymizer:
        """`evaluation_cases`: all cases of the exported evaluation(s), for stable letters;
        `case_terms`: per case id the (term, replacement) pairs from the store."""
        ordered = sorted(evaluation_cases, key=lambda c: (c.evaluation_id, c.created, c.code))
        codes: dict[str, str] = {}
        per_eval: dict[str, int] = {}
        for case in ordered:
            n = per_eval.get(case.evaluation_id, 0)
            per_eval[case.evaluation_id] = n + 1
            codes[case.id] = f"Casus {case_letter(n)}"
        terms: dict[str, str] = {}

        def add(term: str, replacement: str) -> None:
            term = term.strip()
            if len(term) >= 2 and term.lower() not in terms:
                terms[term.lower()] = replacement

        for case in ordered:
            add(case.code, codes[case.id])
        for pairs in case_terms.values():
            for term, replacement in pairs:
                add(term, replacement or DEFAULT_REPLACEMENT)
        for term in extra_terms:
            add(term, DEFAULT_REPLACEMENT)
        for s in sessions:
            for name in (s.interviewer, s.co_interviewer, s.reviewed_by or ""):
                add(name, PERSON_REPLACEMENT)
            add(s.consent_by, DEFAULT_REPLACEMENT)
        return cls(True, codes, terms)

    def __post_init__(self) -> None:
        if self.terms:
            alternatives = sorted(self.terms, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(t) for t in alternatives) + r")(?!\w)",
                re.IGNORECASE)

    def case_code(self, case: Case) -> str:
        return self.codes.get(case.id, "Casus ?") if self.enabled else case.code

    def person(self, name: str | None) -> str:
        """Interviewer, reviewer, author or consent name: dropped when pseudonymising."""
        return "" if self.enabled else (name or "")

    def text(self, value: str | None) -> str:
        """Any free text: toelichting, reason, notes, labels, text answers."""
        if not value:
            return ""
        if not self.enabled or self._pattern is None:
            return value
        terms = self.terms
        return self._pattern.sub(lambda m: terms.get(m.group(0).lower(), DEFAULT_REPLACEMENT),
                                 value)
