"""Which codes were applied in which cases: the analyst's code x case overview.

Qualitative tools all have it (QualCoder's cross-tab by case, NVivo's framework
matrix, Taguette's highlights per tag): before writing the report the analyst
wants to see at a glance that "wachttijd" came up as a knelpunt in four cases
and never in the fifth. The coding screen shows it (`app/screens/code_matrix.py`)
and the exports write it as the table `code_x_casus`; both read this model.

A coding counts once, in the cell of its code and the case of its session, split
by polarity and by perspective. Codes come in codebook order, only codes used at
least once; a code id that is not (or no longer) in the codebook still counts and
comes last, as everywhere else its coding is kept. Cases keep the order they were
given (the analyseschema's: by code), including cases without any coding: a gap
is what the overview is for. A coding whose session belongs to none of the given
cases (another evaluation, a checklist) is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zet_tui.core.coding import Codebook, Coding, Polarity
from zet_tui.core.store import Case, Session
from zet_tui.core.vocab import CASE_PERSPECTIVES

#: The order polarities are counted and shown in.
POLARITIES: tuple[Polarity, ...] = (Polarity.KNELPUNT, Polarity.SUCCESFACTOR, Polarity.NEUTRAAL)
#: One letter per polarity in a cell ("2k 1s"), explained in a legend under the table.
POLARITY_LETTERS: dict[Polarity, str] = {Polarity.KNELPUNT: "k", Polarity.SUCCESFACTOR: "s",
                                         Polarity.NEUTRAAL: "n"}


@dataclass(frozen=True)
class PlacedCoding:
    """A coding with what the overview shows of its answer: case, perspective, question."""

    coding: Coding
    case_id: str
    perspective: str
    question_text: str
    """The question as this perspective's questionnaire asked it ("" when it is not in it)."""


@dataclass(frozen=True)
class MatrixCell:
    """The codings of one code in one case (or of a whole row, column or the matrix)."""

    codings: tuple[PlacedCoding, ...] = ()

    @property
    def total(self) -> int:
        return len(self.codings)

    def count(self, polarity: Polarity) -> int:
        return sum(1 for c in self.codings if c.coding.polarity == polarity)

    def by_perspective(self) -> dict[str, int]:
        """Counts per perspective, in the usual order of perspectives, only those present."""
        counts = Counter(c.perspective for c in self.codings)
        order = [*CASE_PERSPECTIVES, *sorted(set(counts) - set(CASE_PERSPECTIVES))]
        return {p: counts[p] for p in order if counts[p]}

    def short(self) -> str:
        """'2k 1s' (and 'n' for neutral ones when there are any); '' for an empty cell."""
        return " ".join(f"{n}{POLARITY_LETTERS[p]}" for p in POLARITIES
                        if (n := self.count(p)))


@dataclass(frozen=True)
class MatrixCode:
    id: str
    label: str
    in_codebook: bool = True


@dataclass(frozen=True)
class CodeMatrix:
    codes: tuple[MatrixCode, ...]
    cases: tuple[Case, ...]
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)
    """(code id, case id) -> cell; absent means no codings."""

    def cell(self, code_id: str, case_id: str) -> MatrixCell:
        return self.cells.get((code_id, case_id), EMPTY)

    def code_total(self, code_id: str) -> MatrixCell:
        """The code's row across all cases."""
        return MatrixCell(tuple(c for case in self.cases
                                for c in self.cell(code_id, case.id).codings))

    def case_total(self, case_id: str) -> MatrixCell:
        """The case's column across all codes."""
        return MatrixCell(tuple(c for code in self.codes
                                for c in self.cell(code.id, case_id).codings))

    def total(self) -> MatrixCell:
        return MatrixCell(tuple(c for code in self.codes for case in self.cases
                                for c in self.cell(code.id, case.id).codings))


EMPTY = MatrixCell()


def code_matrix(codings: Iterable[Coding], cases: Sequence[Case], sessions: Iterable[Session],
                codebook: Codebook | None) -> CodeMatrix:
    """The code x case matrix of `codings`, over `cases` (in their order)."""
    known = {c.id for c in cases}
    where = {s.id: s for s in sessions if s.case_id in known}
    placed: dict[tuple[str, str], list[PlacedCoding]] = {}
    used: set[str] = set()
    for coding in codings:
        session = where.get(coding.session_id)
        if session is None:
            continue
        question = session.questionnaire.question(coding.question_id)
        placed.setdefault((coding.code_id, session.case_id), []).append(PlacedCoding(
            coding, session.case_id, session.perspective, question.text if question else ""))
        used.add(coding.code_id)
    book = codebook.codes if codebook is not None else ()
    codes = [MatrixCode(c.id, c.label) for c in book if c.id in used]
    listed = {c.id for c in codes}
    codes += [MatrixCode(code_id, code_id, in_codebook=False) for code_id in sorted(used - listed)]
    return CodeMatrix(tuple(codes), tuple(cases),
                      {key: MatrixCell(tuple(found)) for key, found in placed.items()})


__all__ = ["EMPTY", "POLARITIES", "POLARITY_LETTERS", "CodeMatrix", "MatrixCell", "MatrixCode",
           "PlacedCoding", "code_matrix"]
